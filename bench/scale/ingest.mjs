// Ingest: how long until every entity of a side is in the catalog with its
// relations complete. Polled from the catalog's own table of what it serves
// (final_entities of backstage_plugin_catalog): one query per poll for the
// entities not yet complete, so that polling costs the backend nothing and
// the database little.
import { setTimeout as sleep } from 'node:timers/promises';
import { connectionsByDatabase } from './portal.mjs';

const RELATION_TYPES = ['ownedBy', 'partOf', 'dependsOn'];

/**
 * Waits until every entity of `expected` (entity ref -> the `type target`
 * pairs it must carry) is served with those relations, or `timeoutMs` has
 * passed since `startedAt` (a performance.now() value). Resolves with the
 * seconds until all entities were present (`present`), until all were
 * complete (`complete`, undefined on timeout), how many were complete at the
 * end, and the most connections the portal held on PostgreSQL meanwhile.
 */
export async function waitForCompleteness(
  portal,
  expected,
  { startedAt, timeoutMs, log },
) {
  const catalog = await portal.client('backstage_plugin_catalog');
  const pending = new Set(expected.keys());
  const present = new Set();
  let presentAt;
  let completeAt;
  let peakConnections = 0;
  let lastReport = 0;
  try {
    for (;;) {
      const refs = [...pending];
      const { rows } = await catalog.query(
        `SELECT fe.entity_ref AS ref,
                (SELECT coalesce(array_agg(lower(r->>'type') || ' ' || lower(r->>'targetRef')), '{}')
                   FROM jsonb_array_elements(fe.final_entity::jsonb->'relations') r
                  WHERE r->>'type' = ANY($2)) AS relations
           FROM final_entities fe
          WHERE fe.entity_ref = ANY($1) AND fe.final_entity IS NOT NULL`,
        [refs, RELATION_TYPES],
      );
      for (const { ref, relations } of rows) {
        present.add(ref);
        const have = new Set(relations);
        if (expected.get(ref).every(r => have.has(r))) pending.delete(ref);
      }
      const now = performance.now();
      const connections = (await connectionsByDatabase(portal)).reduce(
        (s, r) => s + r.n,
        0,
      );
      peakConnections = Math.max(peakConnections, connections);
      if (presentAt === undefined && present.size === expected.size)
        presentAt = now;
      if (pending.size === 0) {
        completeAt = now;
        break;
      }
      if (now - lastReport > 15_000) {
        lastReport = now;
        log?.(
          `  ${((now - startedAt) / 1000).toFixed(0)} s: ${present.size} of ${
            expected.size
          } entities present, ${expected.size - pending.size} complete`,
        );
      }
      if (now - startedAt > timeoutMs) break;
      // Fine-grained early, coarser later: the resolution stays ~2 % of the time taken.
      await sleep(Math.min(5000, Math.max(1000, (now - startedAt) / 50)));
    }
  } finally {
    await catalog.end();
  }
  const seconds = at =>
    at === undefined ? undefined : (at - startedAt) / 1000;
  return {
    present: seconds(presentAt),
    complete: seconds(completeAt),
    completeCount: expected.size - pending.size,
    total: expected.size,
    peakConnections,
    example: [...pending].slice(0, 3),
    isComplete: ref => !pending.has(ref),
  };
}

/** Waits until the catalog serves every entity named in `refs` (no relations checked). */
export async function waitForEntities(portal, refs, { timeoutMs, log }) {
  const expected = new Map(refs.map(ref => [ref, []]));
  const result = await waitForCompleteness(portal, expected, {
    startedAt: performance.now(),
    timeoutMs,
    log,
  });
  if (result.complete === undefined) {
    throw new Error(
      `the catalog did not hold the bench's organisation within ${
        timeoutMs / 1000
      } s (${result.completeCount} of ${
        result.total
      }; e.g. missing ${result.example.join(', ')})`,
    );
  }
  return result;
}
