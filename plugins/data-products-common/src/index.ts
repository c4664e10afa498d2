/**
 * Common types and helpers for the data product portal: the DataProduct and
 * OutputPort kinds, refs, identifiers, column types, `source()` references and
 * the registry's client.
 *
 * @packageDocumentation
 */
export * from './kinds';
export * from './DataProductEntityV1alpha1';
export * from './OutputPortEntityV1alpha1';
export * from './quality';
export type { EntityValidationProblem } from './entityProblems';
export * from './status';
export * from './freshness';
export * from './planDiff';
export * from './lineage';
export * from './meshIndex';
export * from './mesh';
export * from './explore';
export * from './columnLineage';
export * from './identifiers';
export * from './columnTypes';
export * from './sourceReferences';
export * from './refs';
export * from './permissions';
export * from './registry';
export * from './accessRequests';
export * from './consumers';
export * from './lifecycle';
export * from './access';
export * from './odcs';
