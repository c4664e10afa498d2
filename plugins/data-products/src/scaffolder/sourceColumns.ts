import {
  type CompoundEntityRef,
  DEFAULT_NAMESPACE,
  type Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import type { OutputPortColumn } from '@dataproducts/plugin-data-products-common';

const PRIMARY_KEY = /\s*\(primary key\)\s*$/i;

/**
 * The columns a source Resource documents in its description, as a markdown
 * table with the columns `column | type | description` (see
 * catalog-info/resources.yaml). A type followed by `(primary key)` marks the
 * primary key. Returns an empty list when the description has no such table.
 */
export function documentedColumns(entity: Entity): OutputPortColumn[] {
  const lines = (entity.metadata.description ?? '')
    .split('\n')
    .map(line => line.trim())
    .filter(line => line.startsWith('|') && line.endsWith('|'));
  const cells = lines.map(line =>
    line
      .slice(1, -1)
      .split('|')
      .map(cell => cell.trim()),
  );
  const header = cells[0]?.map(cell => cell.toLocaleLowerCase('en-US'));
  if (!header || header[0] !== 'column' || header[1] !== 'type') {
    return [];
  }
  const descriptionIndex = header.indexOf('description');
  return cells
    .slice(1)
    .filter(row => !row.every(cell => /^:?-+:?$/.test(cell)))
    .filter(row => row[0] && row[1])
    .map(row => {
      const primaryKey = PRIMARY_KEY.test(row[1]);
      const description =
        descriptionIndex >= 0 ? row[descriptionIndex] : undefined;
      return {
        name: row[0],
        type: row[1].replace(PRIMARY_KEY, ''),
        ...(description ? { description } : {}),
        ...(primaryKey ? { primaryKey: true } : {}),
      };
    });
}

function refName(
  ref: unknown,
  defaultKind: string,
): CompoundEntityRef | undefined {
  if (typeof ref !== 'string' || !ref) {
    return undefined;
  }
  try {
    return parseEntityRef(ref, {
      defaultKind,
      defaultNamespace: DEFAULT_NAMESPACE,
    });
  } catch {
    return undefined;
  }
}

const identifierPart = (value: string) =>
  value
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

/**
 * The schema name suggested for a source-aligned product: its domain and the
 * source's system (`sales` and `crm` give `sales_crm`); either part alone when
 * the other is unknown.
 */
export function suggestSchemaName(
  domainRef: unknown,
  system: unknown,
): string | undefined {
  const domain = refName(domainRef, 'domain')?.name;
  const systemName = refName(system, 'system')?.name;
  const parts = [domain, systemName]
    .filter((part): part is string => !!part)
    .map(identifierPart)
    .filter(Boolean);
  if (parts.length === 0) {
    return undefined;
  }
  const name = parts.join('_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * The `{{ source('<product>', '<port>') }}` reference model SQL uses to read
 * an OutputPort entity.
 */
export function sourceReferenceFor(port: Entity): string | undefined {
  const product = refName(port.spec?.dataProduct, 'dataproduct')?.name;
  const name = port.spec?.name;
  if (!product || typeof name !== 'string') {
    return undefined;
  }
  return `{{ source('${product.replace(/-/g, '_')}', '${name}') }}`;
}
