import {
  MESH_NO_DOMAIN,
  MESH_SOURCES,
} from '@dataproducts/plugin-data-products-common';

// Ten colours that stay apart from each other on light and dark themes.
const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#3f51b5',
];

/** The colour of a group: the same domain has the same colour in every view. */
export function groupColor(group: string): string {
  if (group === MESH_NO_DOMAIN) return '#9e9e9e';
  if (group === MESH_SOURCES) return '#607d8b';
  let hash = 0;
  for (let i = 0; i < group.length; i++) {
    hash = (hash * 31 + group.charCodeAt(i)) >>> 0;
  }
  return PALETTE[hash % PALETTE.length];
}
