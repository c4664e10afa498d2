import type { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import type { AccessRequest } from '@dataproducts/plugin-data-products-common';

/** The notifications topic of every access notification. */
export const ACCESS_NOTIFICATION_TOPIC = 'data-product-access';

/** The catalog page of an entity, as the app's entity route spells it. */
function entityLink(ref: string): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

/**
 * Tells people about access requests through Backstage's notifications
 * plugin: a port's owners about new requests, requesters about decisions, and
 * both before and when access ends.
 */
export class AccessNotifier {
  constructor(
    private readonly options: {
      notifications: NotificationService;
      logger: LoggerService;
    },
  ) {}

  /** Tells the port's owners that a consumer asked for access (or got it at once). */
  requested(request: AccessRequest, owner: string): Promise<void> {
    const granted = request.status === 'granted';
    return this.send([owner], request.requester, {
      title: granted
        ? `${request.consumer} now reads ${request.port}`
        : `${request.consumer} asks to read ${request.port}`,
      description: `${request.requester}: ${request.purpose}${
        request.until ? ` (until ${day(request.until)})` : ''
      }`,
      link: entityLink(request.port),
      severity: granted ? 'low' : 'normal',
    });
  }

  /** Tells the requester how their request was decided, and what the warehouse answered. */
  decided(request: AccessRequest, decidedBy: string): Promise<void> {
    const verb: Record<string, string> = {
      granted: 'was approved',
      failed: 'was approved, but the grant failed',
      denied: 'was denied',
      revoked: 'was revoked',
    };
    return this.send([request.requester], decidedBy, {
      title: `Your request for ${request.consumer} to read ${request.port} ${
        verb[request.status] ?? `is ${request.status}`
      }`,
      description:
        [request.decisionNote, request.outcome].filter(Boolean).join(' - ') ||
        undefined,
      link: entityLink(request.port),
      severity: request.status === 'granted' ? 'normal' : 'high',
    });
  }

  /** Tells requester and owners that access ends soon. */
  expiring(request: AccessRequest, owner: string): Promise<void> {
    return this.send([request.requester, owner], undefined, {
      title: `${request.consumer}'s access to ${request.port} ends on ${day(
        request.until!,
      )}`,
      description: `Granted for: ${request.purpose}. Ask again before then to keep reading it.`,
      link: entityLink(request.port),
      severity: 'normal',
    });
  }

  /** Tells requester and owners that access ended and was revoked. */
  expired(request: AccessRequest, owner: string): Promise<void> {
    return this.send([request.requester, owner], undefined, {
      title: `${request.consumer}'s access to ${request.port} has expired`,
      description: request.outcome,
      link: entityLink(request.port),
      severity: 'normal',
    });
  }

  /**
   * Sends one notification. A notification that cannot be sent does not undo
   * the change it tells about (a GRANT already ran): it is logged as a
   * warning with its reason.
   */
  private async send(
    recipients: string[],
    actor: string | undefined,
    payload: Omit<NotificationPayload, 'topic'>,
  ): Promise<void> {
    try {
      await this.options.notifications.send({
        recipients: {
          type: 'entity',
          entityRef: recipients,
          ...(actor ? { excludeEntityRef: actor } : {}),
        },
        payload: { ...payload, topic: ACCESS_NOTIFICATION_TOPIC },
      });
    } catch (error) {
      this.options.logger.warn(
        `Could not notify ${recipients.join(', ')} "${payload.title}": ${
          (error as Error).message
        }`,
      );
    }
  }
}
