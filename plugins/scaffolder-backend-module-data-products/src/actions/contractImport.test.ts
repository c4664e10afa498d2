import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  toOdcsContract,
  type DataProductEntityV1alpha1,
  type OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import { stringifyOdcsContract } from '@dataproducts/plugin-data-products-node';
import {
  catalogSnapshot,
  createWarehouseTestDatabases,
} from '@dataproducts/plugin-data-products-node/testUtils';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import yaml from 'yaml';
import {
  createActionTestWarehouse,
  demoEntities,
} from '../__testUtils__/warehouse';
import { createContractImportAction } from './contractImport';
import { exampleContract } from './contractImport.examples';

jest.setTimeout(120_000);

type Outputs = {
  product?: DataProductEntityV1alpha1;
  ports?: OutputPortEntityV1alpha1[];
  ignored?: string[];
};

describe('dataproduct:contract:import', () => {
  let server: Server;
  let origin: string;
  let served: Record<string, string>;
  let hits: string[];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url!);
      const body = served[req.url!];
      res.writeHead(body === undefined ? 404 : 200, {
        'content-type': 'application/yaml',
      });
      res.end(body ?? 'not found');
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));
  beforeEach(() => {
    served = {};
    hits = [];
  });

  /** The action with Backstage's own URL reader, allowing this test's server only. */
  function action(maxBytes?: number) {
    const urlReader = UrlReaders.default({
      config: mockServices.rootConfig({
        data: {
          backend: {
            reading: {
              allow: [{ host: new URL(origin).host, paths: ['/contracts/'] }],
            },
          },
        },
      }),
      logger: mockServices.logger.mock(),
    });
    return createContractImportAction({ urlReader, maxBytes });
  }

  async function run(input: Record<string, unknown>, maxBytes?: number) {
    const ctx = createMockActionContext({ input: input as any });
    await action(maxBytes).handler(ctx as any);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls) as Outputs;
  }

  const text = yaml.stringify(exampleContract);

  it('outputs the product and port a pasted contract defines', async () => {
    const { product, ports, ignored } = await run({ contract: text });
    expect(product).toEqual({
      apiVersion: 'dataproducts.io/v1alpha1',
      kind: 'DataProduct',
      metadata: {
        name: 'sales-crm-contacts',
        title: 'Sales CRM Contacts',
        description: 'Who to contact at each customer.',
      },
      spec: {
        type: 'source-aligned',
        lifecycle: 'production',
        owner: 'group:sales',
        domain: 'sales',
        schema: 'sales_crm_contacts',
        inputs: ['resource:crm-customers'],
      },
    });
    expect(ports).toEqual([
      {
        apiVersion: 'dataproducts.io/v1alpha1',
        kind: 'OutputPort',
        metadata: {
          name: 'sales-crm-contacts-contacts',
          title: 'contacts',
          description: 'One row per customer with an email address.',
        },
        spec: {
          dataProduct: 'sales-crm-contacts',
          name: 'contacts',
          type: 'postgres-table',
          version: '1.0.0',
          access: 'restricted',
          refresh: { schedule: { every: 'P1D' }, freshness: { maxAge: 'P2D' } },
          quality: [
            { name: 'not_empty', metric: 'rowCount', mustBeGreaterThan: 0 },
            {
              metric: 'nullValues',
              column: 'email',
              unit: 'percent',
              mustBeLessThan: 10,
              severity: 'warning',
            },
          ],
          source: 'sources.crm_customers',
          columns: [
            {
              name: 'id',
              type: 'INTEGER',
              description: 'The customer.',
              required: true,
              unique: true,
              primaryKey: true,
            },
            { name: 'email', type: 'VARCHAR(100)', classification: 'pii' },
          ],
        },
      },
    ]);
    expect(ignored).toEqual([]);
  });

  it('gives back what the export wrote: export → import → export is the same text', async () => {
    const products = demoEntities.filter(e => e.kind === 'DataProduct');
    for (const port of demoEntities.filter(
      e => e.kind === 'OutputPort',
    ) as OutputPortEntityV1alpha1[]) {
      const product = products.find(
        p => p.metadata.name === port.spec.dataProduct,
      ) as DataProductEntityV1alpha1;
      const context = {
        server: { name: 'warehouse', host: 'db', database: 'wh' },
      };
      const exported = stringifyOdcsContract(
        toOdcsContract(port, product, context),
      );
      const imported = await run({ contract: exported });
      const again = stringifyOdcsContract(
        toOdcsContract(imported.ports![0], imported.product!, context),
      );
      expect(yaml.parse(again)).toEqual(yaml.parse(exported));
      expect(again).toBe(exported);
    }
  });

  it('reads a contract from a URL that backend.reading.allow allows', async () => {
    served['/contracts/contacts.yaml'] = text;
    const { product } = await run({
      url: `${origin}/contracts/contacts.yaml`,
    });
    expect(product!.metadata.name).toBe('sales-crm-contacts');
    expect(hits).toEqual(['/contracts/contacts.yaml']);
  });

  it('never reads a URL that backend.reading.allow does not allow', async () => {
    served['/secret'] = text;
    for (const url of [
      `${origin}/secret`,
      'http://169.254.169.254/latest/meta-data/',
      'file:///etc/passwd',
    ]) {
      await expect(run({ url })).rejects.toThrow(
        /is not allowed|backend\.reading\.allow|no reader/i,
      );
    }
    expect(hits).toEqual([]);
  });

  it('refuses a contract larger than the limit, pasted or read', async () => {
    served['/contracts/big.yaml'] = text;
    await expect(
      run({ url: `${origin}/contracts/big.yaml` }, 200),
    ).rejects.toThrow(
      `The data contract at ${origin}/contracts/big.yaml is more than the 200 bytes the portal reads`,
    );
    await expect(run({ contract: text }, 200)).rejects.toThrow(
      /^The data contract is \d+ bytes, more than the 200 bytes the portal reads/,
    );
  });

  it('refuses YAML bombs and custom tags before mapping anything', async () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefghij'
        .split('')
        .map(
          (name, i) =>
            `${name}: &${name} [${Array(10)
              .fill(`*${'abcdefghij'[i]}`)
              .join(', ')}]`,
        ),
    ].join('\n');
    await expect(run({ contract: bomb })).rejects.toThrow(
      /The data contract is refused: Excessive alias count/,
    );
    await expect(
      run({ contract: `${text}\nextra: !!js/function "() => 1"\n` }),
    ).rejects.toThrow(/not valid YAML/);
  });

  it('refuses an invalid contract, naming the field', async () => {
    const invalid = yaml.stringify({
      ...exampleContract,
      apiVersion: 'v2.2.2',
      schema: [{ ...exampleContract.schema[0], physicalType: 'topic' }],
    });
    await expect(run({ contract: invalid })).rejects.toThrow(
      'The data contract cannot be imported: apiVersion: "v2.2.2" must be one of v3.1.0, v3.0.2, v3.0.1, v3.0.0',
    );
    const jsonb = yaml.parse(text);
    jsonb.schema[0].properties[1].physicalType = 'VARCHAR(0)';
    await expect(run({ contract: yaml.stringify(jsonb) })).rejects.toThrow(
      'schema[0].properties[1].physicalType: "VARCHAR(0)" is not a supported column type',
    );
  });

  it('asks for exactly one of contract and url', async () => {
    await expect(run({})).rejects.toThrow(
      'dataproduct:contract:import needs the contract as YAML text (contract) or its URL (url), one of them',
    );
    await expect(
      run({ contract: text, url: `${origin}/contracts/x.yaml` }),
    ).rejects.toThrow(/one of them/);
  });

  describe('provisioned for real', () => {
    let stop: () => Promise<void>;
    afterAll(() => stop?.());
    const databases = createWarehouseTestDatabases();

    it("provisions the imported product with the contract's columns and constraints, and refuses a broken one leaving the warehouse as it was", async () => {
      const testWarehouse = await createActionTestWarehouse(databases);
      stop = testWarehouse.cleanup;
      const { product, ports } = await run({ contract: text });
      await testWarehouse.provision.handler(
        createMockActionContext({ input: { product, ports } as any }) as any,
      );
      const { rows } = await testWarehouse.knex.raw(
        `SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull
           FROM pg_catalog.pg_attribute a
           JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'sales_crm_contacts' AND c.relname = 'contacts'
            AND a.attnum > 0 AND NOT a.attisdropped
          ORDER BY a.attnum`,
      );
      expect(rows).toEqual([
        { attname: 'id', type: 'integer', attnotnull: true },
        { attname: 'email', type: 'character varying(100)', attnotnull: false },
      ]);

      // A contract whose declared columns the source cannot give fails the
      // build and changes nothing.
      const before = await catalogSnapshot(
        testWarehouse.knex,
        testWarehouse.prefix,
      );
      const broken = yaml.parse(text);
      broken.dataProduct = 'sales-crm-broken';
      broken.id = 'outputport:default/sales-crm-broken-contacts';
      broken.servers[0].schema = 'sales_crm_broken';
      broken.schema[0].properties[1].name = 'no_such_column';
      const imported = await run({ contract: yaml.stringify(broken) });
      await expect(
        testWarehouse.provision.handler(
          createMockActionContext({
            input: {
              product: imported.product,
              ports: imported.ports,
            } as any,
          }) as any,
        ),
      ).rejects.toThrow(/no_such_column/);
      expect(
        await catalogSnapshot(testWarehouse.knex, testWarehouse.prefix),
      ).toEqual(before);
    });
  });
});
