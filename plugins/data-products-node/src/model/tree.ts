/**
 * Helpers for libpg-query parse trees: plain JSON where a node is an object
 * with one key, its type (`{ RangeVar: { relname: 't', location: 14 } }`),
 * and some fields hold a node's fields directly (`SelectStmt.larg`,
 * `RangeVar.alias`).
 */

/** A step-by-step address of a value inside a parse tree. */
export type TreePath = ReadonlyArray<string | number>;

/** A node's type and fields. */
export interface TreeNode {
  type: string;
  fields: Record<string, unknown>;
}

/** Fields that hold a position in the parsed text rather than meaning. */
export const POSITION_FIELDS: ReadonlySet<string> = new Set([
  'location',
  'name_location',
  'list_start',
  'list_end',
  'rexpr_list_start',
  'rexpr_list_end',
]);

/** Reads a `{ Type: fields }` node, or `undefined` for anything else. */
export function asNode(value: unknown): TreeNode | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const keys = Object.keys(value);
  if (keys.length !== 1 || !/^[A-Z]/.test(keys[0])) {
    return undefined;
  }
  const fields = value[keys[0]];
  return isRecord(fields) ? { type: keys[0], fields } : undefined;
}

/** True for a plain object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `sval`s of a list of `String` nodes, e.g. a qualified name `['pg_catalog', 'lower']`. */
export function nameParts(list: unknown): string[] {
  if (!Array.isArray(list)) {
    return [];
  }
  return list.map(item => {
    const node = asNode(item);
    return node?.type === 'String' ? String(node.fields.sval ?? '') : '';
  });
}

/** A node's own `location`, when it has one. */
export function ownLocation(
  fields: Record<string, unknown>,
): number | undefined {
  return typeof fields.location === 'number' && fields.location >= 0
    ? fields.location
    : undefined;
}

/** The first `location` inside a value, for nodes that carry none themselves. */
export function firstLocation(value: unknown): number | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstLocation(item);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }
  if (!isRecord(value)) {
    return undefined;
  }
  const fields = asNode(value)?.fields ?? value;
  return ownLocation(fields) ?? firstLocation(Object.values(fields));
}

/** Rewrites every position field in a tree, in place. */
export function mapPositions(
  tree: unknown,
  convert: (position: number) => number,
): void {
  if (Array.isArray(tree)) {
    tree.forEach(item => mapPositions(item, convert));
    return;
  }
  if (!isRecord(tree)) {
    return;
  }
  for (const [key, value] of Object.entries(tree)) {
    if (POSITION_FIELDS.has(key) && typeof value === 'number') {
      if (value >= 0) {
        tree[key] = convert(value);
      }
    } else {
      mapPositions(value, convert);
    }
  }
}

/**
 * The path of the first value where two trees differ, ignoring position
 * fields; `undefined` when they are the same.
 */
export function firstDifference(a: unknown, b: unknown): TreePath | undefined {
  const reversed = differenceReversed(a, b);
  return reversed?.reverse();
}

// The path is built on the way back up, so equal subtrees allocate nothing.
function differenceReversed(
  a: unknown,
  b: unknown,
): Array<string | number> | undefined {
  if (a === b) {
    return undefined;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const difference = differenceReversed(a[i], b[i]);
      if (difference) {
        difference.push(i);
        return difference;
      }
    }
    return undefined;
  }
  if (isRecord(a) && isRecord(b)) {
    for (const key in a) {
      if (!POSITION_FIELDS.has(key)) {
        const difference = differenceReversed(a[key], b[key]);
        if (difference) {
          difference.push(key);
          return difference;
        }
      }
    }
    for (const key in b) {
      if (!(key in a) && !POSITION_FIELDS.has(key)) {
        return [key];
      }
    }
    return undefined;
  }
  return [];
}

/**
 * The `location` of the deepest node on a path that has one (-1 when none
 * does): where in the parsed text the value at that path was written.
 */
export function locationOnPath(tree: unknown, path: TreePath): number {
  let found = -1;
  let value: unknown = tree;
  const consider = (candidate: unknown) => {
    const fields = asNode(candidate)?.fields ?? candidate;
    const location = isRecord(fields) ? ownLocation(fields) : undefined;
    if (location !== undefined) {
      found = location;
    }
  };
  consider(value);
  for (const step of path) {
    if (!isRecord(value) && !Array.isArray(value)) {
      break;
    }
    value = (value as Record<string | number, unknown>)[step];
    consider(value);
  }
  return found;
}
