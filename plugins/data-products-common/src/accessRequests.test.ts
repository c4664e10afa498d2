import { outputPortAccessLevel } from './accessRequests';
import type { OutputPortEntityV1alpha1 } from './OutputPortEntityV1alpha1';

function port(
  access?: OutputPortEntityV1alpha1['spec']['access'],
): OutputPortEntityV1alpha1 {
  return {
    apiVersion: 'dataproducts.io/v1alpha1',
    kind: 'OutputPort',
    metadata: { name: 'sales-crm-customers-customers' },
    spec: {
      dataProduct: 'sales-crm-customers',
      name: 'customers',
      type: 'postgres-table',
      source: 'sources.crm_customers',
      columns: [{ name: 'id', type: 'INTEGER' }],
      ...(access ? { access } : {}),
    },
  };
}

describe('outputPortAccessLevel', () => {
  it.each([
    [undefined, 'restricted'],
    ['restricted', 'restricted'],
    ['public', 'public'],
    ['unrestricted', 'public'],
    ['private', 'private'],
  ] as const)('reads access %s as %s', (access, level) => {
    expect(outputPortAccessLevel(port(access))).toBe(level);
  });
});
