import { CheckedModel } from './checkModel';
import { locateInModel, ModelLocation } from './location';
import { TextOffsets } from './offsets';
import { parseSql, statementStart } from './parser';
import {
  asNode,
  isRecord,
  locationOnPath,
  mapPositions,
  ownLocation,
  TreePath,
} from './tree';

interface Located {
  location: number;
  path: TreePath;
}

function collectLocations(value: unknown, path: TreePath, found: Located[]) {
  if (Array.isArray(value)) {
    value.forEach((item, index) =>
      collectLocations(item, [...path, index], found),
    );
    return;
  }
  if (!isRecord(value)) {
    return;
  }
  const location = ownLocation(asNode(value)?.fields ?? value);
  if (location !== undefined) {
    found.push({ location, path });
  }
  for (const [key, child] of Object.entries(value)) {
    collectLocations(child, [...path, key], found);
  }
}

/**
 * Maps the position of an error PostgreSQL raised while running a checked
 * model back onto the model as written. `position` is PostgreSQL's error
 * `position` (1-based, in characters) counted within `model.sql`: subtract
 * the length of anything sent before it, such as `CREATE VIEW … AS `.
 *
 * The run SQL is parsed again; the node that starts nearest before the
 * position (the deepest, on a tie) is found, and the node at the same place
 * in the checked tree gives the position in the model. PostgreSQL points at
 * the start of the offending expression, so this lands on it; a position
 * that falls between nodes lands on the node before it.
 */
export function locateExecutionError(
  model: CheckedModel,
  position: number,
): ModelLocation {
  const offset = position - 1;
  const select = asNode(parseSql(model.sql).stmts?.[0]?.stmt);
  const outside =
    !Number.isFinite(offset) || offset < 0 || offset >= model.sql.length;
  if (outside || select?.type !== 'SelectStmt') {
    return locateInModel(model.text, statementStart(model.text));
  }
  const offsets = new TextOffsets(model.sql);
  mapPositions(select.fields, byte => offsets.fromByte(byte));

  const located: Located[] = [];
  collectLocations(select.fields, [], located);
  let best: Located | undefined;
  for (const candidate of located) {
    const better =
      candidate.location <= offset &&
      (!best ||
        candidate.location > best.location ||
        (candidate.location === best.location &&
          candidate.path.length > best.path.length));
    if (better) {
      best = candidate;
    }
  }
  const inModel = best ? locationOnPath(model.tree, best.path) : -1;
  return locateInModel(
    model.text,
    inModel >= 0 ? inModel : statementStart(model.text),
  );
}
