/**
 * The e-commerce scenario's operational source tables and their generator.
 *
 * @packageDocumentation
 */
export * from './sourceTables';
export * from './seed';
