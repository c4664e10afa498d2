import { Knex } from 'knex';
import { METADATA_SCHEMA } from './Metadata';

/** The constraints of each column of a port, as last applied: `{ id: ['required', 'unique'] }`. */
export type ColumnConstraints = Record<string, ColumnConstraint[]>;

/** A declared column constraint. */
export type ColumnConstraint = 'required' | 'unique' | 'primaryKey';

/** What the metadata says of a port's contract as last applied. */
export interface ContractRow {
  port: string;
  /** MAJOR.MINOR.PATCH; null for a port applied before versions were recorded. */
  contract_version: string | null;
  /** Null for a port applied before constraints were recorded. */
  contract_constraints: ColumnConstraints | null;
}

/** An earlier major version of a port, kept under a versioned name. */
export interface PortVersionRow {
  product: string;
  port: string;
  major: number;
  contract_version: string;
  /** The relation's name in the product's schema, e.g. `customers_v1`. */
  relation: string;
  port_type: 'postgres-table' | 'postgres-view';
  columns: Array<{ name: string; type: string; description?: string }>;
  superseded_at: Date;
}

/**
 * The contract records of ports (version and constraints as last applied)
 * and their kept major versions, inside the caller's transaction.
 */
export class ContractRecords {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  contracts(product: string): Promise<ContractRow[]> {
    return this.db(`${METADATA_SCHEMA}.ports`)
      .where({ product })
      .select('port', 'contract_version', 'contract_constraints')
      .orderBy('port');
  }

  async recordContract(
    product: string,
    port: string,
    contract: { version: string; constraints: ColumnConstraints },
  ): Promise<void> {
    await this.db(`${METADATA_SCHEMA}.ports`)
      .where({ product, port })
      .update({
        contract_version: contract.version,
        contract_constraints: JSON.stringify(contract.constraints),
      });
  }

  versions(product: string): Promise<PortVersionRow[]> {
    return this.db<PortVersionRow>(`${METADATA_SCHEMA}.port_versions`)
      .where({ product })
      .orderBy(['port', 'major']);
  }

  async insertVersion(
    row: Omit<PortVersionRow, 'superseded_at'>,
  ): Promise<void> {
    await this.db(`${METADATA_SCHEMA}.port_versions`).insert({
      ...row,
      columns: JSON.stringify(row.columns),
    });
  }

  async deleteVersion(
    product: string,
    port: string,
    major: number,
  ): Promise<void> {
    await this.db(`${METADATA_SCHEMA}.port_versions`)
      .where({ product, port, major })
      .delete();
  }
}
