import { Knex } from 'knex';

/**
 * One forward-only change of the metadata schema. A migration is never
 * edited once released: a change is a new migration with the next version.
 */
export interface MetadataMigration {
  /** 1, 2, 3, ... in the order they apply. */
  version: number;
  /** What it changes, in words; stored beside the version. */
  name: string;
  /** Applies the change inside the caller's transaction; `schema` is the quoted metadata schema. */
  up(trx: Knex.Transaction, schema: string): Promise<void>;
}
