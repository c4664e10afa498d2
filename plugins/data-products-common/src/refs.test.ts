import type { DataProductEntityV1alpha1 } from './DataProductEntityV1alpha1';
import type { OutputPortEntityV1alpha1 } from './OutputPortEntityV1alpha1';
import {
  dataProductEntityRef,
  dataProductRefSpellings,
  getDataProductInputPortRefs,
  getDataProductInputRefs,
  getOutputPortProductRef,
  isEntityRefOfKind,
  isSameEntityRef,
  isValidEntityName,
  outputPortEntityName,
  outputPortEntityRef,
  parseDataProductInputRef,
  parseDataProductRef,
  parseOutputPortRef,
  parseOwnerRef,
  validateEntityName,
} from './refs';

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

  it("lists a product's input ports, those written without a kind included", () => {
    const productEntity = {
      apiVersion: 'dataproducts.io/v1alpha1',
      kind: 'DataProduct',
      metadata: { name: 'p', namespace: 'team-a' },
      spec: {
        type: 'aggregate',
        lifecycle: 'production',
        owner: 'x',
        schema: 'p',
        inputs: ['q-y', 'resource:t', 'OutputPort:default/r-z'],
      },
    } as DataProductEntityV1alpha1;
    expect(getDataProductInputPortRefs(productEntity)).toEqual([
      {
        written: 'q-y',
        ref: { kind: 'OutputPort', namespace: 'team-a', name: 'q-y' },
      },
      {
        written: 'OutputPort:default/r-z',
        ref: { kind: 'OutputPort', namespace: 'default', name: 'r-z' },
      },
    ]);
  });

  it('spells full refs and compares them as the catalog does', () => {
    expect(dataProductEntityRef('sales-crm')).toBe(
      'dataproduct:default/sales-crm',
    );
    expect(outputPortEntityRef('sales-crm-customers', 'team-a')).toBe(
      'outputport:team-a/sales-crm-customers',
    );
    expect(isEntityRefOfKind('outputport:default/x', 'OutputPort')).toBe(true);
    expect(isEntityRefOfKind('resource:default/x', 'OutputPort')).toBe(false);
    expect(
      isSameEntityRef(
        { kind: 'OutputPort', namespace: 'default', name: 'Sales-CRM' },
        { kind: 'outputport', namespace: 'default', name: 'sales-crm' },
      ),
    ).toBe(true);
    expect(
      dataProductRefSpellings({
        kind: 'DataProduct',
        namespace: 'team-a',
        name: 'orders',
      }),
    ).toEqual([
      'orders',
      'dataproduct:orders',
      'team-a/orders',
      'dataproduct:team-a/orders',
    ]);
  });
});

describe('entity names', () => {
  it('follow the catalog rule', () => {
    for (const name of ['sales-crm', 'Sales_CRM.v2', 'a']) {
      expect(isValidEntityName(name)).toBe(true);
    }
    for (const name of [
      '',
      'sales crm',
      '-sales',
      'sales-',
      'x'.repeat(64),
      42,
    ]) {
      expect(validateEntityName(name)).toBe(
        'must be a catalog entity name: 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
      );
    }
  });
});
