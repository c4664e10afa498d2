import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DataProductsProcessor } from './DataProductsProcessor';

const location = { type: 'url', target: 'http://example.com/catalog.yaml' };

const product: Entity = {
  apiVersion: 'dataproducts.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'marketing-customer-360', namespace: 'default' },
  spec: {
    type: 'consumer-aligned',
    lifecycle: 'production',
    owner: 'marketing',
    domain: 'marketing',
    schema: 'marketing_360',
    inputs: [
      'sales-crm-customers-customers',
      'outputport:sales-erp-orders-orders',
      'resource:crm-customers',
    ],
  },
};

const port: Entity = {
  apiVersion: 'dataproducts.io/v1alpha1',
  kind: 'OutputPort',
  metadata: { name: 'marketing-customer-360-customer-activity' },
  spec: {
    dataProduct: 'marketing-customer-360',
    name: 'customer_activity',
    type: 'postgres-table',
    model:
      "SELECT id AS customer_id FROM {{ source('sales_crm_customers', 'customers') }}",
    columns: [{ name: 'customer_id', type: 'INTEGER' }],
  },
};

async function relationsOf(
  processor: DataProductsProcessor,
  entity: Entity,
): Promise<string[]> {
  const results: CatalogProcessorResult[] = [];
  await processor.postProcessEntity(entity, location, r => results.push(r));
  return results.map(r => {
    if (r.type !== 'relation') {
      throw new Error(`unexpected result ${r.type}`);
    }
    const { source, type, target } = r.relation;
    return `${source.kind}:${source.namespace}/${source.name} ${type} ${target.kind}:${target.namespace}/${target.name}`;
  });
}

function createProcessor(entities: Entity[] = [product]) {
  return new DataProductsProcessor({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
  });
}

describe('DataProductsProcessor', () => {
  describe('validateEntityKind', () => {
    it('accepts valid products and ports', async () => {
      const processor = createProcessor();
      await expect(processor.validateEntityKind(product)).resolves.toBe(true);
      await expect(processor.validateEntityKind(port)).resolves.toBe(true);
    });

    it('answers false for other kinds', async () => {
      await expect(
        createProcessor().validateEntityKind({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'x' },
          spec: { type: 'service', owner: 'x', lifecycle: 'production' },
        }),
      ).resolves.toBe(false);
    });

    it('throws an error naming the field, the value and the rule', async () => {
      const invalid = {
        ...port,
        spec: {
          ...port.spec,
          columns: [
            { name: 'customer_id', type: 'INTEGER' },
            { name: 'customer_id', type: 'MONEY' },
          ],
        },
      };
      await expect(
        createProcessor().validateEntityKind(invalid),
      ).rejects.toThrow(
        'Invalid OutputPort "marketing-customer-360-customer-activity": ' +
          'spec.columns[1].name: "customer_id" is a duplicate column name (also spec.columns[0].name): column names must be unique; ' +
          'spec.columns[1].type: "MONEY" must be one of the documented column types',
      );
    });
  });

  describe('postProcessEntity', () => {
    it('emits every DataProduct relation in both directions with default kinds', async () => {
      expect(await relationsOf(createProcessor(), product)).toEqual([
        'DataProduct:default/marketing-customer-360 ownedBy Group:default/marketing',
        'Group:default/marketing ownerOf DataProduct:default/marketing-customer-360',
        'DataProduct:default/marketing-customer-360 partOf Domain:default/marketing',
        'Domain:default/marketing hasPart DataProduct:default/marketing-customer-360',
        'DataProduct:default/marketing-customer-360 dependsOn OutputPort:default/sales-crm-customers-customers',
        'OutputPort:default/sales-crm-customers-customers dependencyOf DataProduct:default/marketing-customer-360',
        'DataProduct:default/marketing-customer-360 dependsOn OutputPort:default/sales-erp-orders-orders',
        'OutputPort:default/sales-erp-orders-orders dependencyOf DataProduct:default/marketing-customer-360',
        'DataProduct:default/marketing-customer-360 dependsOn Resource:default/crm-customers',
        'Resource:default/crm-customers dependencyOf DataProduct:default/marketing-customer-360',
      ]);
    });

    it("resolves refs in the entity's own namespace and honours explicit ones", async () => {
      const namespaced = {
        ...product,
        metadata: { name: 'p', namespace: 'team-a' },
        spec: {
          ...product.spec,
          owner: 'user:default/jane',
          domain: undefined,
          inputs: ['x-y'],
        },
      };
      expect(await relationsOf(createProcessor(), namespaced)).toEqual([
        'DataProduct:team-a/p ownedBy User:default/jane',
        'User:default/jane ownerOf DataProduct:team-a/p',
        'DataProduct:team-a/p dependsOn OutputPort:team-a/x-y',
        'OutputPort:team-a/x-y dependencyOf DataProduct:team-a/p',
      ]);
    });

    it('makes a port part of its product and owned by the product owner', async () => {
      expect(await relationsOf(createProcessor(), port)).toEqual([
        'OutputPort:default/marketing-customer-360-customer-activity partOf DataProduct:default/marketing-customer-360',
        'DataProduct:default/marketing-customer-360 hasPart OutputPort:default/marketing-customer-360-customer-activity',
        'OutputPort:default/marketing-customer-360-customer-activity ownedBy Group:default/marketing',
        'Group:default/marketing ownerOf OutputPort:default/marketing-customer-360-customer-activity',
      ]);
    });

    it("prefers the port's own owner", async () => {
      const owned = {
        ...port,
        spec: { ...port.spec, owner: 'group:data-platform' },
      };
      expect(await relationsOf(createProcessor(), owned)).toEqual([
        expect.stringContaining(' partOf '),
        expect.stringContaining(' hasPart '),
        'OutputPort:default/marketing-customer-360-customer-activity ownedBy Group:default/data-platform',
        'Group:default/data-platform ownerOf OutputPort:default/marketing-customer-360-customer-activity',
      ]);
    });

    it('emits every relation of a port that names its owner (as the registry publishes ports) before its product is in the catalog', async () => {
      const catalog = catalogServiceMock({ entities: [] });
      const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
      const processor = new DataProductsProcessor({
        catalog,
        auth: mockServices.auth(),
      });
      const owned = {
        ...port,
        spec: { ...port.spec, owner: 'group:marketing' },
      };
      expect(await relationsOf(processor, owned)).toEqual([
        expect.stringContaining(' partOf '),
        expect.stringContaining(' hasPart '),
        'OutputPort:default/marketing-customer-360-customer-activity ownedBy Group:default/marketing',
        'Group:default/marketing ownerOf OutputPort:default/marketing-customer-360-customer-activity',
      ]);
      expect(getEntityByRef).not.toHaveBeenCalled();
    });

    it('emits no owner while the product is not in the catalog yet', async () => {
      expect(await relationsOf(createProcessor([]), port)).toEqual([
        expect.stringContaining(' partOf '),
        expect.stringContaining(' hasPart '),
      ]);
    });

    it('leaves other kinds alone', async () => {
      expect(
        await relationsOf(createProcessor(), {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'x' },
        }),
      ).toEqual([]);
    });
  });
});
