import {
  catalogApiRef,
  entityPresentationApiRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { waitFor } from '@testing-library/react';
import { composeEntities } from '../__testUtils__/composeFixtures';
import { presentationOf } from '../__testUtils__/renderEntityPage';
import { EntityNamesForReview } from './EntityNamesForReview';

async function renderNames(form: Record<string, unknown>, entityField: string) {
  const onChange = jest.fn();
  const props = {
    formData: undefined,
    onChange,
    uiSchema: { 'ui:options': { entityField } },
    formContext: { formData: form },
    schema: { title: 'Owner', type: 'string' },
    rawErrors: [],
  } as any;
  const view = await renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, catalogApiMock({ entities: composeEntities })],
        [entityPresentationApiRef, presentationOf(composeEntities)],
      ]}
    >
      <EntityNamesForReview {...props} />
    </TestApiProvider>,
  );
  return { onChange, view };
}

describe('EntityNamesForReview', () => {
  it("holds a group's display name for the review, and shows nothing", async () => {
    const { onChange, view } = await renderNames(
      { owner: 'group:default/sales' },
      'owner',
    );
    await waitFor(() => expect(onChange).toHaveBeenCalledWith('Sales'));
    expect(view.container.textContent).toBe('');
  });

  it('names output ports with their products', async () => {
    const { onChange } = await renderNames(
      {
        inputs: [
          'outputport:default/sales-crm-customers-customers',
          'outputport:default/logistics-wms-shipments-shipments',
        ],
      },
      'inputs',
    );
    await waitFor(() =>
      expect(onChange).toHaveBeenCalledWith(
        'customers (Sales CRM Customers), shipments (Logistics WMS Shipments)',
      ),
    );
  });
});
