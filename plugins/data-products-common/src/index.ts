/**
 * Common types and helpers for the data product portal.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './status';
export * from './lineage';
export * from './identifiers';
export * from './columnTypes';
export * from './sourceReferences';
export * from './guards';
export * from './refs';
export * from './validation';
export * from './permissions';
