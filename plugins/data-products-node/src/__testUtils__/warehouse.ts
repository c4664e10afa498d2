import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Knex } from 'knex';
import { parseAllDocuments } from 'yaml';
import { TestDatabases } from '@backstage/backend-test-utils';
import { seedSourceData } from '@dataproducts/demo-data';
import type {
  DataProductEntityV1alpha1,
  OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import { WarehouseEngine } from '../engine/WarehouseEngine';
import { ProvisionRequest } from '../engine/types';

const FIXTURES = path.resolve(__dirname, '../../../../fixtures');

/** The demo's products and ports, from fixtures/demo-data-products.yaml. */
export function loadDemo() {
  const docs = parseAllDocuments(
    fs.readFileSync(path.join(FIXTURES, 'demo-data-products.yaml'), 'utf8'),
  ).map(d => d.toJSON());
  return {
    products: docs.filter(
      d => d.kind === 'DataProduct',
    ) as DataProductEntityV1alpha1[],
    ports: docs.filter(
      d => d.kind === 'OutputPort',
    ) as OutputPortEntityV1alpha1[],
  };
}

/** The scenario's original (contract-breaking) model SQL. */
export function originalCustomerActivityModel(): string {
  return fs.readFileSync(
    path.join(FIXTURES, 'customer-activity-original.sql'),
    'utf8',
  );
}

/** A provisioning request for one demo product, inputs resolved from the fixture. */
export function demoRequest(name: string, demo = loadDemo()): ProvisionRequest {
  const product = demo.products.find(p => p.metadata.name === name)!;
  const ports = demo.ports.filter(p => p.spec.dataProduct === name);
  const inputs = (product.spec.inputs ?? [])
    .filter(ref => ref.toLocaleLowerCase('en-US').startsWith('outputport:'))
    .map(ref => {
      const portName = ref.split(':')[1].split('/').pop();
      const port = demo.ports.find(p => p.metadata.name === portName)!;
      return { ref, product: port.spec.dataProduct, port: port.spec.name };
    });
  return { product, ports, inputs };
}

/** The demo product names in provisioning order. */
export const DEMO_ORDER = [
  'sales-crm-customers',
  'sales-erp-orders',
  'logistics-wms-shipments',
  'marketing-customer-360',
];

/** Drops every role with the prefix (and what it owns in this database). */
export async function dropRoles(knex: Knex, prefix: string) {
  const { rows } = await knex.raw(
    'SELECT rolname FROM pg_roles WHERE starts_with(rolname, ?) ORDER BY rolname DESC',
    [prefix],
  );
  if (rows.length === 0) {
    return;
  }
  const names = rows.map(({ rolname }: { rolname: string }) => `"${rolname}"`);
  await knex.raw(`DROP OWNED BY ${names.join(', ')} CASCADE`);
  for (const name of names) {
    await knex.raw(`DROP ROLE ${name}`);
  }
}

/** A fresh warehouse database with seeded sources and an engine with a unique role prefix. */
export async function createTestWarehouse(
  databases: TestDatabases,
  options: { customers?: number } = {},
) {
  const knex = await databases.init('POSTGRES_18');
  const prefix = `t${randomBytes(4).toString('hex')}_`;
  await seedSourceData(knex, { customers: options.customers ?? 500 });
  const engine = new WarehouseEngine({ knex, rolePrefix: prefix });
  await engine.ready();
  return { knex, engine, prefix, cleanup: () => dropRoles(knex, prefix) };
}

/** Provisions the four demo products in order. */
export async function provisionDemo(
  engine: WarehouseEngine,
  demo = loadDemo(),
) {
  const results = [];
  for (const name of DEMO_ORDER) {
    results.push(await engine.apply(demoRequest(name, demo)));
  }
  return results;
}

/** A snapshot of the system catalogs a failed run must leave unchanged. */
export async function catalogSnapshot(knex: Knex, prefix: string) {
  const namespaces = await knex.raw(
    `SELECT nspname FROM pg_namespace ORDER BY nspname`,
  );
  const classes = await knex.raw(
    `SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1, 2`,
  );
  const roles = await knex.raw(
    `SELECT rolname FROM pg_roles WHERE starts_with(rolname, ?) ORDER BY 1`,
    [prefix],
  );
  const members = await knex.raw(
    `SELECT r.rolname AS role, u.rolname AS member FROM pg_auth_members m
       JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
      WHERE starts_with(r.rolname, ?) ORDER BY 1, 2`,
    [prefix],
  );
  return {
    namespaces: namespaces.rows,
    classes: classes.rows,
    roles: roles.rows,
    members: members.rows,
  };
}
