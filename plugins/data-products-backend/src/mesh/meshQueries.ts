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
 * Lists of refs are bound as one JSON array (`?::jsonb`), never spliced and
 * never expanded by knex into one placeholder per item.
 */

/** A member row as the queries answer it. */
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

function membersSql(visibility: Visibility): {
  sql: string;
  bindings: Knex.RawBinding[];
} {
  const visible = visibility.all
    ? ''
    : 'AND n.ref IN (SELECT jsonb_array_elements_text(?::jsonb))';
  const bindings = visibility.all ? [] : [JSON.stringify(visibility.refs)];
  return {
    sql: `members AS (
      SELECT n.ref, 'product' AS member,
             COALESCE(NULLIF(n.domain, ''), '${MESH_NO_DOMAIN}') AS grp,
             n.namespace, n.name, n.title, n.type, n.owner, n.lifecycle
        FROM data_product_mesh_nodes n
       WHERE n.kind = 'DataProduct' ${visible}
      UNION ALL
      SELECT n.ref, 'source' AS member, '${MESH_SOURCES}' AS grp,
             n.namespace, n.name, n.title, n.type, n.owner, n.lifecycle
        FROM data_product_mesh_nodes n
       WHERE n.kind = 'Resource' ${visible}
    ),
    flows AS (
      SELECT COALESCE(port.product, e.source) AS src, e.target AS dst
        FROM data_product_mesh_edges e
        LEFT JOIN data_product_mesh_nodes port
          ON port.ref = e.source AND port.kind = 'OutputPort'
       WHERE e.type = 'feeds'
    ),
    member_flows AS (
      SELECT f.src, f.dst, s.grp AS src_grp, t.grp AS dst_grp
        FROM flows f
        JOIN members s ON s.ref = f.src
        JOIN members t ON t.ref = f.dst
       WHERE f.src <> f.dst
    )`,
    bindings: visibility.all ? [] : [...bindings, ...bindings],
  };
}

/**
 * The members in scope: every member, or the neighbourhood of `focus` up to
 * `depth` hops upstream and downstream (with each member's signed distance:
 * negative upstream, positive downstream, the nearer when both).
 */
function scopeSql(focus: { ref: string; depth: number } | undefined): {
  sql: string;
  bindings: Knex.RawBinding[];
} {
  if (!focus) {
    return {
      sql: `scope AS (SELECT m.*, NULL::int AS distance FROM members m)`,
      bindings: [],
    };
  }
  return {
    sql: `upstream(ref, hops) AS (
      SELECT ?::text, 0
      UNION
      SELECT f.src, u.hops + 1 FROM upstream u
        JOIN member_flows f ON f.dst = u.ref
       WHERE u.hops < ?
    ),
    downstream(ref, hops) AS (
      SELECT ?::text, 0
      UNION
      SELECT f.dst, d.hops + 1 FROM downstream d
        JOIN member_flows f ON f.src = d.ref
       WHERE d.hops < ?
    ),
    reached AS (
      SELECT ref, -MIN(hops) AS distance FROM upstream GROUP BY ref
      UNION ALL
      SELECT ref, MIN(hops) AS distance FROM downstream GROUP BY ref
    ),
    hood AS (
      SELECT DISTINCT ON (ref) ref, distance FROM reached
       ORDER BY ref, abs(distance), distance
    ),
    scope AS (
      SELECT m.*, h.distance FROM members m JOIN hood h ON h.ref = m.ref
    )`,
    bindings: [focus.ref, focus.depth, focus.ref, focus.depth],
  };
}

/** The members in scope, within the flows of the scope. */
function withScope(
  visibility: Visibility,
  focus: { ref: string; depth: number } | undefined,
): { sql: string; bindings: Knex.RawBinding[] } {
  const members = membersSql(visibility);
  const scope = scopeSql(focus);
  return {
    sql: `WITH RECURSIVE ${members.sql}, ${scope.sql},
    scope_flows AS (
      SELECT f.* FROM member_flows f
       WHERE f.src IN (SELECT ref FROM scope) AND f.dst IN (SELECT ref FROM scope)
    )`,
    bindings: [...members.bindings, ...scope.bindings],
  };
}

/** A group of the scope, with how many of its members are in it. */
export interface GroupRow {
  grp: string;
  members: number;
}

/** Reads the aggregated mesh graph in a few queries. */
export class MeshQueries {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** The member `ref`, when it is a product or source the caller may see. */
  async member(
    ref: string,
    visibility: Visibility,
  ): Promise<MemberRow | undefined> {
    const members = membersSql(visibility);
    const { rows } = await this.#knex.raw(
      `WITH ${members.sql} SELECT * FROM members WHERE ref = ?`,
      [...members.bindings, ref],
    );
    return rows[0];
  }

  /** Every group of the scope with its member count, the largest first. */
  async groups(
    visibility: Visibility,
    focus: { ref: string; depth: number } | undefined,
  ): Promise<GroupRow[]> {
    const scope = withScope(visibility, focus);
    const { rows } = await this.#knex.raw(
      `${scope.sql}
      SELECT grp, count(*)::int AS members FROM scope
       GROUP BY grp ORDER BY count(*) DESC, grp`,
      scope.bindings,
    );
    return rows;
  }

  /**
   * The members of the scope to show on their own: the focus, and the
   * members of the groups in `expanded`, nearest the focus first, then the
   * most connected, at most `limit` of them.
   */
  async shownMembers(
    visibility: Visibility,
    focus: { ref: string; depth: number } | undefined,
    expanded: string[],
    limit: number,
  ): Promise<Array<MemberRow & { distance: number | null }>> {
    const scope = withScope(visibility, focus);
    const { rows } = await this.#knex.raw(
      `${scope.sql},
      degree AS (
        SELECT ref, count(*)::int AS flows FROM (
          SELECT src AS ref FROM scope_flows UNION ALL SELECT dst FROM scope_flows
        ) ends GROUP BY ref
      )
      SELECT s.* FROM scope s LEFT JOIN degree d ON d.ref = s.ref
       WHERE s.grp IN (SELECT jsonb_array_elements_text(?::jsonb))
          OR s.distance = 0
       ORDER BY (s.distance = 0) DESC, abs(s.distance), COALESCE(d.flows, 0) DESC,
                COALESCE(s.title, s.name), s.ref
       LIMIT ?`,
      [...scope.bindings, JSON.stringify(expanded), limit],
    );
    return rows;
  }

  /**
   * The flows of the scope between the nodes shown: a member listed in
   * `shown` stands for itself, any other for its group. Flows inside one
   * node come out with the same source and target.
   */
  async edges(
    visibility: Visibility,
    focus: { ref: string; depth: number } | undefined,
    shown: string[],
  ): Promise<Array<{ source: string; target: string; flows: number }>> {
    const scope = withScope(visibility, focus);
    const { rows } = await this.#knex.raw(
      `${scope.sql},
      shown AS (SELECT jsonb_array_elements_text(?::jsonb) AS ref),
      visible_flows AS (
        SELECT CASE WHEN f.src IN (SELECT ref FROM shown) THEN f.src ELSE f.src_grp END AS source,
               CASE WHEN f.dst IN (SELECT ref FROM shown) THEN f.dst ELSE f.dst_grp END AS target
          FROM scope_flows f
      )
      SELECT source, target, count(*)::int AS flows FROM visible_flows
       GROUP BY source, target
       ORDER BY source, target`,
      [...scope.bindings, JSON.stringify(shown)],
    );
    return rows;
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
    const pattern = `%${text.replace(/[\\%_]/g, c => `\\${c}`)}%`;
    const lower = text.toLocaleLowerCase('en-US');
    const { rows } = await this.#knex.raw(
      `WITH ${members.sql},
      domains AS (
        SELECT grp, count(*)::int AS products FROM members
         WHERE member = 'product' GROUP BY grp
      ),
      matches AS (
        SELECT m.ref, m.member, m.grp, m.namespace, m.name, m.title, m.type,
               m.owner, m.lifecycle, NULL::int AS products,
               CASE WHEN lower(COALESCE(m.title, '')) = ? OR m.name = ? THEN 0
                    WHEN lower(COALESCE(m.title, '')) LIKE ? || '%' OR m.name LIKE ? || '%' THEN 1
                    ELSE 2 END AS rank
          FROM members m
         WHERE m.name ILIKE ? OR m.title ILIKE ?
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
        lower.replace(/[\\%_]/g, c => `\\${c}`),
        lower.replace(/[\\%_]/g, c => `\\${c}`),
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
