export { Metadata, METADATA_SCHEMA } from './Metadata';
export type { GrantRow, PortRow, ProductRow } from './Metadata';
export { ContractRecords } from './ContractRecords';
export type {
  ColumnConstraint,
  ColumnConstraints,
  ContractRow,
  PortVersionRow,
} from './ContractRecords';
export { migrateMetadata, METADATA_VERSION_TABLE } from './migrate';
export type { MetadataVersions } from './migrate';
export { METADATA_MIGRATIONS } from './migrations';
export type { MetadataMigration } from './migrations';
