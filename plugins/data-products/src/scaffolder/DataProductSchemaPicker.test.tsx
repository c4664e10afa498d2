import { DEFAULT_NAMESPACE, type Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { waitFor } from '@testing-library/react';
import { useState } from 'react';
import { DataProductSchemaPicker } from './DataProductSchemaPicker';

const crmCustomers: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'crm-customers', namespace: DEFAULT_NAMESPACE },
  spec: { type: 'postgres-table', owner: 'group:sales', system: 'crm' },
};

async function renderPicker(formData?: string) {
  const onChange = jest.fn();
  const props = {
    formData,
    onChange,
    uiSchema: {},
    formContext: {
      formData: {
        domain: 'domain:default/sales',
        source: 'resource:default/crm-customers',
      },
    },
    schema: { title: 'Schema', type: 'string' },
    rawErrors: [],
    idSchema: { $id: 'root_schema' },
  } as any;
  await renderInTestApp(
    <TestApiProvider
      apis={[[catalogApiRef, catalogApiMock({ entities: [crmCustomers] })]]}
    >
      <DataProductSchemaPicker {...props} />
    </TestApiProvider>,
  );
  return onChange;
}

describe('DataProductSchemaPicker', () => {
  it('suggests the schema from the domain and the source system', async () => {
    const onChange = await renderPicker();
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith('sales_crm'));
  });

  it('suggests again when the form dropped the change', async () => {
    const values: (string | undefined)[] = [];
    let dropped = false;
    const Stateful = () => {
      const [value, setValue] = useState<string | undefined>();
      const [, rerender] = useState(0);
      values.push(value);
      const onChange = (next: string) => {
        if (next === 'sales_crm' && !dropped) {
          // Another field changed at the same moment and its change won.
          dropped = true;
          rerender(n => n + 1);
          return;
        }
        setValue(next);
      };
      return (
        <DataProductSchemaPicker
          {...({
            formData: value,
            onChange,
            uiSchema: {},
            formContext: {
              formData: {
                domain: 'domain:default/sales',
                source: 'resource:default/crm-customers',
              },
            },
            schema: { title: 'Schema', type: 'string' },
            rawErrors: [],
            idSchema: { $id: 'root_schema' },
          } as any)}
        />
      );
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[[catalogApiRef, catalogApiMock({ entities: [crmCustomers] })]]}
      >
        <Stateful />
      </TestApiProvider>,
    );
    await waitFor(() => expect(values[values.length - 1]).toBe('sales_crm'));
    expect(dropped).toBe(true);
  });

  it('keeps a schema the user typed', async () => {
    const onChange = await renderPicker('my_schema');
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(onChange).not.toHaveBeenCalled();
  });
});
