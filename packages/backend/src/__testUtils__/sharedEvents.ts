import {
  createServiceFactory,
  type ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';

/**
 * The events service of a production backend in a test: one bus for every
 * plugin, as the default events service of `@backstage/backend-defaults`
 * is within one process (the test backend's default gives each plugin a bus
 * of its own, so an event published by one plugin never reaches another).
 */
export function sharedEvents(): ServiceFactory {
  const events = mockServices.events();
  return createServiceFactory({
    // The events service's ref, as the test backend's own factory names it
    // (services are told apart by the ref's id).
    service: mockServices.events.factory().service,
    deps: {},
    factory: () => events,
  });
}
