import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { dataProductsApiRef } from '../api';
import { mockDataProductsApi } from '../__testUtils__/renderEntityPage';
import { ContractColumnsEditor } from './ContractColumnsEditor';

const FORM = {
  title: 'Marketing Order Stats',
  schema: 'marketing_order_stats',
  portName: 'daily_orders',
  inputs: ['outputport:default/sales-erp-orders-orders'],
  model:
    "SELECT order_date, count(*) AS orders\nFROM {{ source('sales_erp_orders', 'orders') }}\nGROUP BY order_date",
};

async function renderEditor(
  api = mockDataProductsApi(),
  formData: unknown[] = [{}],
  form: Record<string, unknown> = FORM,
) {
  const onChange = jest.fn();
  const props = {
    formData,
    onChange,
    uiSchema: {},
    formContext: { formData: form },
    schema: { title: 'Declared columns', type: 'array' },
    rawErrors: [],
  } as any;
  await renderInTestApp(
    <TestApiProvider apis={[[dataProductsApiRef, api]]}>
      <ContractColumnsEditor {...props} />
    </TestApiProvider>,
  );
  return { onChange, api };
}

describe('ContractColumnsEditor', () => {
  it('fills the declared columns from what PostgreSQL infers for the draft model', async () => {
    const api = mockDataProductsApi({
      checkModel: jest.fn(async () => ({
        columns: [
          { name: 'order_date', type: 'date' },
          { name: 'orders', type: 'bigint' },
        ],
        sql: 'SELECT …',
      })),
    });
    const { onChange } = await renderEditor(api, [
      { name: 'orders', type: 'INTEGER', description: 'Orders that day.' },
    ]);
    fireEvent.click(
      screen.getByRole('button', { name: 'Fill the contract from the SQL' }),
    );
    await waitFor(() =>
      expect(onChange).toHaveBeenCalledWith([
        { name: 'order_date', type: 'DATE' },
        { name: 'orders', type: 'BIGINT', description: 'Orders that day.' },
      ]),
    );
    expect(api.checkModel).toHaveBeenCalledWith({
      product: {
        name: 'marketing-order-stats',
        schema: 'marketing_order_stats',
        inputs: ['outputport:default/sales-erp-orders-orders'],
      },
      port: 'daily_orders',
      model: FORM.model,
    });
    expect(
      await screen.findByText(/Filled 2 columns from what PostgreSQL infers/),
    ).toBeInTheDocument();
  });

  it("shows the check's error with the line and column it points at, and changes nothing", async () => {
    const message =
      "Function pg_sleep is not allowed in model SQL of port 'daily_orders', line 2, column 8: pg_sleep(600)";
    const api = mockDataProductsApi({
      checkModel: jest.fn(async () => {
        throw await ResponseError.fromResponse({
          ok: false,
          status: 400,
          statusText: 'Bad Request',
          headers: new Headers({ 'content-type': 'application/json' }),
          text: async () =>
            JSON.stringify({
              error: { name: 'InputError', message },
              response: { statusCode: 400 },
            }),
        } as unknown as Response);
      }),
    });
    const { onChange } = await renderEditor(api);
    fireEvent.click(
      screen.getByRole('button', { name: 'Fill the contract from the SQL' }),
    );
    expect(
      await screen.findByText('Line 2, column 8 of the model SQL'),
    ).toBeInTheDocument();
    expect(screen.getByText(message)).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
  });

  it('says what is missing before it can check, and lets columns be written by hand', async () => {
    const { onChange, api } = await renderEditor(undefined, [{}], {
      ...FORM,
      model: '',
    });
    expect(
      screen.getByRole('button', { name: 'Fill the contract from the SQL' }),
    ).toBeDisabled();
    expect(
      screen.getByText('Write the model SQL on the earlier pages first.'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Add a column' }));
    // The form's pre-filled empty item is the first row to write in.
    expect(onChange).toHaveBeenLastCalledWith([{}, { name: '', type: '' }]);
    expect(api.checkModel).not.toHaveBeenCalled();
  });

  it('edits a column in place and drops one', async () => {
    const columns = [
      { name: 'a', type: 'INTEGER' },
      { name: 'b', type: 'TEXT' },
    ];
    const { onChange } = await renderEditor(undefined, columns);
    fireEvent.change(screen.getByLabelText('Type of column 2'), {
      target: { value: 'VARCHAR(10)' },
    });
    expect(onChange).toHaveBeenLastCalledWith([
      columns[0],
      { name: 'b', type: 'VARCHAR(10)' },
    ]);
    // The form here never renders the change back: the drop still builds on
    // the edit before it, as two quick edits do before the form re-renders.
    fireEvent.click(screen.getByLabelText('Drop column 1'));
    expect(onChange).toHaveBeenLastCalledWith([
      { name: 'b', type: 'VARCHAR(10)' },
    ]);
  });
});
