import {
  type CompoundEntityRef,
  parseEntityRef,
} from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  AccessDecision,
  AccessEvent,
  AccessRequest,
  AccessRequestList,
  AccessRequestQuery,
  MyAccess,
  NewAccessRequest,
  PortAccess,
  ProductHistory,
} from '../accessRequests';

/** The plugin that serves access requests. */
const PLUGIN_ID = 'data-products';

/** Options of one access request call. */
export interface DataProductsAccessRequestOptions {
  /** A Backstage user token for the call. */
  token?: string;
}

/** Access requests, port readers and product history of the data-products backend. */
export interface DataProductsAccessApi {
  /** Asks for read access to a port; a public port's answer is already `granted` (or `failed`). */
  requestAccess(
    request: NewAccessRequest,
    options?: DataProductsAccessRequestOptions,
  ): Promise<AccessRequest>;
  /** The requests matching every given filter, newest first. */
  listAccessRequests(
    query?: AccessRequestQuery,
    options?: DataProductsAccessRequestOptions,
  ): Promise<AccessRequest[]>;
  /** Approves a request: runs the GRANT and answers `granted`, or `failed` with the reason. */
  approveAccessRequest(
    id: string,
    decision?: AccessDecision,
    options?: DataProductsAccessRequestOptions,
  ): Promise<AccessRequest>;
  /** Denies a request that waits for a decision. */
  denyAccessRequest(
    id: string,
    decision?: AccessDecision,
    options?: DataProductsAccessRequestOptions,
  ): Promise<AccessRequest>;
  /** Revokes granted access: runs the REVOKE and answers `revoked`. */
  revokeAccessRequest(
    id: string,
    decision?: AccessDecision,
    options?: DataProductsAccessRequestOptions,
  ): Promise<AccessRequest>;
  /** Who can read a port (from the warehouse) and the requests waiting for a decision. */
  getPortAccess(
    port: string | CompoundEntityRef,
    options?: DataProductsAccessRequestOptions,
  ): Promise<PortAccess>;
  /** Every recorded change to a product and its access, newest first. */
  getProductHistory(
    product: string | CompoundEntityRef,
    options?: DataProductsAccessRequestOptions,
  ): Promise<AccessEvent[]>;
  /** The signed-in user's requests and what their groups and products can read. */
  getMyAccess(options?: DataProductsAccessRequestOptions): Promise<MyAccess>;
}

function entityPath(
  ref: string | CompoundEntityRef,
  defaultKind: string,
): string {
  const { namespace, name } =
    typeof ref === 'string' ? parseEntityRef(ref, { defaultKind }) : ref;
  return `${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

/**
 * An HTTP client of the access API, for the browser and for scripts alike.
 * Every failed call throws the `ResponseError` of `@backstage/errors`, whose
 * `cause` is the server's typed error (`InputError`, `NotAllowedError`,
 * `ConflictError`, `NotFoundError`, ...).
 */
export class DataProductsAccessClient implements DataProductsAccessApi {
  readonly #discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  readonly #fetchApi: { fetch: typeof fetch };

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi ?? {
      fetch: (input, init) => fetch(input, init),
    };
  }

  async requestAccess(
    request: NewAccessRequest,
    options?: DataProductsAccessRequestOptions,
  ): Promise<AccessRequest> {
    return this.#call('POST', '/access-requests', options, request);
  }

  async listAccessRequests(
    query: AccessRequestQuery = {},
    options?: DataProductsAccessRequestOptions,
  ): Promise<AccessRequest[]> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) {
        params.set(key, value);
      }
    }
    const search = params.toString();
    const body: AccessRequestList = await this.#call(
      'GET',
      `/access-requests${search ? `?${search}` : ''}`,
      options,
    );
    return body.items;
  }

  async approveAccessRequest(
    id: string,
    decision: AccessDecision = {},
    options?: DataProductsAccessRequestOptions,
  ): Promise<AccessRequest> {
    return this.#decide(id, 'approve', decision, options);
  }

  async denyAccessRequest(
    id: string,
    decision: AccessDecision = {},
    options?: DataProductsAccessRequestOptions,
  ): Promise<AccessRequest> {
    return this.#decide(id, 'deny', decision, options);
  }

  async revokeAccessRequest(
    id: string,
    decision: AccessDecision = {},
    options?: DataProductsAccessRequestOptions,
  ): Promise<AccessRequest> {
    return this.#decide(id, 'revoke', decision, options);
  }

  async getPortAccess(
    port: string | CompoundEntityRef,
    options?: DataProductsAccessRequestOptions,
  ): Promise<PortAccess> {
    return this.#call(
      'GET',
      `/ports/${entityPath(port, 'OutputPort')}/access`,
      options,
    );
  }

  async getProductHistory(
    product: string | CompoundEntityRef,
    options?: DataProductsAccessRequestOptions,
  ): Promise<AccessEvent[]> {
    const body: ProductHistory = await this.#call(
      'GET',
      `/products/${entityPath(product, 'DataProduct')}/history`,
      options,
    );
    return body.events;
  }

  async getMyAccess(
    options?: DataProductsAccessRequestOptions,
  ): Promise<MyAccess> {
    return this.#call('GET', '/me/access', options);
  }

  #decide(
    id: string,
    verb: 'approve' | 'deny' | 'revoke',
    decision: AccessDecision,
    options?: DataProductsAccessRequestOptions,
  ): Promise<AccessRequest> {
    return this.#call(
      'POST',
      `/access-requests/${encodeURIComponent(id)}/${verb}`,
      options,
      decision,
    );
  }

  async #call<T>(
    method: string,
    path: string,
    options: DataProductsAccessRequestOptions | undefined,
    body?: NewAccessRequest | AccessDecision,
  ): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl(PLUGIN_ID);
    const headers: Record<string, string> = {};
    if (options?.token) {
      headers.Authorization = `Bearer ${options.token}`;
    }
    if (body) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }
}
