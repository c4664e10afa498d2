import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  type Entity,
  RELATION_HAS_PART,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { RefreshCatalog } from './RefreshCatalog';

function product(name: string, inputs: string[], ports: string[]): Entity {
  return {
    apiVersion: 'dataproducts.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, namespace: 'default' },
    spec: {
      type: inputs.length ? 'consumer-aligned' : 'source-aligned',
      owner: `group:default/${name}-team`,
      schema: name.replace(/-/g, '_'),
      inputs,
    },
    relations: ports.map(portName => ({
      type: RELATION_HAS_PART,
      targetRef: `outputport:default/${portName}`,
    })),
  };
}

function port(name: string, of: string, type: string): Entity {
  return {
    apiVersion: 'dataproducts.io/v1alpha1',
    kind: 'OutputPort',
    metadata: { name, namespace: 'default' },
    spec: { dataProduct: of, name: name.split('-').pop(), type },
    relations: [
      { type: RELATION_PART_OF, targetRef: `dataproduct:default/${of}` },
    ],
  };
}

// A chain: source (a table) <- middle (a view of it) <- top (a view of the
// middle view), and a product no one reads or asks about.
const entities = [
  product('source', [], ['source-rows']),
  port('source-rows', 'source', 'postgres-table'),
  product('middle', ['outputport:source-rows'], ['middle-view']),
  port('middle-view', 'middle', 'postgres-view'),
  product('top', ['outputport:middle-view'], ['top-view', 'top-table']),
  port('top-view', 'top', 'postgres-view'),
  port('top-table', 'top', 'postgres-table'),
  product('other', [], ['other-rows']),
  port('other-rows', 'other', 'postgres-table'),
];

describe('RefreshCatalog', () => {
  const catalog = new RefreshCatalog({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
  });
  const credentials = mockCredentials.user();

  it("reads a product's ports and, for its views, what they read to the end of the chain", async () => {
    const targets = await catalog.targetsFor(
      ['dataproduct:default/top'],
      credentials,
    );
    expect([...targets.keys()].sort()).toEqual([
      'outputport:default/middle-view',
      'outputport:default/source-rows',
      'outputport:default/top-table',
      'outputport:default/top-view',
    ]);
    expect(targets.get('outputport:default/top-view')).toMatchObject({
      product: 'dataproduct:default/top',
      owner: 'group:default/top-team',
      inputs: ['outputport:default/middle-view'],
    });
  });

  it('reads a port with its product, and answers nothing for refs not in the catalog', async () => {
    const targets = await catalog.targetsFor(
      ['outputport:default/source-rows', 'dataproduct:default/missing'],
      credentials,
    );
    expect([...targets.keys()]).toEqual(['outputport:default/source-rows']);
    expect(targets.get('outputport:default/source-rows')).toMatchObject({
      productName: 'source',
      type: 'postgres-table',
      inputs: [],
    });
  });

  it('reads the whole catalog once a period for its own tasks', async () => {
    const mock = catalogServiceMock({ entities });
    const getEntities = jest.spyOn(mock, 'getEntities');
    const shared = new RefreshCatalog({
      catalog: mock,
      auth: mockServices.auth(),
      sharedForMs: 60_000,
    });
    const [first, second] = await Promise.all([
      shared.targets(),
      shared.targets(),
    ]);
    expect(second).toBe(first);
    expect(first.size).toBe(5);
    expect(getEntities).toHaveBeenCalledTimes(1);
  });
});
