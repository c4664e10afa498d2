import type { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type {
  DataProductConsumer,
  DataProductDeprecation,
  DataProductEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';

/** The notifications topic of lifecycle notices. */
export const LIFECYCLE_NOTIFICATION_TOPIC = 'data-product-lifecycle';

/**
 * Tells the owners of a product's consumers, through Backstage's
 * notifications plugin, that it is deprecated: the sunset date, the
 * replacement and the reason, with a link to the product.
 */
export class LifecycleNotifier {
  constructor(
    private readonly options: {
      notifications: NotificationService;
      logger: LoggerService;
    },
  ) {}

  /**
   * Notifies the owners of consumer products and the consumer groups. A
   * notice that cannot be sent does not undo the deprecation: it is logged
   * as a warning with its reason.
   */
  async deprecated(options: {
    product: DataProductEntityV1alpha1;
    deprecation: DataProductDeprecation;
    consumers: DataProductConsumer[];
    actor: string;
  }): Promise<void> {
    const { product, deprecation, consumers, actor } = options;
    const recipients = [
      ...new Set(
        consumers.flatMap(consumer =>
          consumer.kind === 'group' ? [consumer.ref] : consumer.owner ?? [],
        ),
      ),
    ];
    if (recipients.length === 0) return;
    const name = product.metadata.title ?? product.metadata.name;
    const namespace = product.metadata.namespace ?? 'default';
    try {
      await this.options.notifications.send({
        recipients: {
          type: 'entity',
          entityRef: recipients,
          excludeEntityRef: actor,
        },
        payload: {
          title: `${name} is deprecated: sunset on ${deprecation.sunset}`,
          description: [
            deprecation.replacement
              ? `Move to ${deprecation.replacement} before then.`
              : 'Stop reading it before then.',
            deprecation.reason,
          ]
            .filter(Boolean)
            .join(' '),
          link: `/catalog/${namespace}/dataproduct/${product.metadata.name}`,
          severity: 'high',
          topic: LIFECYCLE_NOTIFICATION_TOPIC,
        },
      });
    } catch (error) {
      this.options.logger.warn(
        `Could not notify ${recipients.join(', ')} that ${stringifyEntityRef(
          product,
        )} is deprecated: ${(error as Error).message}`,
      );
    }
  }
}
