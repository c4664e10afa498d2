import { DEFAULT_NAMESPACE, type Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { DataProductPlan } from '@dataproducts/plugin-data-products-common';
import { screen, waitFor, within } from '@testing-library/react';
import {
  dataProductPlansApiRef,
  type PlanRequest,
} from '../api/DataProductPlansApi';
import { PlanDiffField, validatePlanDiff } from './PlanDiffField';

const crmCustomers: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'crm-customers',
    namespace: DEFAULT_NAMESPACE,
    annotations: { 'dataproducts.io/table': 'sources.crm_customers' },
  },
  spec: { type: 'postgres-table', owner: 'group:sales' },
};

const FORM = {
  title: 'Sales CRM Customers',
  description: 'Every customer.',
  owner: 'group:default/sales',
  domain: 'domain:default/sales',
  source: 'resource:default/crm-customers',
  schema: 'sales_crm',
  portName: 'customers',
  portType: 'postgres-table',
  portVersion: '1.0.0',
  columns: [
    { name: 'id', type: 'INTEGER', primaryKey: true },
    { name: 'first_name', type: 'VARCHAR(50)' },
  ],
};

const PLAN: DataProductPlan = {
  product: 'sales-crm-customers',
  schema: 'sales_crm',
  steps: [],
  diff: {
    product: 'sales-crm-customers',
    new: false,
    breaking: true,
    refused: true,
    ports: [
      {
        port: 'customers',
        change: 'changed',
        version: { from: '1.0.0', to: '1.0.0' },
        breaking: true,
        outcome: 'refused',
        columns: [
          {
            column: 'email',
            kind: 'removed',
            from: 'character varying(100)',
            breaking: true,
            description: 'column email (character varying(100)) removed',
            derived: [
              {
                product: 'marketing-customer-360',
                port: 'customer_activity',
                column: 'customer_email',
                direct: true,
              },
            ],
          },
          {
            column: 'nickname',
            kind: 'added',
            to: 'character varying(20)',
            breaking: false,
            description: 'column nickname (character varying(20)) added',
          },
        ],
        consumers: [
          {
            product: 'marketing-customer-360',
            role: 'dp_marketing_360',
            via: ['declared-input', 'reader-role'],
          },
        ],
      },
    ],
  },
  problem: {
    name: 'ConflictError',
    message:
      "Output port 'customers' of data product 'sales-crm-customers' (version 1.0.0) would change in a breaking way",
  },
};

async function renderField(plan: DataProductPlan) {
  const onChange = jest.fn();
  const planned: PlanRequest[] = [];
  const plansApi = {
    plan: async (request: PlanRequest) => {
      planned.push(request);
      return plan;
    },
  };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, catalogApiMock({ entities: [crmCustomers] })],
        [dataProductPlansApiRef, plansApi],
      ]}
    >
      <PlanDiffField
        {...({
          name: 'changes',
          onChange,
          formContext: { formData: FORM },
          schema: { title: 'Changes', type: 'object' },
          uiSchema: {},
          rawErrors: [],
        } as any)}
      />
    </TestApiProvider>,
  );
  return { onChange, planned };
}

describe('PlanDiffField', () => {
  it('plans the form’s product and shows each column change, breaking or not, and the consumers affected', async () => {
    const { onChange, planned } = await renderField(PLAN);
    const table = await screen.findByRole('table', {
      name: 'Column changes of customers',
    });
    const removed = within(table).getByText('email').closest('tr')!;
    expect(within(removed).getByText('removed')).toBeInTheDocument();
    expect(within(removed).getByText('breaking')).toBeInTheDocument();
    const added = within(table).getByText('nickname').closest('tr')!;
    expect(within(added).getByText('added')).toBeInTheDocument();
    expect(within(added).getByText('non-breaking')).toBeInTheDocument();
    expect(
      screen.getByText(
        /Consumers affected: data product marketing-customer-360 \(declared input, reader role\)/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/would change in a breaking way/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Consumer columns derived from email: marketing-customer-360.customer_activity.customer_email',
      ),
    ).toBeInTheDocument();

    // The request is the product the template provisions, the source table read from the Resource.
    expect(planned[0].product.metadata.name).toBe('sales-crm-customers');
    expect(planned[0].product.spec).toMatchObject({
      type: 'source-aligned',
      domain: 'sales',
      inputs: ['resource:default/crm-customers'],
    });
    expect(planned[0].ports[0]).toMatchObject({
      metadata: { name: 'sales-crm-customers-customers' },
      spec: { source: 'sources.crm_customers', version: '1.0.0' },
    });
    await waitFor(() =>
      expect(onChange).toHaveBeenCalledWith({
        breaking: true,
        problem: PLAN.problem!.message,
      }),
    );
  });

  it('keeps a refused plan from being submitted, and lets one that runs through', () => {
    const errors: string[] = [];
    const validation = { addError: (e: string) => errors.push(e) } as any;
    validatePlanDiff({ breaking: false }, validation, {} as any);
    expect(errors).toEqual([]);
    validatePlanDiff(
      { breaking: true, problem: 'It is read by x' },
      validation,
      {} as any,
    );
    expect(errors).toEqual([
      'The plan would not run: the reason is shown under Changes; correct it, then review again.',
    ]);
  });

  it('says when nothing changes', async () => {
    await renderField({
      ...PLAN,
      problem: undefined,
      steps: [],
      diff: {
        ...PLAN.diff,
        breaking: false,
        refused: false,
        ports: [
          {
            ...PLAN.diff.ports[0],
            change: 'unchanged',
            columns: [],
            breaking: false,
            outcome: undefined,
          },
        ],
      },
    });
    expect(
      await screen.findByText('No output port changes.'),
    ).toBeInTheDocument();
  });
});
