/**
 * The Open Data Contract Standard (Bitol ODCS) release the portal writes:
 * `apiVersion: v3.1.0`, `kind: DataContract`.
 */
export const ODCS_API_VERSION = 'v3.1.0' as const;

/** The ODCS document kind. */
export const ODCS_KIND = 'DataContract' as const;

/** A key/value pair that is not part of the standard (`customProperties[]`). */
export type OdcsCustomProperty = {
  id?: string;
  property: string;
  value: unknown;
  description?: string;
};

/** An ODCS v3.1.0 data quality rule (`quality[]`). */
export type OdcsQualityRule = {
  id?: string;
  name?: string;
  description?: string;
  type?: 'text' | 'library' | 'sql' | 'custom';
  metric?:
    | 'nullValues'
    | 'missingValues'
    | 'invalidValues'
    | 'duplicateValues'
    | 'rowCount';
  /** Deprecated since ODCS v3.0: read as `metric`. */
  rule?: string;
  arguments?: Record<string, unknown>;
  unit?: string;
  query?: string;
  engine?: string;
  implementation?: string | Record<string, unknown>;
  dimension?:
    | 'accuracy'
    | 'completeness'
    | 'conformity'
    | 'consistency'
    | 'coverage'
    | 'timeliness'
    | 'uniqueness';
  severity?: string;
  customProperties?: OdcsCustomProperty[];
  mustBe?: number;
  mustNotBe?: number;
  mustBeGreaterThan?: number;
  mustBeGreaterOrEqualTo?: number;
  mustBeLessThan?: number;
  mustBeLessOrEqualTo?: number;
  mustBeBetween?: [number, number];
  mustNotBeBetween?: [number, number];
};

/** The logical types of ODCS v3.1.0 properties. */
export type OdcsLogicalType =
  | 'string'
  | 'date'
  | 'timestamp'
  | 'time'
  | 'number'
  | 'integer'
  | 'object'
  | 'array'
  | 'boolean';

/** An ODCS property: a column of a table or view (`schema[].properties[]`). */
export type OdcsSchemaProperty = {
  id?: string;
  name: string;
  physicalName?: string;
  physicalType?: string;
  logicalType?: OdcsLogicalType;
  description?: string;
  required?: boolean;
  unique?: boolean;
  primaryKey?: boolean;
  primaryKeyPosition?: number;
  classification?: string;
  quality?: OdcsQualityRule[];
  customProperties?: OdcsCustomProperty[];
};

/** An ODCS object: a table or a view (`schema[]`). */
export type OdcsSchemaObject = {
  id?: string;
  name: string;
  physicalName?: string;
  physicalType?: string;
  logicalType?: 'object';
  description?: string;
  properties?: OdcsSchemaProperty[];
  quality?: OdcsQualityRule[];
  customProperties?: OdcsCustomProperty[];
};

/** An ODCS team member. */
export type OdcsTeamMember = {
  username: string;
  name?: string;
  role?: string;
  description?: string;
};

/** The ODCS v3.1.0 team object. */
export type OdcsTeam = {
  name?: string;
  description?: string;
  members?: OdcsTeamMember[];
};

/** A role that gives access to the data (`roles[]`). */
export type OdcsRole = {
  role: string;
  description?: string;
  access?: string;
  firstLevelApprovers?: string;
  secondLevelApprovers?: string;
  customProperties?: OdcsCustomProperty[];
};

/** A service-level agreement property (`slaProperties[]`). */
export type OdcsSlaProperty = {
  property: string;
  value: string | number | boolean | null;
  valueExt?: string | number | boolean | null;
  unit?: string;
  element?: string;
  driver?: string;
  description?: string;
};

/** Where the data lives (`servers[]`); the fields of a `postgres` server. */
export type OdcsServer = {
  server: string;
  type: string;
  description?: string;
  environment?: string;
  host?: string;
  port?: number;
  database?: string;
  schema?: string;
  customProperties?: OdcsCustomProperty[];
};

/** An ODCS v3.1.0 data contract, with the fields the portal writes and reads. */
export type OdcsDataContract = {
  apiVersion: string;
  kind: typeof ODCS_KIND;
  id: string;
  name?: string;
  version: string;
  status: string;
  domain?: string;
  dataProduct?: string;
  tenant?: string;
  tags?: string[];
  description?: {
    purpose?: string;
    limitations?: string;
    usage?: string;
  };
  schema?: OdcsSchemaObject[];
  team?: OdcsTeam | OdcsTeamMember[];
  roles?: OdcsRole[];
  slaProperties?: OdcsSlaProperty[];
  servers?: OdcsServer[];
  customProperties?: OdcsCustomProperty[];
};
