import { Entity } from '@backstage/catalog-model';
import { isDataProductEntity, isOutputPortEntity } from './guards';
import {
  getDataProductInputRefs,
  getOutputPortProductRef,
  outputPortEntityName,
  parseDataProductInputRef,
  parseDataProductRef,
  parseOutputPortRef,
  parseOwnerRef,
} from './refs';
import { DataProductEntityV1alpha1, OutputPortEntityV1alpha1 } from './types';

describe('refs', () => {
  it('names output port entities <product>-<port>', () => {
    expect(
      outputPortEntityName('marketing-customer-360', 'customer_activity'),
    ).toBe('marketing-customer-360-customer-activity');
    expect(outputPortEntityName('sales-crm-customers', 'customers')).toBe(
      'sales-crm-customers-customers',
    );
  });

  it('parses product refs with default kind and namespace', () => {
    expect(parseDataProductRef('sales-crm-customers')).toEqual({
      kind: 'DataProduct',
      namespace: 'default',
      name: 'sales-crm-customers',
    });
    expect(
      parseDataProductRef('dataproduct:team-a/orders', {
        defaultNamespace: 'x',
      }),
    ).toEqual({ kind: 'DataProduct', namespace: 'team-a', name: 'orders' });
    expect(() => parseDataProductRef('component:orders')).toThrow(
      'Entity reference "component:orders" must point to DataProduct, not component',
    );
  });

  it('parses port, input and owner refs', () => {
    expect(parseOutputPortRef('a-b', { defaultNamespace: 'ns' })).toEqual({
      kind: 'OutputPort',
      namespace: 'ns',
      name: 'a-b',
    });
    expect(parseDataProductInputRef('resource:crm-customers')).toEqual({
      kind: 'Resource',
      namespace: 'default',
      name: 'crm-customers',
    });
    expect(parseDataProductInputRef('x').kind).toBe('OutputPort');
    expect(parseOwnerRef('marketing').kind).toBe('Group');
    expect(parseOwnerRef('user:jane').kind).toBe('User');
  });

  it("resolves an entity's refs in its own namespace", () => {
    const portEntity = {
      apiVersion: 'dataproducts.io/v1alpha1',
      kind: 'OutputPort',
      metadata: { name: 'p-x', namespace: 'team-a' },
      spec: { dataProduct: 'p', name: 'x', type: 'postgres-view', columns: [] },
    } as OutputPortEntityV1alpha1;
    expect(getOutputPortProductRef(portEntity)).toEqual({
      kind: 'DataProduct',
      namespace: 'team-a',
      name: 'p',
    });
    const productEntity = {
      apiVersion: 'dataproducts.io/v1alpha1',
      kind: 'DataProduct',
      metadata: { name: 'p' },
      spec: {
        type: 'aggregate',
        lifecycle: 'production',
        owner: 'x',
        schema: 'p',
        inputs: ['q-y', 'resource:t'],
      },
    } as DataProductEntityV1alpha1;
    expect(getDataProductInputRefs(productEntity)).toEqual([
      { kind: 'OutputPort', namespace: 'default', name: 'q-y' },
      { kind: 'Resource', namespace: 'default', name: 't' },
    ]);
  });
});

describe('type guards', () => {
  const entity = (kind: string): Entity => ({
    apiVersion: 'dataproducts.io/v1alpha1',
    kind,
    metadata: { name: 'x' },
  });
  it('recognise their kind only', () => {
    expect(isDataProductEntity(entity('DataProduct'))).toBe(true);
    expect(isDataProductEntity(entity('OutputPort'))).toBe(false);
    expect(isOutputPortEntity(entity('OutputPort'))).toBe(true);
    expect(isOutputPortEntity(entity('Component'))).toBe(false);
    expect(isOutputPortEntity(undefined)).toBe(false);
  });
});
