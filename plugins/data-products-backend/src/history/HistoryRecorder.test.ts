import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ForwardedError } from '@backstage/errors';
import { applyDatabaseMigrations } from '../database/migrations';
import { HistoryRecorder } from './HistoryRecorder';
import { HistoryStore } from './HistoryStore';

jest.setTimeout(60_000);

const PRODUCT = 'dataproduct:default/sales-crm-customers';
const PORT = 'outputport:default/sales-crm-customers-customers';

describe('HistoryRecorder', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

  async function recorder() {
    const knex = await databases.init('POSTGRES_18');
    await applyDatabaseMigrations(knex);
    const auditor = mockServices.auditor.mock();
    const audit = { success: jest.fn(), fail: jest.fn() };
    auditor.createEvent.mockResolvedValue(audit);
    return {
      history: new HistoryRecorder({ store: new HistoryStore(knex), auditor }),
      auditor,
      audit,
    };
  }

  it("stores events in the product's history, newest first, and audits each", async () => {
    const { history, auditor, audit } = await recorder();
    await history.record({
      actor: 'user:default/lou.logistics',
      action: 'request',
      product: PRODUCT,
      port: PORT,
      consumer: 'dataproduct:default/logistics-wms-shipments',
      outcome: 'succeeded',
      detail: 'Purpose: delivery report',
    });
    const error = new ForwardedError(
      "Consumer data product 'logistics-wms-shipments' is not provisioned",
      new Error('missing'),
    );
    await history.record(
      {
        actor: 'user:default/ana.sales',
        action: 'grant',
        product: PRODUCT,
        port: PORT,
        consumer: 'dataproduct:default/logistics-wms-shipments',
        outcome: 'succeeded',
      },
      error,
    );
    await history.record({
      actor: 'user:default/ana.sales',
      action: 'decommission',
      product: 'dataproduct:default/other',
      outcome: 'succeeded',
    });

    const events = await history.list(PRODUCT);
    expect(events).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        actor: 'user:default/ana.sales',
        action: 'grant',
        product: PRODUCT,
        port: PORT,
        consumer: 'dataproduct:default/logistics-wms-shipments',
        outcome: 'failed',
        detail: error.message,
      },
      expect.objectContaining({
        action: 'request',
        outcome: 'succeeded',
        detail: 'Purpose: delivery report',
      }),
    ]);
    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'grant',
      severityLevel: 'medium',
      meta: {
        actor: 'user:default/ana.sales',
        product: PRODUCT,
        port: PORT,
        consumer: 'dataproduct:default/logistics-wms-shipments',
        detail: error.message,
      },
    });
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'decommission',
        severityLevel: 'high',
      }),
    );
    expect(audit.success).toHaveBeenCalledTimes(2);
    expect(audit.fail).toHaveBeenCalledWith({ error });
  });

  it('sends a refused attempt to the auditor only', async () => {
    const { history, auditor, audit } = await recorder();
    const error = new Error('permission dataproduct.access.approve was denied');
    await history.refused(
      {
        actor: 'user:default/mark.marketing',
        action: 'approve',
        product: PRODUCT,
        port: PORT,
      },
      error,
    );
    expect(await history.list(PRODUCT)).toEqual([]);
    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'approve',
      severityLevel: 'medium',
      meta: {
        actor: 'user:default/mark.marketing',
        product: PRODUCT,
        port: PORT,
      },
    });
    expect(audit.fail).toHaveBeenCalledWith({ error });
  });
});
