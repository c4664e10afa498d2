import type { OutputPortEntityV1alpha1 } from './OutputPortEntityV1alpha1';

/**
 * How consumers get read access to an output port: `public` ports are granted
 * at once on request, `restricted` ports when an owner approves, `private`
 * ports cannot be requested.
 */
export type OutputPortAccessLevel = 'public' | 'restricted' | 'private';

/**
 * The access level of a port: `restricted` when it names none, `public` for
 * the deprecated spelling `unrestricted`.
 */
export function outputPortAccessLevel(
  port: OutputPortEntityV1alpha1,
): OutputPortAccessLevel {
  const access = port.spec.access;
  if (access === 'public' || access === 'unrestricted') {
    return 'public';
  }
  return access === 'private' ? 'private' : 'restricted';
}

/** Every status an access request can have, in lifecycle order. */
export const ACCESS_REQUEST_STATUSES = [
  'requested',
  'granted',
  'failed',
  'denied',
  'revoked',
  'expired',
] as const;

/**
 * Where an access request stands: `requested` (waiting for an owner),
 * `granted` (the consumer's role holds the port's reader role), `failed` (the
 * GRANT failed; `outcome` says why), `denied`, `revoked` or `expired`.
 */
export type AccessRequestStatus = (typeof ACCESS_REQUEST_STATUSES)[number];

/** A consumer's request for read access to one output port, and its outcome. */
export interface AccessRequest {
  id: string;
  /** The OutputPort entity ref, e.g. `outputport:default/sales-crm-customers-customers`. */
  port: string;
  /** The DataProduct entity ref of the port's product. */
  product: string;
  /** Who gets access: `dataproduct:<namespace>/<name>` or `group:<namespace>/<name>`. */
  consumer: string;
  /** The user who asked. */
  requester: string;
  /** Why the consumer needs the data. */
  purpose: string;
  /** ISO timestamp when granted access ends; open-ended when absent. */
  until?: string;
  status: AccessRequestStatus;
  /** The user who approved, denied or revoked the request. */
  decidedBy?: string;
  /** The note given with the last decision. */
  decisionNote?: string;
  /** What the warehouse answered to the last GRANT or REVOKE, e.g. PostgreSQL's error. */
  outcome?: string;
  createdAt: string;
  updatedAt: string;
}

/** What happened to a product, as its History shows it. */
export type AccessEventAction =
  | 'provision'
  | 'refresh'
  | 'grant'
  | 'revoke'
  | 'expire'
  | 'decommission'
  | 'deprecate'
  | 'undeprecate'
  | 'request'
  | 'approve'
  | 'deny';

/** One change to a product, its access or a request for it. */
export interface AccessEvent {
  id: string;
  /** ISO timestamp. */
  at: string;
  /** The user who did it, or the plugin for scheduled work (`plugin:data-products`). */
  actor: string;
  action: AccessEventAction;
  /** The DataProduct entity ref. */
  product: string;
  /** The OutputPort entity ref, for port and access events. */
  port?: string;
  /** The consumer ref, for access events. */
  consumer?: string;
  outcome: 'succeeded' | 'failed';
  /** What was done or why it failed, in words. */
  detail?: string;
}

/** A role that can read an output port, as the warehouse reports it. */
export interface PortReader {
  /** The PostgreSQL role holding the port's reader role. */
  role: string;
  /** The data product or group the role belongs to, when it is one of the portal's roles. */
  consumer?: string;
  /** False for a grant the portal did not make (made by hand in PostgreSQL). */
  managed: boolean;
  /** The granted request that gave the access, when there is one. */
  request?: AccessRequest;
}

/** The body of `POST /access-requests`. */
export interface NewAccessRequest {
  /** The OutputPort entity ref. */
  port: string;
  /** `dataproduct:<namespace>/<name>` or `group:<namespace>/<name>`. */
  consumer: string;
  purpose: string;
  /** ISO timestamp in the future when access ends. */
  until?: string;
}

/** Filters of `GET /access-requests`; each given one must match. */
export interface AccessRequestQuery {
  port?: string;
  product?: string;
  consumer?: string;
  requester?: string;
  status?: AccessRequestStatus;
}

/** The body of `POST /access-requests/:id/approve`, `/deny` and `/revoke`. */
export interface AccessDecision {
  note?: string;
}

/** The body of `GET /access-requests`. */
export interface AccessRequestList {
  items: AccessRequest[];
}

/** The body of `GET /ports/:namespace/:name/access`. */
export interface PortAccess {
  /** Who can read the port, from the warehouse itself, joined with the requests. */
  readers: PortReader[];
  /** Requests waiting for an owner's decision. */
  pending: AccessRequest[];
}

/** The body of `GET /products/:namespace/:name/history`. */
export interface ProductHistory {
  /** Newest first. */
  events: AccessEvent[];
}

/** The body of `GET /me/access`. */
export interface MyAccess {
  /** The requests the signed-in user made. */
  requests: AccessRequest[];
  /** The ports the user's groups and products can read, and through which (`via`, a consumer ref). */
  readable: Array<{ port: string; via: string }>;
}
