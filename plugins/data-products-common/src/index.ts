/**
 * Common types and helpers for the data product portal.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './status';
export * from './lineage';
