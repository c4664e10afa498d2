import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';
import type {
  Lineage,
  PortColumnLineage,
} from '@dataproducts/plugin-data-products-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { marketing360 } from '../../__testUtils__/fixtures';
import {
  findCard,
  mockDataProductsApi,
  renderEntityPage,
} from '../../__testUtils__/renderEntityPage';
import { highlightColumn, mergeColumnLineage } from './columnHighlight';

const SOURCE = 'resource:default/crm-customers';
const CUSTOMERS = 'outputport:default/sales-crm-customers-customers';
const ACTIVITY = 'outputport:default/marketing-customer-360-customer-activity';

const node = (
  id: string,
  kind: string,
  title: string,
  distance: number,
): Lineage['nodes'][number] => ({
  id,
  kind,
  namespace: DEFAULT_NAMESPACE,
  name: id.split('/')[1],
  title,
  type: 'postgres-table',
  distance,
});

const lineage: Lineage = {
  root: 'dataproduct:default/marketing-customer-360',
  truncated: false,
  nodes: [
    node(SOURCE, 'Resource', 'sources.crm_customers', -2),
    node(CUSTOMERS, 'OutputPort', 'customers', -1),
    node(
      'dataproduct:default/marketing-customer-360',
      'DataProduct',
      'Marketing Customer 360',
      0,
    ),
    node(ACTIVITY, 'OutputPort', 'customer_activity', 0),
  ],
  edges: [
    { source: SOURCE, target: CUSTOMERS, type: 'feeds' },
    {
      source: CUSTOMERS,
      target: 'dataproduct:default/marketing-customer-360',
      type: 'feeds',
    },
    {
      source: 'dataproduct:default/marketing-customer-360',
      target: ACTIVITY,
      type: 'exposes',
    },
  ],
};

const field = (
  entityRef: string,
  kind: 'OutputPort' | 'Resource',
  relation: string,
  column: string,
  distance: number,
) => ({
  id: `${entityRef}#${column}`,
  entityRef,
  kind,
  title: relation,
  relation,
  column,
  distance,
});

const IDENTITY = [{ type: 'DIRECT' as const, subtype: 'IDENTITY' as const }];
const TRANSFORMATION = [
  { type: 'DIRECT' as const, subtype: 'TRANSFORMATION' as const },
];
const JOIN = [{ type: 'INDIRECT' as const, subtype: 'JOIN' as const }];

/** customer_activity's columns, as the backend answers (two columns of it). */
const activityColumns: PortColumnLineage = {
  port: ACTIVITY,
  truncated: false,
  columns: [
    {
      name: 'customer_id',
      id: `${ACTIVITY}#customer_id`,
      upstream: [],
      downstream: [],
    },
    {
      name: 'customer_name',
      id: `${ACTIVITY}#customer_name`,
      upstream: [],
      downstream: [],
    },
  ],
  fields: [
    field(
      ACTIVITY,
      'OutputPort',
      'marketing_360.customer_activity',
      'customer_id',
      0,
    ),
    field(
      ACTIVITY,
      'OutputPort',
      'marketing_360.customer_activity',
      'customer_name',
      0,
    ),
    field(CUSTOMERS, 'OutputPort', 'sales_crm.customers', 'id', -1),
    field(CUSTOMERS, 'OutputPort', 'sales_crm.customers', 'first_name', -1),
    field(CUSTOMERS, 'OutputPort', 'sales_crm.customers', 'last_name', -1),
    field(SOURCE, 'Resource', 'sources.crm_customers', 'id', -2),
    field(SOURCE, 'Resource', 'sources.crm_customers', 'first_name', -2),
    field(SOURCE, 'Resource', 'sources.crm_customers', 'last_name', -2),
  ],
  links: [
    {
      source: `${CUSTOMERS}#id`,
      target: `${ACTIVITY}#customer_id`,
      transformations: [...IDENTITY, ...JOIN],
    },
    {
      source: `${CUSTOMERS}#id`,
      target: `${ACTIVITY}#customer_name`,
      transformations: JOIN,
    },
    {
      source: `${CUSTOMERS}#first_name`,
      target: `${ACTIVITY}#customer_name`,
      transformations: TRANSFORMATION,
    },
    {
      source: `${CUSTOMERS}#last_name`,
      target: `${ACTIVITY}#customer_name`,
      transformations: TRANSFORMATION,
    },
    {
      source: `${SOURCE}#id`,
      target: `${CUSTOMERS}#id`,
      transformations: IDENTITY,
    },
    {
      source: `${SOURCE}#first_name`,
      target: `${CUSTOMERS}#first_name`,
      transformations: IDENTITY,
    },
    {
      source: `${SOURCE}#last_name`,
      target: `${CUSTOMERS}#last_name`,
      transformations: IDENTITY,
    },
  ],
};

jest.setTimeout(60_000);

/** How long to wait for the graph to change on a busy machine. */
const SLOW = { timeout: 20_000 };

/** The Lineage card, once its lazily loaded code is compiled (slow on a busy machine). */
async function lineageCard() {
  await screen.findByText(
    'Lineage',
    { selector: '.MuiCardHeader-title' },
    { timeout: 30_000 },
  );
  return findCard('Lineage');
}

function columnsOf(
  card: Awaited<ReturnType<typeof findCard>>,
  entityRef: string,
) {
  const box = card
    .getAllByTestId('lineage-node')
    .find((n: HTMLElement) => n.getAttribute('data-entity-ref') === entityRef)!;
  return Object.fromEntries(
    within(box)
      .queryAllByTestId('lineage-column')
      .map(row => [
        row.getAttribute('data-column'),
        `${row.getAttribute('data-highlight')}${
          row.getAttribute('data-direct') === 'false' ? ' (indirect)' : ''
        }`,
      ]),
  );
}

describe('column lineage in the Lineage card', () => {
  it('expands a port into its columns and highlights a clicked column back to the source table', async () => {
    const columnLineageApi = {
      getPortColumns: jest.fn(async () => activityColumns),
      getColumnImpact: jest.fn(),
    };
    renderEntityPage(
      marketing360,
      mockDataProductsApi({ getLineage: jest.fn(async () => lineage) }),
      undefined,
      { columnLineageApi },
    );
    const card = await lineageCard();
    // The graph is laid out after loading: slow on a busy machine.
    await card.findByText('customer_activity', {}, { timeout: 30_000 });
    const toggles = card.getAllByTestId('lineage-columns-toggle');
    // Output ports only: customers and customer_activity.
    expect(toggles).toHaveLength(2);
    const activity = card
      .getAllByTestId('lineage-node')
      .find(n => n.getAttribute('data-entity-ref') === ACTIVITY)!;
    fireEvent.click(within(activity).getByTestId('lineage-columns-toggle'));
    expect(columnLineageApi.getPortColumns).toHaveBeenCalledWith(ACTIVITY);

    await waitFor(
      () =>
        expect(columnsOf(card, ACTIVITY)).toEqual({
          customer_id: 'none',
          customer_name: 'none',
        }),
      SLOW,
    );
    // The columns its lineage reaches show in the other nodes.
    expect(Object.keys(columnsOf(card, CUSTOMERS))).toEqual([
      'id',
      'first_name',
      'last_name',
    ]);

    // The graph is drawn anew as nodes grow: find the node again.
    const expanded = card
      .getAllByTestId('lineage-node')
      .find(n => n.getAttribute('data-entity-ref') === ACTIVITY)!;
    const name = within(expanded)
      .getAllByTestId('lineage-column')
      .find(r => r.getAttribute('data-column') === 'customer_name')!;
    fireEvent.click(name);
    await waitFor(
      () =>
        expect(columnsOf(card, CUSTOMERS)).toEqual({
          id: 'upstream (indirect)',
          first_name: 'upstream',
          last_name: 'upstream',
        }),
      SLOW,
    );
    expect(columnsOf(card, SOURCE)).toEqual({
      id: 'upstream (indirect)',
      first_name: 'upstream',
      last_name: 'upstream',
    });
    expect(columnsOf(card, ACTIVITY)).toEqual({
      customer_id: 'dimmed',
      customer_name: 'selected',
    });
    expect(card.getAllByText('transformation')).toHaveLength(4);
    expect(card.getAllByText('join')).toHaveLength(2);
    // Clicking a column does not leave the page for the port's.
    expect(card.getAllByTestId('lineage-node')).toHaveLength(4);

    fireEvent.click(name);
    await waitFor(
      () =>
        expect(columnsOf(card, CUSTOMERS)).toEqual({
          id: 'none',
          first_name: 'none',
          last_name: 'none',
        }),
      SLOW,
    );
  });

  it('shows why the columns could not be loaded', async () => {
    renderEntityPage(
      marketing360,
      mockDataProductsApi({ getLineage: jest.fn(async () => lineage) }),
      undefined,
      {
        columnLineageApi: {
          getPortColumns: jest.fn(async () => {
            throw new Error('The warehouse is unreachable');
          }),
          getColumnImpact: jest.fn(),
        },
      },
    );
    const card = await lineageCard();
    // The graph is laid out after loading: slow on a busy machine.
    await card.findByText('customer_activity', {}, { timeout: 30_000 });
    fireEvent.click(card.getAllByTestId('lineage-columns-toggle')[1]);
    expect(
      (await card.findAllByText(/The warehouse is unreachable/, {}, SLOW))
        .length,
    ).toBeGreaterThan(0);
  });
});

describe('highlightColumn', () => {
  it('composes transformations down a chain and keeps indirect ones apart', () => {
    const merged = mergeColumnLineage([activityColumns]);
    const marks = highlightColumn(merged.links, `${SOURCE}#first_name`);
    expect(marks.get(`${ACTIVITY}#customer_name`)).toEqual({
      role: 'downstream',
      transformations: TRANSFORMATION,
      direct: true,
    });
    const fromId = highlightColumn(merged.links, `${SOURCE}#id`);
    expect(fromId.get(`${ACTIVITY}#customer_name`)?.direct).toBe(false);
    expect(fromId.get(`${ACTIVITY}#customer_id`)?.direct).toBe(true);
  });
});
