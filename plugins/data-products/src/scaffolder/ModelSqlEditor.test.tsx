import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { composeEntities } from '../__testUtils__/composeFixtures';
import { ModelSqlEditor } from './ModelSqlEditor';

async function renderEditor(inputs: string[], formData = 'SELECT ') {
  const onChange = jest.fn();
  const props = {
    formData,
    onChange,
    uiSchema: { 'ui:options': { inputsField: 'inputs' } },
    formContext: { formData: { inputs } },
    schema: { title: 'Model SQL', type: 'string' },
    idSchema: { $id: 'model' },
    rawErrors: [],
  } as any;
  await renderInTestApp(
    <TestApiProvider
      apis={[[catalogApiRef, catalogApiMock({ entities: composeEntities })]]}
    >
      <ModelSqlEditor {...props} />
    </TestApiProvider>,
  );
  return { onChange };
}

describe('ModelSqlEditor', () => {
  it("lists the chosen inputs' columns and types beside the SQL", async () => {
    await renderEditor([
      'outputport:default/sales-erp-orders-orders',
      'outputport:default/logistics-wms-shipments-shipments',
    ]);
    const orders = await screen.findByRole('table', {
      name: 'Columns of orders',
    });
    expect(
      within(orders)
        .getAllByRole('row')
        .map(row => row.textContent),
    ).toEqual(['order_idINTEGER', 'total_amountDECIMAL(10,2)']);
    expect(
      screen.getByRole('table', { name: 'Columns of shipments' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Columns of customers' }),
    ).toBeNull();
  });

  it('inserts an input reference or a column name at the cursor', async () => {
    const { onChange } = await renderEditor([
      'outputport:default/sales-erp-orders-orders',
    ]);
    const editor = screen.getByRole('textbox', {
      name: 'Model SQL',
    }) as HTMLTextAreaElement;
    editor.setSelectionRange(7, 7);
    fireEvent.click(
      await screen.findByRole('button', {
        name: "{{ source('sales_erp_orders', 'orders') }}",
      }),
    );
    expect(onChange).toHaveBeenLastCalledWith(
      "SELECT {{ source('sales_erp_orders', 'orders') }}",
    );
    editor.setSelectionRange(0, 0);
    fireEvent.click(screen.getByText('total_amount'));
    expect(onChange).toHaveBeenLastCalledWith('total_amountSELECT ');
  });

  it('shows the editor alone while no input is chosen', async () => {
    await renderEditor([]);
    expect(
      screen.getByRole('textbox', { name: 'Model SQL' }),
    ).toBeInTheDocument();
    expect(screen.queryByText("The inputs' columns")).toBeNull();
  });
});
