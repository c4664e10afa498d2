import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  DataProductEntityV1alpha1,
  OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import { warehouseTestDatabaseId } from '@dataproducts/plugin-data-products-node/testUtils';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../../database/migrations';
import { withRelations } from '../../testUtils/demoCatalog';
import { MeshIndex } from '../MeshIndex';
import { MeshIndexSync } from '../MeshIndexSync';

/**
 * A catalog whose entities a test replaces, as catalog locations change:
 * every call goes to an in-memory catalog of the current entities.
 */
export class ChangingCatalog {
  #catalog: CatalogService;
  /** The catalog service the index reads. */
  readonly service: CatalogService;

  constructor(entities: Entity[]) {
    this.#catalog = catalogServiceMock({ entities: withRelations(entities) });
    const methods = Object.getOwnPropertyNames(
      Object.getPrototypeOf(this.#catalog),
    ).filter(name => name !== 'constructor');
    this.service = Object.fromEntries(
      methods.map(name => [
        name,
        (...args: unknown[]) => (this.#catalog as any)[name](...args),
      ]),
    ) as unknown as CatalogService;
  }

  /** Replaces the catalog's entities (relations are added as the catalog would). */
  set(entities: Entity[]) {
    this.#catalog = catalogServiceMock({ entities: withRelations(entities) });
  }
}

/** A fresh plugin database with the package's migrations applied. */
export async function meshTestDatabase(
  databases: TestDatabases,
): Promise<Knex> {
  const knex = await databases.init(warehouseTestDatabaseId());
  await applyDatabaseMigrations(knex);
  return knex;
}

/** An index and its sync over a database and a catalog. */
export function meshIndexOver(knex: Knex, catalog: CatalogService) {
  const index = new MeshIndex(knex);
  const sync = new MeshIndexSync({
    index,
    catalog,
    auth: mockServices.auth(),
  });
  return { index, sync };
}

/** Writes a registry row, as the registry stores a registered product. */
export async function register(
  knex: Knex,
  entity: DataProductEntityV1alpha1,
  ports: OutputPortEntityV1alpha1[],
  status = 'provisioned',
) {
  const now = new Date();
  await knex('data_product_registry')
    .insert({
      name: entity.metadata.name,
      product: JSON.stringify(entity),
      ports: JSON.stringify(ports),
      status,
      created_at: now,
      updated_at: now,
    })
    .onConflict('name')
    .merge(['product', 'ports', 'status', 'updated_at']);
}

/** Every row of the index, in a stable order. */
export async function indexRows(knex: Knex) {
  const nodes = await knex('data_product_mesh_nodes').orderBy('ref');
  const edges = await knex('data_product_mesh_edges').orderBy([
    'source',
    'target',
    'type',
  ]);
  return { nodes, edges };
}

/** A data product entity, for tests. */
export function product(
  name: string,
  spec: Partial<DataProductEntityV1alpha1['spec']> = {},
  metadata: Partial<Entity['metadata']> = {},
): DataProductEntityV1alpha1 {
  return {
    apiVersion: 'dataproducts.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, ...metadata },
    spec: {
      type: 'aggregate',
      lifecycle: 'experimental',
      owner: 'group:data-platform',
      schema: name.replace(/-/g, '_'),
      ...spec,
    },
  };
}

/** An output port entity of a product, for tests. */
export function port(
  productName: string,
  portName: string,
  columns: Array<{ name: string; description?: string }> = [
    { name: 'id', description: 'The identifier.' },
  ],
): OutputPortEntityV1alpha1 {
  return {
    apiVersion: 'dataproducts.io/v1alpha1',
    kind: 'OutputPort',
    metadata: { name: `${productName}-${portName.replace(/_/g, '-')}` },
    spec: {
      dataProduct: productName,
      name: portName,
      type: 'postgres-view',
      columns: columns.map(column => ({ type: 'INTEGER', ...column })),
    },
  };
}
