import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { composeEntities } from '../__testUtils__/composeFixtures';
import { OutputPortInputsPicker } from './OutputPortInputsPicker';

async function renderPicker(formData: string[] = []) {
  const onChange = jest.fn();
  const props = {
    formData,
    onChange,
    uiSchema: {},
    formContext: { formData: {} },
    schema: { title: 'Input output ports', type: 'array' },
    idSchema: { $id: 'inputs' },
    rawErrors: [],
  } as any;
  await renderInTestApp(
    <TestApiProvider
      apis={[[catalogApiRef, catalogApiMock({ entities: composeEntities })]]}
    >
      <OutputPortInputsPicker {...props} />
    </TestApiProvider>,
  );
  return { onChange };
}

describe('OutputPortInputsPicker', () => {
  it('lists every output port with its product, owner and description', async () => {
    await renderPicker();
    fireEvent.mouseDown(
      screen.getByRole('textbox', { name: 'Input output ports' }),
    );
    const options = await screen.findAllByRole('option');
    expect(options.map(option => option.textContent)).toEqual([
      'shipments · Logistics WMS ShipmentsOwner: Logistics — Every shipment.',
      'customers · Sales CRM CustomersOwner: Sales — One row per customer.',
      'orders · Sales ERP OrdersOwner: Sales — Real-time orders.',
    ]);
  });

  it('finds a port by its product or owner and stores its entity ref', async () => {
    const { onChange } = await renderPicker([
      'outputport:default/sales-crm-customers-customers',
    ]);
    const input = screen.getByRole('textbox', { name: 'Input output ports' });
    fireEvent.change(input, { target: { value: 'logistics' } });
    const options = await screen.findAllByRole('option');
    expect(options).toHaveLength(1);
    fireEvent.click(within(options[0]).getByText('shipments'));
    expect(onChange).toHaveBeenCalledWith([
      'outputport:default/sales-crm-customers-customers',
      'outputport:default/logistics-wms-shipments-shipments',
    ]);
  });

  it('shows a chosen port by name and product, not by ref', async () => {
    await renderPicker(['outputport:default/sales-erp-orders-orders']);
    expect(
      await screen.findByText('orders (Sales ERP Orders)'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/outputport:default/)).toBeNull();
  });
});
