/** One declared constraint or quality rule's result in one build of a port. */
export interface QualityResult {
  /** Stable within the port: `primaryKey_id`, `required_email`, or the rule's name. */
  key: string;
  /** A column's declared constraint, or a rule of `spec.quality`. */
  kind: 'constraint' | 'rule';
  constraint?: 'required' | 'unique' | 'primaryKey';
  metric?: string;
  column?: string;
  description: string;
  severity: 'error' | 'warning';
  /** `rows`, `percent` (of the row count) or `seconds` (freshness). */
  unit: 'rows' | 'percent' | 'seconds';
  /** `> 0`, `between 1 and 5`. */
  expectation: string;
  /** What was measured; null when there was nothing to measure (the freshness of no rows). */
  value: number | null;
  passed: boolean;
  /** For a failure: what it found, with up to five example keys. */
  detail?: string;
}

/** How a build's checks ended: `failed` when an error-severity one failed (the build was refused). */
export type QualityOutcomeKind = 'passed' | 'warning' | 'failed';

/** One build's checks, as stored. */
export interface QualityBuild {
  id: number;
  /** ISO timestamp. */
  checkedAt: string;
  outcome: QualityOutcomeKind;
  rowCount: number;
}

/** One rule or constraint of a port: its latest result and its history, newest first. */
export interface QualityRuleHistory {
  key: string;
  latest: QualityResult & { buildId: number; checkedAt: string };
  /** One entry per recorded build that checked it, newest first (at most 30). */
  history: Array<{
    buildId: number;
    checkedAt: string;
    value: number | null;
    passed: boolean;
  }>;
}

/** A port's recorded checks (`GET /ports/:namespace/:name/quality`). */
export interface PortQuality {
  product: string;
  port: string;
  /** Newest first, at most 30. */
  builds: QualityBuild[];
  rules: QualityRuleHistory[];
}

/** A port's latest checked build (`GET /quality`), for a chip. */
export interface PortQualitySummary {
  product: string;
  port: string;
  checkedAt: string;
  outcome: QualityOutcomeKind;
  /** Rules and constraints checked by the latest build. */
  checks: number;
  failedErrors: number;
  failedWarnings: number;
}
