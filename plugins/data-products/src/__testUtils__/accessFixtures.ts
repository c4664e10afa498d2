import { DEFAULT_NAMESPACE, type Entity } from '@backstage/catalog-model';
import type {
  AccessEvent,
  AccessRequest,
  PortAccess,
} from '@dataproducts/plugin-data-products-common';

const CRM_PORT = 'outputport:default/sales-crm-customers-customers';
const CRM_PRODUCT = 'dataproduct:default/sales-crm-customers';

/** The Marketing group's granted request to read Sales CRM's customers. */
export const grantedRequest: AccessRequest = {
  id: 'req-granted',
  port: CRM_PORT,
  product: CRM_PRODUCT,
  consumer: 'group:default/marketing',
  requester: 'user:default/mark.marketing',
  purpose: 'Newsletter segments by signup date',
  until: '2027-03-31T22:59:59.000Z',
  status: 'granted',
  decidedBy: 'user:default/ana.sales',
  createdAt: '2026-11-20T09:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
};

/** The Logistics group's request, waiting for a Sales owner. */
export const pendingRequest: AccessRequest = {
  id: 'req-pending',
  port: CRM_PORT,
  product: CRM_PRODUCT,
  consumer: 'group:default/logistics',
  requester: 'user:default/lou.logistics',
  purpose: 'Delivery addresses for route planning',
  status: 'requested',
  createdAt: '2026-11-24T08:30:00.000Z',
  updatedAt: '2026-11-24T08:30:00.000Z',
};

/**
 * Who reads Sales CRM's customers: a product that declares it as an input, a
 * group through a granted request, and a hand-made grant.
 */
export const crmPortAccess: PortAccess = {
  readers: [
    {
      role: 'dp_marketing_360',
      consumer: 'dataproduct:default/marketing-customer-360',
      managed: true,
    },
    {
      role: 'dp_grp_marketing',
      consumer: 'group:default/marketing',
      managed: true,
      request: grantedRequest,
    },
    { role: 'bi_readonly', managed: false },
  ],
  pending: [pendingRequest],
};

/** Sales CRM Customers' history, newest first. */
export const crmHistory: AccessEvent[] = [
  {
    id: 'ev-3',
    at: '2026-11-20T10:00:00.000Z',
    actor: 'user:default/ana.sales',
    action: 'grant',
    product: CRM_PRODUCT,
    port: CRM_PORT,
    consumer: 'dataproduct:default/marketing-customer-360',
    outcome: 'succeeded',
  },
  {
    id: 'ev-2',
    at: '2026-11-19T06:00:00.000Z',
    actor: 'plugin:data-products',
    action: 'refresh',
    product: CRM_PRODUCT,
    port: CRM_PORT,
    outcome: 'failed',
    detail: 'canceling statement due to statement timeout',
  },
  {
    id: 'ev-1',
    at: '2026-11-18T12:00:00.000Z',
    actor: 'user:default/ana.sales',
    action: 'provision',
    product: CRM_PRODUCT,
    outcome: 'succeeded',
  },
];

function group(name: string, displayName: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: DEFAULT_NAMESPACE },
    spec: { type: 'team', profile: { displayName }, children: [] },
  };
}

const groups = [
  group('marketing', 'Marketing'),
  group('sales', 'Sales'),
  group('logistics', 'Logistics'),
];

function user(name: string, displayName: string, memberOf: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: DEFAULT_NAMESPACE },
    spec: { profile: { displayName }, memberOf: [memberOf] },
  };
}

/** The demo organisation: its groups, for consumer names and choices, and the people who ask and decide. */
export const organisation = [
  ...groups,
  user('ana.sales', 'Ana Sales', 'sales'),
  user('mark.marketing', 'Mark Marketing', 'marketing'),
  user('lou.logistics', 'Lou Logistics', 'logistics'),
];
