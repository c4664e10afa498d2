import type {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  type AccessRequest,
  dataProductAccessApprovePermission,
  dataProductAccessRequestPermission,
  dataProductAccessRevokePermission,
  dataProductUpdatePermission,
  type NewAccessRequest,
  outputPortAccessLevel,
} from '@dataproducts/plugin-data-products-common';
import type { HistoryRecorder, NewAccessEvent } from '../history';
import {
  type AccessCatalog,
  type AccessConsumerEntity,
  normalizeRef,
} from './AccessCatalog';
import type { AccessNotifier } from './AccessNotifier';
import {
  type AccessRequestStore,
  type StoredAccessRequest,
  toAccessRequest,
} from './AccessRequestStore';
import { authorizeOnProduct } from './authorizeOnProduct';
import {
  type AccessWarehouse,
  describeChange,
  warehouseGrant,
} from './warehouseGrant';

/** A signed-in user's credentials. */
export type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/** What an access decision needs besides the request. */
interface Decision {
  id: string;
  note?: string;
  credentials: UserCredentials;
}

/** The caller's user entity ref, as the catalog compares refs. */
function userOf(credentials: UserCredentials): string {
  return normalizeRef(credentials.principal.userEntityRef);
}

function notRequested(request: AccessRequest, doing: string): ConflictError {
  return new ConflictError(
    `Access request ${request.id} is ${request.status}: only a request that waits for a decision (requested) can be ${doing}`,
  );
}

/**
 * The lifecycle of access requests: a consumer asks for read access to an
 * output port; an owner approves (the GRANT runs and its outcome is written
 * back) or denies; access is revoked later. Every decision is checked with
 * the caller's credentials before anything changes, runs under the request's
 * row lock, and is recorded in the product's History and notified.
 */
export class AccessService {
  constructor(
    private readonly options: {
      store: AccessRequestStore;
      catalog: AccessCatalog;
      warehouse: AccessWarehouse;
      permissions: PermissionsService;
      history: HistoryRecorder;
      notifier: AccessNotifier;
    },
  ) {}

  /**
   * Asks for read access to a port for a consumer the caller acts for. A
   * public port is granted at once (`granted`, or `failed` with the reason);
   * a restricted one waits for an owner; a private one is refused.
   */
  async request(
    input: NewAccessRequest,
    credentials: UserCredentials,
  ): Promise<AccessRequest> {
    const { catalog, store, history, notifier } = this.options;
    const user = userOf(credentials);
    const port = await catalog.port(input.port, credentials);
    await this.authorizeOn(
      {
        permission: dataProductAccessRequestPermission,
        product: port.product,
        doing: 'request access to',
      },
      credentials,
      { action: 'request', port: port.ref },
    );
    const level = outputPortAccessLevel(port.entity);
    if (level === 'private') {
      throw new InputError(
        `Output port ${port.ref} is private: its access cannot be requested. Ask its owner ${port.owner} to make it restricted or public.`,
      );
    }
    const consumer = await catalog.consumer(input.consumer, credentials);
    if (consumer.ref === port.product) {
      throw new InputError(
        `${consumer.ref} owns ${port.ref}: a product reads its own ports without a request`,
      );
    }
    await this.checkActsFor(consumer, credentials);
    if (input.until !== undefined && Date.parse(input.until) <= Date.now()) {
      throw new InputError(
        `Invalid until ${JSON.stringify(
          input.until,
        )}: access must end in the future`,
      );
    }
    const created = await store.create({
      port: port.ref,
      product: port.product,
      consumer: consumer.ref,
      productName: port.productName,
      portName: port.portName,
      consumerName: consumer.name,
      requester: user,
      purpose: input.purpose,
      until: input.until,
    });
    await history.record({
      actor: user,
      action: 'request',
      product: created.product,
      port: created.port,
      consumer: created.consumer,
      outcome: 'succeeded',
      detail: `Purpose: ${created.purpose}`,
    });
    const result =
      level === 'public'
        ? await this.grant(created.id, user, {
            note: 'The port is public: granted on request',
          })
        : created;
    await notifier.requested(toAccessRequest(result), port.owner);
    return toAccessRequest(result);
  }

  /** Approves a waiting request: the GRANT runs, and the request becomes `granted` or `failed`. */
  async approve(decision: Decision): Promise<AccessRequest> {
    const { id, note, credentials } = decision;
    const user = userOf(credentials);
    await this.authorize(id, credentials, 'approve');
    const granted = await this.grant(id, user, { note, approval: true });
    await this.options.notifier.decided(toAccessRequest(granted), user);
    return toAccessRequest(granted);
  }

  /** Denies a waiting request, with a note. */
  async deny(decision: Decision): Promise<AccessRequest> {
    const { id, note, credentials } = decision;
    const user = userOf(credentials);
    await this.authorize(id, credentials, 'deny');
    const denied = await this.options.store.transition(id, async current => {
      if (current.status !== 'requested') {
        throw notRequested(current, 'denied');
      }
      return { status: 'denied', decidedBy: user, decisionNote: note ?? '' };
    });
    await this.options.history.record({
      actor: user,
      action: 'deny',
      product: denied.product,
      port: denied.port,
      consumer: denied.consumer,
      outcome: 'succeeded',
      ...(note ? { detail: note } : {}),
    });
    await this.options.notifier.decided(toAccessRequest(denied), user);
    return toAccessRequest(denied);
  }

  /**
   * Revokes granted access: the REVOKE runs and the request becomes
   * `revoked`. When the REVOKE fails the request stays `granted`, the
   * failure is recorded, and the warehouse's error is thrown.
   */
  async revoke(decision: Decision): Promise<AccessRequest> {
    const { id, note, credentials } = decision;
    const user = userOf(credentials);
    await this.authorize(id, credentials, 'revoke');
    const { store, warehouse, history, notifier } = this.options;
    const attempt: { failed?: StoredAccessRequest } = {};
    try {
      const revoked = await store.transition(id, async current => {
        if (current.status !== 'granted') {
          throw new ConflictError(
            `Access request ${id} is ${
              current.status
            }: only granted access can be revoked${
              current.status === 'requested' ? '; deny the request instead' : ''
            }`,
          );
        }
        attempt.failed = current;
        const result = await warehouse.revoke(warehouseGrant(current));
        delete attempt.failed;
        return {
          status: 'revoked',
          decidedBy: user,
          decisionNote: note ?? '',
          outcome: describeChange('revoke', result),
        };
      });
      await history.record({
        actor: user,
        action: 'revoke',
        product: revoked.product,
        port: revoked.port,
        consumer: revoked.consumer,
        outcome: 'succeeded',
        detail: [note, revoked.outcome].filter(Boolean).join(' - '),
      });
      await notifier.decided(toAccessRequest(revoked), user);
      return toAccessRequest(revoked);
    } catch (error) {
      const { failed } = attempt;
      if (failed) {
        await store.setOutcome(id, (error as Error).message);
        await history.record(
          {
            actor: user,
            action: 'revoke',
            product: failed.product,
            port: failed.port,
            consumer: failed.consumer,
            outcome: 'failed',
          },
          error as Error,
        );
      }
      throw error;
    }
  }

  /**
   * Runs the GRANT of a waiting request under its row lock and writes the
   * outcome back: `granted`, or `failed` with PostgreSQL's reason. A second
   * approval of the same request finds it decided and is refused. An
   * owner's `approval` is recorded as such; a public port's grant is not.
   */
  private async grant(
    id: string,
    actor: string,
    options: { note?: string; approval?: boolean },
  ): Promise<StoredAccessRequest> {
    const { note, approval } = options;
    const { store, warehouse, history } = this.options;
    let error: Error | undefined;
    const decided = await store.transition(id, async current => {
      if (current.status !== 'requested') {
        throw notRequested(current, 'approved');
      }
      if (current.until && Date.parse(current.until) <= Date.now()) {
        throw new ConflictError(
          `Access request ${id} was to end on ${current.until}, which has passed: ask for access again`,
        );
      }
      const base = {
        ...(approval ? { decidedBy: actor } : {}),
        decisionNote: note ?? '',
      };
      try {
        const result = await warehouse.grant(warehouseGrant(current));
        return {
          ...base,
          status: 'granted',
          outcome: describeChange('grant', result),
        };
      } catch (e) {
        error = e as Error;
        return { ...base, status: 'failed', outcome: error.message };
      }
    });
    const event = {
      actor,
      product: decided.product,
      port: decided.port,
      consumer: decided.consumer,
    };
    if (approval) {
      await history.record({
        ...event,
        action: 'approve',
        outcome: 'succeeded',
        ...(note ? { detail: note } : {}),
      });
    }
    await history.record(
      {
        ...event,
        action: 'grant',
        outcome: 'succeeded',
        detail: decided.outcome,
      },
      error,
    );
    return decided;
  }

  /**
   * Checks that the caller may decide on the request's product: approving and
   * denying take `dataproduct.access.approve`, revoking
   * `dataproduct.access.revoke`.
   */
  private async authorize(
    id: string,
    credentials: UserCredentials,
    verb: 'approve' | 'deny' | 'revoke',
  ): Promise<void> {
    const request = await this.options.store.get(id);
    await this.authorizeOn(
      {
        permission:
          verb === 'revoke'
            ? dataProductAccessRevokePermission
            : dataProductAccessApprovePermission,
        product: request.product,
        doing: `${verb} access requests for`,
      },
      credentials,
      { action: verb, port: request.port, consumer: request.consumer },
    );
  }

  /** {@link authorizeOnProduct}; a refusal changes nothing and is sent to the auditor. */
  private async authorizeOn(
    request: Parameters<typeof authorizeOnProduct>[1],
    credentials: UserCredentials,
    event: Pick<NewAccessEvent, 'action' | 'port' | 'consumer'>,
  ): Promise<void> {
    try {
      await authorizeOnProduct(this.options.permissions, request, credentials);
    } catch (error) {
      await this.options.history.refused(
        {
          ...event,
          actor: userOf(credentials),
          product: request.product,
        },
        error as Error,
      );
      throw error;
    }
  }

  /**
   * A consumer is asked for by those who act for it: the members of a
   * consumer group, and for a consumer product those who may update it (its
   * owners and data product administrators).
   */
  private async checkActsFor(
    consumer: AccessConsumerEntity,
    credentials: UserCredentials,
  ): Promise<void> {
    if (consumer.kind === 'dataproduct') {
      await authorizeOnProduct(
        this.options.permissions,
        {
          permission: dataProductUpdatePermission,
          product: consumer.ref,
          doing: 'request access on behalf of',
        },
        credentials,
      );
      return;
    }
    const user = userOf(credentials);
    const groups = await this.options.catalog.groupsOf(user, credentials);
    if (!groups.includes(consumer.ref)) {
      throw new NotAllowedError(
        `You are not a member of ${consumer.ref}, so you cannot request access on its behalf. Ask one of its members.`,
      );
    }
  }
}
