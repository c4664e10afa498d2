import type { Knex } from 'knex';
import {
  MESH_NO_DOMAIN,
  MESH_SOURCES,
} from '@dataproducts/plugin-data-products-common';

/**
 * The SQL of the mesh graph, over the mesh index
 * (`data_product_mesh_nodes`, `data_product_mesh_edges`).
 *
 * A *member* is a data product (in the group of its domain, or
 * {@link MESH_NO_DOMAIN}) or a source Resource (in the group
 * {@link MESH_SOURCES}). A *flow* is one `feeds` edge of the index between
 * two members: a port of product A (or a source table) read by product B.
 * Edges from a port are credited to the port's product; flows into other
 * kinds (a Component reading a port) are not part of the mesh view.
 *
 * A graph costs two statements: the groups with the members to show, then
 * the flows between what is shown. The members and flows are kept narrow
 * (refs and groups) until the few rows shown are joined to their details.
 * Lists of refs are bound as one JSON array (`?::jsonb`), never spliced and
 * never expanded by knex into one placeholder per item.
 */

/** A member's details, as the queries answer them. */
export interface MemberRow {
  ref: string;
  member: 'product' | 'source';
  grp: string;
  namespace: string;
  name: string;
  title: string | null;
  type: string | null;
  owner: string | null;
  lifecycle: string | null;
}

/** A search match: a member, or a domain (`member` 'domain', `ref` its group id) with its product count. */
export type SearchRow = Omit<MemberRow, 'member'> & {
  member: MemberRow['member'] | 'domain';
  products: number | null;
};

/** The members the caller may see: all of them, or the refs listed. */
export type Visibility = { all: true } | { all: false; refs: string[] };

/** The neighbourhood asked for: a member and the hops each way. */
export type Focus = { ref: string; depth: number } | undefined;

/** A group of the scope with how many of its members are in it. */
export interface GroupRow {
  grp: string;
  members: number;
}

/** A member to show on its own, with its distance from the focus. */
export type ShownMemberRow = MemberRow & { distance: number | null };

type Sql = { sql: string; bindings: Knex.RawBinding[] };

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, c => `\\${c}`);
}

/** `members(ref, grp, member)` and `member_flows(src, dst, src_grp, dst_grp)`. */
function membersSql(visibility: Visibility): Sql {
  const visible = visibility.all
    ? ''
    : 'AND n.ref IN (SELECT jsonb_array_elements_text(?::jsonb))';
  const refs = visibility.all ? [] : [JSON.stringify(visibility.refs)];
  return {
    sql: `members AS (
      SELECT n.ref, COALESCE(NULLIF(n.domain, ''), '${MESH_NO_DOMAIN}') AS grp,
             'product' AS member
        FROM data_product_mesh_nodes n
       WHERE n.kind = 'DataProduct' ${visible}
      UNION ALL
      SELECT n.ref, '${MESH_SOURCES}', 'source'
        FROM data_product_mesh_nodes n
       WHERE n.kind = 'Resource' ${visible}
    ),
    member_flows AS (
      SELECT s.ref AS src, t.ref AS dst, s.grp AS src_grp, t.grp AS dst_grp
        FROM data_product_mesh_edges e
        LEFT JOIN data_product_mesh_nodes port
          ON port.ref = e.source AND port.kind = 'OutputPort'
        JOIN members s ON s.ref = COALESCE(port.product, e.source)
        JOIN members t ON t.ref = e.target
       WHERE e.type = 'feeds' AND s.ref <> t.ref
    )`,
    bindings: [...refs, ...refs],
  };
}

/**
 * `scope(ref, grp, member, distance)` and `scope_flows`: every member, or
 * the neighbourhood of the focus up to `depth` hops upstream and downstream
 * (with each member's signed distance: negative upstream, positive
 * downstream, the nearer when both).
 */
function scopeSql(visibility: Visibility, focus: Focus): Sql {
  const members = membersSql(visibility);
  if (!focus) {
    return {
      sql: `WITH ${members.sql},
      scope AS (SELECT m.*, NULL::int AS distance FROM members m),
      scope_flows AS (SELECT * FROM member_flows)`,
      bindings: members.bindings,
    };
  }
  return {
    sql: `WITH RECURSIVE ${members.sql},
    upstream(ref, hops) AS (
      SELECT ref, 0 FROM members WHERE ref = ?
      UNION
      SELECT f.src, u.hops + 1 FROM upstream u
        JOIN member_flows f ON f.dst = u.ref
       WHERE u.hops < ?
    ),
    downstream(ref, hops) AS (
      SELECT ref, 0 FROM members WHERE ref = ?
      UNION
      SELECT f.dst, d.hops + 1 FROM downstream d
        JOIN member_flows f ON f.src = d.ref
       WHERE d.hops < ?
    ),
    reached AS (
      SELECT ref, -MIN(hops) AS distance FROM upstream GROUP BY ref
      UNION ALL
      SELECT ref, MIN(hops) FROM downstream GROUP BY ref
    ),
    hood AS (
      SELECT DISTINCT ON (ref) ref, distance FROM reached
       ORDER BY ref, abs(distance), distance
    ),
    scope AS (
      SELECT m.*, h.distance FROM members m JOIN hood h ON h.ref = m.ref
    ),
    scope_flows AS (
      SELECT f.* FROM member_flows f
       WHERE f.src IN (SELECT ref FROM hood) AND f.dst IN (SELECT ref FROM hood)
    )`,
    bindings: [
      ...members.bindings,
      focus.ref,
      focus.depth,
      focus.ref,
      focus.depth,
    ],
  };
}

/** Reads the aggregated mesh graph. */
export class MeshQueries {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /**
   * Every group of the scope with its member count (the largest first), and
   * the members to show on their own: the focus, then the members of the
   * groups in `expanded`, nearest the focus first, then the most connected,
   * at most `limit` of them. No groups: the focus is not a member the
   * caller may see.
   */
  async groupsAndMembers(
    visibility: Visibility,
    focus: Focus,
    expanded: string[],
    limit: number,
  ): Promise<{ groups: GroupRow[]; members: ShownMemberRow[] }> {
    const scope = scopeSql(visibility, focus);
    const { rows } = await this.#knex.raw(
      `${scope.sql},
      expanded AS (SELECT jsonb_array_elements_text(?::jsonb) AS grp),
      -- How connected each member of an expanded group is, to show the
      -- best connected first when not all of them fit.
      degree AS (
        SELECT ref, count(*)::int AS flows FROM (
          SELECT src AS ref FROM scope_flows
           WHERE src_grp IN (SELECT grp FROM expanded)
          UNION ALL
          SELECT dst FROM scope_flows
           WHERE dst_grp IN (SELECT grp FROM expanded)
        ) ends GROUP BY ref
      ),
      candidates AS (
        SELECT s.ref, s.grp, s.member, s.distance,
               row_number() OVER (
                 ORDER BY (s.distance = 0) IS TRUE DESC, abs(s.distance),
                          COALESCE(d.flows, 0) DESC, s.ref
               ) AS position
          FROM scope s LEFT JOIN degree d ON d.ref = s.ref
         WHERE s.grp IN (SELECT grp FROM expanded) OR s.distance = 0
         ORDER BY position
         LIMIT ?
      )
      SELECT 'group' AS row_kind, grp, count(*)::int AS members,
             NULL AS ref, NULL AS member, NULL::int AS distance, NULL AS namespace,
             NULL AS name, NULL AS title, NULL AS type, NULL AS owner,
             NULL AS lifecycle, count(*) AS position
        FROM scope GROUP BY grp
      UNION ALL
      SELECT 'member', c.grp, NULL, c.ref, c.member, c.distance, n.namespace,
             n.name, n.title, n.type, n.owner, n.lifecycle, c.position
        FROM candidates c JOIN data_product_mesh_nodes n ON n.ref = c.ref`,
      [...scope.bindings, JSON.stringify(expanded), limit],
    );
    const groups: GroupRow[] = rows
      .filter((row: { row_kind: string }) => row.row_kind === 'group')
      .map((row: GroupRow) => ({ grp: row.grp, members: row.members }))
      .sort(
        (a: GroupRow, b: GroupRow) =>
          b.members - a.members || (a.grp < b.grp ? -1 : 1),
      );
    const members: ShownMemberRow[] = rows
      .filter((row: { row_kind: string }) => row.row_kind === 'member')
      .sort(
        (a: { position: string }, b: { position: string }) =>
          Number(a.position) - Number(b.position),
      )
      .map(({ row_kind: _, position: __, members: ___, ...row }: any) => row);
    return { groups, members };
  }

  /**
   * The flows of the scope between the nodes shown: a member listed in
   * `shown` stands for itself, any other for its group. Flows inside one
   * node come out with the same source and target (all of them); flows
   * between two nodes, the heaviest `limit`, with how many there are.
   */
  async edges(
    visibility: Visibility,
    focus: Focus,
    shown: string[],
    limit: number,
  ): Promise<{
    edges: Array<{ source: string; target: string; flows: number }>;
    total: number;
  }> {
    const scope = scopeSql(visibility, focus);
    const { rows } = await this.#knex.raw(
      `${scope.sql},
      shown AS (SELECT jsonb_array_elements_text(?::jsonb) AS ref),
      aggregated AS (
        SELECT CASE WHEN f.src IN (SELECT ref FROM shown) THEN f.src ELSE f.src_grp END AS source,
               CASE WHEN f.dst IN (SELECT ref FROM shown) THEN f.dst ELSE f.dst_grp END AS target,
               count(*)::int AS flows
          FROM scope_flows f
         GROUP BY 1, 2
      ),
      ranked AS (
        SELECT a.*,
               row_number() OVER (PARTITION BY source = target ORDER BY flows DESC, source, target) AS position,
               count(*) OVER (PARTITION BY source = target)::int AS total
          FROM aggregated a
      )
      SELECT source, target, flows, total FROM ranked
       WHERE source = target OR position <= ?
       ORDER BY source, target`,
      [...scope.bindings, JSON.stringify(shown), limit],
    );
    const between = rows.find(
      (row: { source: string; target: string }) => row.source !== row.target,
    );
    return {
      edges: rows.map(
        (row: { source: string; target: string; flows: number }) => ({
          source: row.source,
          target: row.target,
          flows: row.flows,
        }),
      ),
      total: between?.total ?? 0,
    };
  }

  /** Every product and source ref of the index, for a visibility check. */
  async memberRefs(): Promise<string[]> {
    const rows: Array<{ ref: string }> = await this.#knex(
      'data_product_mesh_nodes',
    )
      .select('ref')
      .whereIn('kind', ['DataProduct', 'Resource'])
      .orderBy('ref');
    return rows.map(row => row.ref);
  }

  /**
   * Products and sources whose name or title contains `text`, and domains
   * whose name does, best first (exact, then prefix, then anywhere).
   */
  async search(
    text: string,
    visibility: Visibility,
    limit: number,
  ): Promise<SearchRow[]> {
    const members = membersSql(visibility);
    const lower = text.toLocaleLowerCase('en-US');
    const pattern = `%${escapeLike(text)}%`;
    const { rows } = await this.#knex.raw(
      `WITH ${members.sql},
      domains AS (
        SELECT grp, count(*)::int AS products FROM members
         WHERE member = 'product' GROUP BY grp
      ),
      matches AS (
        SELECT n.ref, m.member, m.grp, n.namespace, n.name, n.title, n.type,
               n.owner, n.lifecycle, NULL::int AS products,
               CASE WHEN lower(COALESCE(n.title, '')) = ? OR n.name = ? THEN 0
                    WHEN lower(COALESCE(n.title, '')) LIKE ? OR n.name LIKE ? THEN 1
                    ELSE 2 END AS rank
          FROM members m JOIN data_product_mesh_nodes n ON n.ref = m.ref
         WHERE n.name ILIKE ? OR n.title ILIKE ?
        UNION ALL
        SELECT d.grp, 'domain', d.grp, NULL, split_part(d.grp, '/', 2), NULL,
               NULL, NULL, NULL, d.products,
               CASE WHEN split_part(d.grp, '/', 2) = ? THEN 0 ELSE 1 END
          FROM domains d
         WHERE d.grp <> '${MESH_NO_DOMAIN}' AND split_part(d.grp, '/', 2) ILIKE ?
      )
      SELECT * FROM matches
       ORDER BY rank, (member = 'domain') DESC, COALESCE(title, name), ref
       LIMIT ?`,
      [
        ...members.bindings,
        lower,
        lower,
        `${escapeLike(lower)}%`,
        `${escapeLike(lower)}%`,
        pattern,
        pattern,
        lower,
        pattern,
        limit,
      ],
    );
    return rows;
  }
}
