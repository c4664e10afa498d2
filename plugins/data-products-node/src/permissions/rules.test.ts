import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import {
  createDataProductPermissionRules,
  readDataProductAdminGroups,
} from './rules';

const product = (spec: Record<string, unknown>, extra: Partial<Entity> = {}) =>
  ({
    apiVersion: 'dataproducts.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name: 'sales-crm-customers' },
    spec,
    ...extra,
  } as Entity);

describe('data product permission rules', () => {
  const { isDataProductOwner, isDataProductAdmin } =
    createDataProductPermissionRules({
      adminGroups: ['group:default/data-platform'],
    });

  it('matches an owner written short in spec.owner against full claims', () => {
    const sales = product({ owner: 'sales' });
    expect(
      isDataProductOwner.apply(sales, {
        claims: ['user:default/ana.sales', 'group:default/sales'],
      }),
    ).toBe(true);
    expect(
      isDataProductOwner.apply(sales, {
        claims: ['user:default/mark.marketing', 'group:default/marketing'],
      }),
    ).toBe(false);
  });

  it('resolves the owner in the product namespace and compares without case', () => {
    const emea = product(
      { owner: 'group:Sales' },
      { metadata: { name: 'orders', namespace: 'emea' } },
    );
    expect(
      isDataProductOwner.apply(emea, { claims: ['group:emea/sales'] }),
    ).toBe(true);
    expect(
      isDataProductOwner.apply(emea, { claims: ['group:default/sales'] }),
    ).toBe(false);
  });

  it('matches the ownedBy relations the catalog adds', () => {
    const related = product(
      {},
      { relations: [{ type: 'ownedBy', targetRef: 'group:default/sales' }] },
    );
    expect(
      isDataProductOwner.apply(related, { claims: ['group:default/sales'] }),
    ).toBe(true);
  });

  it('lets an owner that is not a Group or User own nothing', () => {
    expect(
      isDataProductOwner.apply(product({ owner: 'component:sales' }), {
        claims: ['component:default/sales'],
      }),
    ).toBe(false);
  });

  it('matches admins on every product, and nobody else', () => {
    const any = product({ owner: 'group:sales' });
    expect(
      isDataProductAdmin.apply(any, {
        claims: ['user:default/dana.platform', 'group:default/data-platform'],
      }),
    ).toBe(true);
    expect(
      isDataProductAdmin.apply(any, { claims: ['group:default/sales'] }),
    ).toBe(false);
  });

  it('translates to catalog filters', () => {
    expect(
      isDataProductOwner.toQuery({ claims: ['group:default/Sales'] }),
    ).toEqual({ key: 'relations.ownedBy', values: ['group:default/sales'] });
    expect(
      isDataProductAdmin.toQuery({ claims: ['group:default/data-platform'] }),
    ).toEqual({ key: 'kind', values: ['dataproduct'] });
    expect(
      isDataProductAdmin.toQuery({ claims: ['group:default/sales'] }),
    ).toEqual({ not: { key: 'kind', values: ['dataproduct'] } });
  });

  it('validates its parameters and describes them as JSON Schema', () => {
    const schema = isDataProductOwner.paramsSchema as any;
    expect(
      schema['~standard'].validate({ claims: ['group:default/sales'] }),
    ).toEqual({
      value: { claims: ['group:default/sales'] },
    });
    expect(
      schema['~standard'].validate({ claims: 'group:default/sales' }).issues,
    ).toEqual([
      { message: 'claims must be an array of entity refs (strings)' },
    ]);
    expect(
      schema['~standard'].jsonSchema.input({ target: 'draft-07' }),
    ).toMatchObject({ required: ['claims'] });
  });

  it('reads admin groups from config as full group refs', () => {
    expect(
      readDataProductAdminGroups(
        new ConfigReader({
          dataProducts: {
            permissions: {
              adminGroups: ['data-platform', 'group:emea/admins'],
            },
          },
        }),
      ),
    ).toEqual(['group:default/data-platform', 'group:emea/admins']);
    expect(readDataProductAdminGroups(new ConfigReader({}))).toEqual([]);
  });
});
