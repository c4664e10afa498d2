import { DEFAULT_NAMESPACE, type Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { SourceTableColumnsPicker } from './SourceTableColumnsPicker';

const crmCustomers: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'crm-customers',
    namespace: DEFAULT_NAMESPACE,
    description: `Customers as the CRM records them.

| column | type | description |
| --- | --- | --- |
| id | INTEGER (primary key) | Unique identifier for the customer. |
| email | VARCHAR(100) | The customer's email address. |
`,
  },
  spec: { type: 'postgres-table', owner: 'group:sales', system: 'crm' },
};

async function renderPicker(formData?: unknown[]) {
  const onChange = jest.fn();
  const props = {
    formData,
    onChange,
    uiSchema: { 'ui:options': { sourceField: 'source' } },
    formContext: { formData: { source: 'resource:default/crm-customers' } },
    schema: { title: 'Columns', type: 'array' },
    rawErrors: [],
  } as any;
  const view = await renderInTestApp(
    <TestApiProvider
      apis={[[catalogApiRef, catalogApiMock({ entities: [crmCustomers] })]]}
    >
      <SourceTableColumnsPicker {...props} />
    </TestApiProvider>,
  );
  return { onChange, view, props };
}

describe('SourceTableColumnsPicker', () => {
  it('fills in the columns documented by the selected source table', async () => {
    const { onChange } = await renderPicker();
    await waitFor(() =>
      expect(onChange).toHaveBeenCalledWith([
        {
          name: 'id',
          type: 'INTEGER',
          description: 'Unique identifier for the customer.',
          primaryKey: true,
        },
        {
          name: 'email',
          type: 'VARCHAR(100)',
          description: "The customer's email address.",
        },
      ]),
    );
  });

  it('shows no row for the empty item the form pre-fills before a source is picked', async () => {
    await renderPicker([{}]);
    expect(screen.queryByRole('button', { name: /^Drop/ })).toBeNull();
    expect(screen.queryByText('undefined')).toBeNull();
  });

  it('keeps columns already chosen and lets descriptions be edited and columns dropped', async () => {
    const columns = [
      { name: 'id', type: 'INTEGER', description: 'Mine.' },
      { name: 'email', type: 'VARCHAR(100)' },
    ];
    const { onChange } = await renderPicker(columns);
    expect(screen.getByText('VARCHAR(100)')).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Description of email'), {
      target: { value: 'Where to write.' },
    });
    expect(onChange).toHaveBeenLastCalledWith([
      columns[0],
      { ...columns[1], description: 'Where to write.' },
    ]);

    fireEvent.click(screen.getByLabelText('Drop id'));
    expect(onChange).toHaveBeenLastCalledWith([columns[1]]);
    expect(onChange).toHaveBeenCalledTimes(2);
  });
});
