import { MetadataMigration } from './types';

/**
 * What a refresh needs besides a port's stored SQL: the port's refresh
 * strategy, the inputs its model was checked against (so a refresh checks the
 * model again instead of running stored text), and the product's own build
 * timeout. Ports built before have no recorded inputs: provisioning their
 * product again records them.
 */
export const buildSettings: MetadataMigration = {
  version: 2,
  name: 'refresh strategy and model inputs of ports, build timeout of products',
  async up(trx, schema) {
    await trx.raw(`
      ALTER TABLE ${schema}.ports
        ADD COLUMN IF NOT EXISTS refresh_strategy text NOT NULL DEFAULT 'swap',
        ADD COLUMN IF NOT EXISTS model_inputs jsonb`);
    await trx.raw(`
      ALTER TABLE ${schema}.products
        ADD COLUMN IF NOT EXISTS build_timeout_ms bigint`);
  },
};
