/**
 * The data products backend plugin: live warehouse status, lineage and the
 * self-service registry.
 *
 * @packageDocumentation
 */
export { dataProductsPlugin as default } from './plugin';
