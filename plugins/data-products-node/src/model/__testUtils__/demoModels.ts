import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadModelParser } from '../parser';
import { checkModel, CheckedModel } from '../checkModel';
import { ModelInput, PhysicalRelation } from '../references';

const FIXTURES = path.resolve(__dirname, '../../../../../fixtures');

interface DemoEntity {
  kind: string;
  metadata: { name: string };
  spec: Record<string, any>;
}

function demoEntities(): DemoEntity[] {
  return parseAllDocuments(
    fs.readFileSync(path.join(FIXTURES, 'demo-data-products.yaml'), 'utf8'),
  ).map(document => document.toJSON());
}

/** A model of the demo: the port it belongs to and its inputs, as the engine resolves them. */
export interface DemoModel {
  portName: string;
  model: string;
  inputs: ModelInput[];
}

/** Every model in fixtures/demo-data-products.yaml, with its product's declared inputs. */
export function demoModels(): DemoModel[] {
  const entities = demoEntities();
  const ports = entities.filter(e => e.kind === 'OutputPort');
  return ports
    .filter(port => typeof port.spec.model === 'string')
    .map(port => {
      const product = entities.find(
        e =>
          e.kind === 'DataProduct' && e.metadata.name === port.spec.dataProduct,
      )!;
      const inputs = (product.spec.inputs as string[])
        .filter(ref => ref.startsWith('outputport:'))
        .map(ref => {
          const input = ports.find(p => p.metadata.name === ref.split(':')[1])!;
          return {
            ref,
            product: input.spec.dataProduct,
            port: input.spec.name,
          };
        });
      return { portName: port.spec.name, model: port.spec.model, inputs };
    });
}

/** The scenario's original customer_activity model (fixtures/customer-activity-original.sql). */
export function originalCustomerActivityModel(): string {
  return fs.readFileSync(
    path.join(FIXTURES, 'customer-activity-original.sql'),
    'utf8',
  );
}

/** The demo's inputs of marketing-customer-360: customers, orders and shipments. */
export const DEMO_INPUTS: ModelInput[] = [
  {
    ref: 'outputport:sales-crm-customers-customers',
    product: 'sales-crm-customers',
    port: 'customers',
  },
  {
    ref: 'outputport:sales-erp-orders-orders',
    product: 'sales-erp-orders',
    port: 'orders',
  },
  {
    ref: 'outputport:logistics-wms-shipments-shipments',
    product: 'logistics-wms-shipments',
    port: 'shipments',
  },
];

const DEMO_SCHEMAS = new Map(
  demoEntities()
    .filter(e => e.kind === 'DataProduct')
    .map(e => [e.metadata.name, String(e.spec.schema)]),
);

/** Where the demo's inputs live: the product's schema, the port's name. */
export function resolveDemoInput(input: ModelInput): PhysicalRelation {
  return { schema: DEMO_SCHEMAS.get(input.product)!, name: input.port };
}

/** Checks a model as the port `out` of a product reading the demo's three inputs. */
export function check(model: string): CheckedModel {
  return checkModel(model, {
    portName: 'out',
    inputs: DEMO_INPUTS,
    resolve: resolveDemoInput,
  });
}

/** Loads the parser once for a test file. */
export function useModelParser() {
  beforeAll(() => loadModelParser());
}
