/**
 * The catalog's permission to read an entity: what decides whether a caller
 * may see a node of the mesh index (lineage, the explorer and the mesh view
 * all ask it).
 */
export { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
