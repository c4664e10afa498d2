import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { demoCatalog, withRelations } from '../../testUtils/demoCatalog';
import { LineageService } from './LineageService';

const credentials = mockCredentials.user();

function serviceFor(entities: Entity[]) {
  const catalog = catalogServiceMock({ entities });
  jest.spyOn(catalog, 'getEntitiesByRefs');
  return { catalog, service: new LineageService({ catalog }) };
}

describe('LineageService', () => {
  it('reaches the three source tables upstream of Marketing Customer 360', async () => {
    const { service } = serviceFor(demoCatalog());
    const lineage = await service.getLineage({
      entityRef: 'dataproduct:default/marketing-customer-360',
      upstream: 5,
      downstream: 5,
      credentials,
    });
    const ids = lineage.nodes.map(n => n.id).sort();
    expect(ids).toEqual([
      'dataproduct:default/logistics-wms-shipments',
      'dataproduct:default/marketing-customer-360',
      'dataproduct:default/sales-crm-customers',
      'dataproduct:default/sales-erp-orders',
      'outputport:default/logistics-wms-shipments-shipments',
      'outputport:default/marketing-customer-360-customer-activity',
      'outputport:default/sales-crm-customers-customers',
      'outputport:default/sales-erp-orders-orders',
      'resource:default/crm-customers',
      'resource:default/erp-orders',
      'resource:default/wms-shipments',
    ]);
    expect(lineage.edges).toContainEqual({
      source: 'resource:default/crm-customers',
      target: 'dataproduct:default/sales-crm-customers',
      type: 'feeds',
    });
    expect(lineage.edges).toContainEqual({
      source: 'outputport:default/sales-crm-customers-customers',
      target: 'dataproduct:default/marketing-customer-360',
      type: 'feeds',
    });
    expect(lineage.edges).toContainEqual({
      source: 'dataproduct:default/marketing-customer-360',
      target: 'outputport:default/marketing-customer-360-customer-activity',
      type: 'exposes',
    });
    expect(lineage.edges).toHaveLength(10);
    const distance = Object.fromEntries(
      lineage.nodes.map(n => [n.id, n.distance]),
    );
    expect(distance['outputport:default/sales-crm-customers-customers']).toBe(
      -1,
    );
    expect(distance['resource:default/crm-customers']).toBe(-2);
    expect(
      distance['outputport:default/marketing-customer-360-customer-activity'],
    ).toBe(0);
    expect(lineage.root).toBe('dataproduct:default/marketing-customer-360');
    expect(lineage.truncated).toBe(false);
  });

  it('follows consumers downstream from a source table and respects the depth', async () => {
    const { service } = serviceFor(demoCatalog());
    const one = await service.getLineage({
      entityRef: 'resource:default/erp-orders',
      upstream: 3,
      downstream: 1,
      credentials,
    });
    expect(one.nodes.map(n => n.id).sort()).toEqual([
      'dataproduct:default/sales-erp-orders',
      'outputport:default/sales-erp-orders-orders',
      'resource:default/erp-orders',
    ]);
    const two = await service.getLineage({
      entityRef: 'resource:default/erp-orders',
      upstream: 0,
      downstream: 2,
      credentials,
    });
    expect(two.nodes.map(n => n.id)).toContain(
      'outputport:default/marketing-customer-360-customer-activity',
    );
  });

  it('reads the catalog once per level, not once per entity', async () => {
    const products = Array.from({ length: 120 }, (_, i) => [
      {
        apiVersion: 'dataproducts.io/v1alpha1',
        kind: 'DataProduct',
        metadata: { name: `p${i}` },
        spec: {
          type: 'aggregate',
          owner: 'group:data-platform',
          schema: `p${i}`,
          inputs: ['resource:src'],
        },
      },
      {
        apiVersion: 'dataproducts.io/v1alpha1',
        kind: 'OutputPort',
        metadata: { name: `p${i}-out` },
        spec: {
          dataProduct: `p${i}`,
          name: 'out',
          type: 'postgres-view',
          columns: [],
        },
      },
    ]).flat();
    const source = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'src' },
      spec: { type: 'postgres-table' },
    };
    const { catalog, service } = serviceFor(
      withRelations([source, ...products]),
    );
    const lineage = await service.getLineage({
      entityRef: 'resource:default/src',
      upstream: 1,
      downstream: 3,
      credentials,
    });
    expect(lineage.nodes).toHaveLength(241);
    expect(lineage.edges).toHaveLength(240);
    expect(
      (catalog.getEntitiesByRefs as jest.Mock).mock.calls.length,
    ).toBeLessThanOrEqual(4);
  });

  it('draws the edge from a port that a product names as input without a kind', async () => {
    const consumer = {
      apiVersion: 'dataproducts.io/v1alpha1',
      kind: 'DataProduct',
      metadata: { name: 'marketing-email-list' },
      spec: {
        type: 'consumer-aligned',
        lifecycle: 'experimental',
        owner: 'group:marketing',
        schema: 'marketing_emails',
        inputs: ['sales-crm-customers-customers'],
      },
    };
    const { service } = serviceFor(withRelations([...demoCatalog(), consumer]));
    const lineage = await service.getLineage({
      entityRef: 'dataproduct:default/marketing-email-list',
      upstream: 1,
      downstream: 0,
      credentials,
    });
    expect(lineage.edges).toContainEqual({
      source: 'outputport:default/sales-crm-customers-customers',
      target: 'dataproduct:default/marketing-email-list',
      type: 'feeds',
    });
  });

  it('returns the whole mesh without an entityRef', async () => {
    const { service } = serviceFor(demoCatalog());
    const lineage = await service.getLineage({
      upstream: 0,
      downstream: 0,
      credentials,
    });
    expect(lineage.root).toBeUndefined();
    expect(lineage.nodes).toHaveLength(11);
    expect(lineage.edges).toHaveLength(10);
  });

  it('refuses a bad depth and reports a missing entity', async () => {
    const { service } = serviceFor(demoCatalog());
    await expect(
      service.getLineage({
        entityRef: 'dataproduct:default/nope',
        upstream: 1,
        downstream: 1,
        credentials,
      }),
    ).rejects.toThrow("No entity 'dataproduct:default/nope' in the catalog");
    await expect(
      service.getLineage({
        entityRef: 'dataproduct:default/nope',
        upstream: 99,
        downstream: 1,
        credentials,
      }),
    ).rejects.toThrow(/Invalid upstream depth '99'/);
    // The root may be of any kind, so it has no default one.
    await expect(
      service.getLineage({
        entityRef: 'marketing-customer-360',
        upstream: 1,
        downstream: 1,
        credentials,
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        "Invalid entityRef 'marketing-customer-360': expected kind:namespace/name, e.g. dataproduct:default/marketing-customer-360",
    });
  });
});
