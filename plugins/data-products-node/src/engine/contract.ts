import {
  ColumnDrift,
  normalizeColumnType,
} from '@dataproducts/plugin-data-products-common';

function normalized(type: string): string {
  try {
    return normalizeColumnType(type);
  } catch {
    return type;
  }
}

/**
 * Compares declared columns with actual ones: every missing, extra and
 * mistyped column, in declaration order (extra columns last).
 */
export function columnDrift(
  declared: Array<{ name: string; type: string }>,
  actual: Array<{ name: string; type: string }>,
): ColumnDrift[] {
  const drift: ColumnDrift[] = [];
  for (const column of declared) {
    const expected = normalized(column.type);
    const found = actual.find(a => a.name === column.name);
    if (!found) {
      drift.push({ column: column.name, kind: 'missing', expected });
    } else if (found.type !== expected) {
      drift.push({
        column: column.name,
        kind: 'type',
        expected,
        actual: found.type,
      });
    }
  }
  for (const column of actual) {
    if (!declared.some(d => d.name === column.name)) {
      drift.push({ column: column.name, kind: 'extra', actual: column.type });
    }
  }
  return drift;
}

/** One line per difference, for error messages. */
export function describeDrift(drift: ColumnDrift[]): string {
  return drift
    .map(d => {
      switch (d.kind) {
        case 'missing':
          return `  - missing column ${d.column} (declared ${d.expected})`;
        case 'extra':
          return `  - extra column ${d.column} (${d.actual}), not declared`;
        default:
          return `  - column ${d.column} is ${d.actual}, declared ${d.expected}`;
      }
    })
    .join('\n');
}
