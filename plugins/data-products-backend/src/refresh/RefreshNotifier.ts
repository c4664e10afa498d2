import type { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { PortFreshness } from '@dataproducts/plugin-data-products-common';
import type { RefreshTarget } from './RefreshCatalog';

/** The notifications topic of stale ports and failing refreshes. */
export const REFRESH_NOTIFICATION_TOPIC = 'data-product-freshness';

/** The catalog page of an entity, as the app's entity route spells it. */
function entityLink(ref: string): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
}

/**
 * Tells a port's owners, through Backstage's notifications plugin, when the
 * port turns stale and when its refresh failed twice in a row.
 */
export class RefreshNotifier {
  constructor(
    private readonly options: {
      notifications: NotificationService;
      logger: LoggerService;
    },
  ) {}

  /** The port's data got older than its maxAge. */
  stale(target: RefreshTarget, freshness: PortFreshness): Promise<void> {
    return this.send(target, {
      title: `${target.productName}.${target.portName} is stale`,
      description: `${
        freshness.reason
      }. Refresh it now, or look at its refresh schedule (${
        freshness.schedule ?? 'none'
      }).`,
      link: entityLink(target.port),
      severity: 'normal',
    });
  }

  /** The port's last refreshes failed, `failures` of them one after the other. */
  failing(target: RefreshTarget, failures: number, error: string) {
    return this.send(target, {
      title: `Refreshing ${target.productName}.${target.portName} failed ${failures} times in a row`,
      description: error,
      link: entityLink(target.port),
      severity: 'high',
    });
  }

  /**
   * Sends one notification to the port's owner. One that cannot be sent is
   * logged as a warning with its reason: the refresh it tells about is
   * recorded either way.
   */
  private async send(
    target: RefreshTarget,
    payload: Omit<NotificationPayload, 'topic'>,
  ): Promise<void> {
    if (!target.owner) {
      this.options.logger.warn(
        `Output port ${target.port} has no owner to tell "${payload.title}"`,
      );
      return;
    }
    try {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: target.owner },
        payload: { ...payload, topic: REFRESH_NOTIFICATION_TOPIC },
      });
    } catch (error) {
      this.options.logger.warn(
        `Could not notify ${target.owner} "${payload.title}": ${
          (error as Error).message
        }`,
      );
    }
  }
}
