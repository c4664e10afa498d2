import type {
  AuditorService,
  AuditorServiceEventSeverityLevel,
} from '@backstage/backend-plugin-api';
import type {
  AccessEvent,
  AccessEventAction,
} from '@dataproducts/plugin-data-products-common';
import type { HistoryStore, NewAccessEvent } from './HistoryStore';

/** How much an auditor should care about each kind of event. */
const SEVERITY: Record<AccessEventAction, AuditorServiceEventSeverityLevel> = {
  request: 'low',
  approve: 'medium',
  deny: 'low',
  grant: 'medium',
  revoke: 'medium',
  expire: 'medium',
  provision: 'medium',
  refresh: 'low',
  decommission: 'high',
  deprecate: 'medium',
  undeprecate: 'medium',
};

/**
 * Records every change to a product: stored in the product's History and sent
 * to Backstage's auditor as an event named after the action (`grant`,
 * `revoke`, ...), succeeded or failed with its error.
 */
export class HistoryRecorder {
  constructor(
    private readonly options: { store: HistoryStore; auditor: AuditorService },
  ) {}

  /**
   * Records an event. A failed one carries the error that made it fail; its
   * message is the event's detail unless one is given.
   */
  async record(event: NewAccessEvent, error?: Error): Promise<AccessEvent> {
    const detail = event.detail ?? error?.message;
    const stored = await this.options.store.add({
      ...event,
      ...(detail ? { detail } : {}),
      outcome: error ? 'failed' : event.outcome,
    });
    const audit = await this.options.auditor.createEvent({
      eventId: event.action,
      severityLevel: SEVERITY[event.action],
      meta: {
        actor: stored.actor,
        product: stored.product,
        ...(stored.port ? { port: stored.port } : {}),
        ...(stored.consumer ? { consumer: stored.consumer } : {}),
        ...(stored.detail ? { detail: stored.detail } : {}),
      },
    });
    if (error || stored.outcome === 'failed') {
      await audit.fail({ error: error ?? new Error(stored.detail) });
    } else {
      await audit.success();
    }
    return stored;
  }

  /**
   * Sends a refused attempt (a permission denied) to the auditor as a failed
   * event. Nothing changed, so the product's History does not show it.
   */
  async refused(
    event: Omit<NewAccessEvent, 'outcome' | 'detail'>,
    error: Error,
  ): Promise<void> {
    const { action, ...meta } = event;
    const audit = await this.options.auditor.createEvent({
      eventId: action,
      severityLevel: SEVERITY[action],
      meta,
    });
    await audit.fail({ error });
  }

  /** A product's events, newest first. */
  list(product: string): Promise<AccessEvent[]> {
    return this.options.store.list(product);
  }
}
