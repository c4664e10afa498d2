import { initialLayout } from './0001_initialLayout';
import { buildSettings } from './0002_buildSettings';
import { qualityResults } from './0003_qualityResults';
import { portVersions } from './0004_portVersions';
import { columnLineage } from './0005_columnLineage';
import { MetadataMigration } from './types';

export type { MetadataMigration } from './types';

/** Every metadata migration, in version order. */
export const METADATA_MIGRATIONS: MetadataMigration[] = [
  initialLayout,
  buildSettings,
  qualityResults,
  portVersions,
  columnLineage,
];
