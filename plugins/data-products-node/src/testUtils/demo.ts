import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type {
  DataProductEntityV1alpha1,
  OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import { ApplyResult, ProvisionRequest } from '../engine/types';
import { WarehouseEngine } from '../engine/WarehouseEngine';

/** The repository's fixtures folder, beside plugins/. */
const FIXTURES = resolvePackagePath(
  '@dataproducts/plugin-data-products-node',
  '../../fixtures',
);

/** The demo's products and ports, from fixtures/demo-data-products.yaml. */
export function loadDemo(): {
  products: DataProductEntityV1alpha1[];
  ports: OutputPortEntityV1alpha1[];
} {
  const docs = parseAllDocuments(
    fs.readFileSync(path.join(FIXTURES, 'demo-data-products.yaml'), 'utf8'),
  ).map(d => d.toJSON());
  return {
    products: docs.filter(d => d.kind === 'DataProduct'),
    ports: docs.filter(d => d.kind === 'OutputPort'),
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

/** Provisions the four demo products in order. */
export async function provisionDemo(
  engine: Pick<WarehouseEngine, 'apply'>,
  demo = loadDemo(),
): Promise<ApplyResult[]> {
  const results = [];
  for (const name of DEMO_ORDER) {
    results.push(await engine.apply(demoRequest(name, demo)));
  }
  return results;
}
