import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { CatalogClient } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogModuleDataProducts } from './module';

jest.setTimeout(120_000);

const DEMO_FIXTURE = path.resolve(
  __dirname,
  '../../../fixtures/demo-data-products.yaml',
);
const INVALID_FIXTURE = path.resolve(
  __dirname,
  '__fixtures__/invalid-output-port.yaml',
);

const PORT_YAML = `
apiVersion: dataproducts.io/v1alpha1
kind: OutputPort
metadata:
  name: finance-invoices-totals
spec:
  dataProduct: finance-invoices
  name: totals
  type: postgres-view
  model: SELECT invoice_id FROM {{ source('finance_invoices', 'invoices') }}
  columns:
    - name: invoice_id
      type: INTEGER
`;

async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

function relations(entity: Entity | undefined): string[] {
  return (entity?.relations ?? []).map(r => `${r.type} ${r.targetRef}`).sort();
}

describe('catalogModuleDataProducts in the catalog', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

  it('loads products and ports with their relations, and rejects an invalid port with a precise error', async () => {
    const knex = await databases.init('POSTGRES_18');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'data-products-'));
    const changingFile = path.join(tmp, 'changing-port.yaml');
    fs.writeFileSync(changingFile, PORT_YAML);

    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleDataProducts,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: false },
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [
                {
                  allow: [
                    'Component',
                    'System',
                    'API',
                    'Resource',
                    'Location',
                    'Domain',
                    'Group',
                    'User',
                    'DataProduct',
                    'OutputPort',
                  ],
                },
              ],
              locations: [
                { type: 'file', target: DEMO_FIXTURE },
                { type: 'file', target: INVALID_FIXTURE },
                { type: 'file', target: changingFile },
              ],
            },
          },
        }),
      ],
    });

    try {
      const catalog = new CatalogClient({
        discoveryApi: {
          getBaseUrl: async () =>
            `http://localhost:${backend.server.port()}/api/catalog`,
        },
      });

      // Every port gets its owner from its product, which may take a second
      // processing round: wait until all ports have one.
      const entities = await waitFor(async () => {
        const { items } = await catalog.getEntities({
          filter: { kind: ['DataProduct', 'OutputPort'] },
        });
        const ports = items.filter(e => e.kind === 'OutputPort');
        const ready =
          items.length === 10 &&
          ports.every(p => p.relations?.some(r => r.type === 'ownedBy'));
        return ready ? items : undefined;
      });
      const byRef = (ref: string) =>
        entities.find(
          e =>
            `${e.kind}:${e.metadata.name}`.toLocaleLowerCase('en-US') === ref,
        );

      expect(entities.map(e => `${e.kind}:${e.metadata.name}`).sort()).toEqual([
        'DataProduct:finance-invoices',
        'DataProduct:logistics-wms-shipments',
        'DataProduct:marketing-customer-360',
        'DataProduct:sales-crm-customers',
        'DataProduct:sales-erp-orders',
        'OutputPort:finance-invoices-totals',
        'OutputPort:logistics-wms-shipments-shipments',
        'OutputPort:marketing-customer-360-customer-activity',
        'OutputPort:sales-crm-customers-customers',
        'OutputPort:sales-erp-orders-orders',
      ]);

      expect(relations(byRef('dataproduct:marketing-customer-360'))).toEqual([
        'dependsOn outputport:default/logistics-wms-shipments-shipments',
        'dependsOn outputport:default/sales-crm-customers-customers',
        'dependsOn outputport:default/sales-erp-orders-orders',
        'hasPart outputport:default/marketing-customer-360-customer-activity',
        'ownedBy group:default/marketing',
        'partOf domain:default/marketing',
      ]);
      expect(relations(byRef('dataproduct:sales-crm-customers'))).toEqual([
        'dependsOn resource:default/crm-customers',
        'hasPart outputport:default/sales-crm-customers-customers',
        'ownedBy group:default/sales',
        'partOf domain:default/sales',
      ]);
      expect(
        relations(byRef('outputport:sales-crm-customers-customers')),
      ).toEqual([
        'dependencyOf dataproduct:default/marketing-customer-360',
        'ownedBy group:default/sales',
        'partOf dataproduct:default/sales-crm-customers',
      ]);
      expect(
        relations(byRef('outputport:marketing-customer-360-customer-activity')),
      ).toEqual([
        'ownedBy group:default/marketing',
        'partOf dataproduct:default/marketing-customer-360',
      ]);

      // The invalid port never enters the catalog; the product beside it does.
      await expect(
        catalog.getEntityByRef('outputport:default/finance-invoices-invoices'),
      ).resolves.toBeUndefined();
      expect(relations(byRef('dataproduct:finance-invoices'))).toEqual([
        'hasPart outputport:default/finance-invoices-totals',
        'ownedBy group:default/sales',
        'partOf domain:default/sales',
      ]);

      // Its processing error, as the unprocessed-entities view reads it,
      // names the field, the value and the rule.
      const failed = await waitFor(async () => {
        const row = await knex('refresh_state')
          .where({ entity_ref: 'outputport:default/finance-invoices-invoices' })
          .first();
        return row?.errors && row.errors !== '[]' ? row : undefined;
      });
      const [error] = JSON.parse(failed.errors);
      expect(error.name).toBe('InputError');
      expect(error.message).toMatch(
        /^Processor DataProductsProcessor threw an error while validating the entity outputport:default\/finance-invoices-invoices; caused by TypeError: Invalid OutputPort "finance-invoices-invoices": /,
      );
      expect(error.message).toContain(
        'spec.columns[1].type: "MONEY" must be one of the documented column types',
      );
      expect(error.message).toContain(
        'spec.columns[2].name: "user" must not be a PostgreSQL reserved word',
      );

      // The catalog's validate-entity API reports the same problems.
      const invalidPort = {
        apiVersion: 'dataproducts.io/v1alpha1',
        kind: 'OutputPort',
        metadata: { name: 'finance-invoices-invoices' },
        spec: {
          dataProduct: 'finance-invoices',
          name: 'invoices',
          type: 'postgres-table',
          source: 'sources.invoices',
          model: 'SELECT 1 AS invoice_id',
          columns: [{ name: 'invoice_id', type: 'INTEGER' }],
        },
      };
      const validation = await catalog.validateEntity(
        invalidPort,
        'url:https://example.com/data-products/catalog-info.yaml',
      );
      expect(validation.valid).toBe(false);
      expect(
        validation.valid ? [] : validation.errors.map(e => e.message),
      ).toEqual([
        expect.stringContaining(
          'spec.model must not be set together with spec.source',
        ),
      ]);

      // A port that was valid and becomes invalid keeps its last good version
      // and shows the error in its status, through the catalog API.
      fs.writeFileSync(
        changingFile,
        PORT_YAML.replace('type: INTEGER', 'type: VARCHAR(0)'),
      );
      const status = await waitFor(async () => {
        const port: AlphaEntity | undefined = await catalog.getEntityByRef(
          'outputport:default/finance-invoices-totals',
        );
        const items = (port?.status?.items ?? []).filter(
          i => i.level === 'error',
        );
        return items.length ? items : undefined;
      });
      expect(status[0].message).toContain(
        'spec.columns[0].type: "VARCHAR(0)" must have a VARCHAR length between 1 and 10485760 (it is 0)',
      );
    } finally {
      await backend.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
