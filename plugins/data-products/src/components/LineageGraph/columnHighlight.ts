import {
  composeColumnTransformations,
  type ColumnLineageField,
  type ColumnLineageLink,
  type ColumnLineageTransformation,
  type PortColumnLineage,
} from '@dataproducts/plugin-data-products-common';

/** The column lineage loaded so far (each expanded port's answer), merged. */
export interface MergedColumnLineage {
  fields: Map<string, ColumnLineageField>;
  links: ColumnLineageLink[];
  /** Per entity ref, the field ids of its columns in the order they came. */
  byEntity: Map<string, string[]>;
}

/** Merges the answers of several ports' column lineage, each field and link once. */
export function mergeColumnLineage(
  answers: PortColumnLineage[],
): MergedColumnLineage {
  const fields = new Map<string, ColumnLineageField>();
  const links = new Map<string, ColumnLineageLink>();
  const byEntity = new Map<string, string[]>();
  const place = (field: ColumnLineageField) => {
    if (fields.has(field.id)) return;
    fields.set(field.id, field);
    if (field.entityRef) {
      byEntity.set(field.entityRef, [
        ...(byEntity.get(field.entityRef) ?? []),
        field.id,
      ]);
    }
  };
  for (const answer of answers) {
    // The port's own columns first, in their order.
    const own = new Map(answer.fields.map(f => [f.id, f]));
    answer.columns.forEach(c => {
      const field = own.get(c.id);
      if (field) place(field);
    });
    answer.fields.forEach(place);
    answer.links.forEach(link =>
      links.set(`${link.source} ${link.target}`, link),
    );
  }
  return { fields, links: [...links.values()], byEntity };
}

/** How a highlighted column relates to the selected one. */
export interface ColumnMark {
  role: 'selected' | 'upstream' | 'downstream';
  /** How the selected column derives from it (upstream), or it from the selected one (downstream). */
  transformations: ColumnLineageTransformation[];
  /** True when a value flows (DIRECT); false when it only shapes rows (INDIRECT). */
  direct: boolean;
}

/**
 * The columns to highlight for a selected one: every column upstream of it
 * (what it derives from, back to source tables) and downstream (what
 * derives from it), each with the composed transformations.
 */
export function highlightColumn(
  links: ColumnLineageLink[],
  selected: string,
): Map<string, ColumnMark> {
  const marks = new Map<string, ColumnMark>([
    [selected, { role: 'selected', transformations: [], direct: true }],
  ]);
  for (const role of ['upstream', 'downstream'] as const) {
    const next = new Map<string, ColumnLineageLink[]>();
    for (const link of links) {
      const from = role === 'upstream' ? link.target : link.source;
      const list = next.get(from);
      if (list) list.push(link);
      else next.set(from, [link]);
    }
    let frontier: Array<{
      id: string;
      transformations?: ColumnLineageTransformation[];
    }> = [{ id: selected }];
    while (frontier.length) {
      const following: typeof frontier = [];
      for (const at of frontier) {
        for (const link of next.get(at.id) ?? []) {
          const to = role === 'upstream' ? link.source : link.target;
          if (marks.has(to)) continue;
          let transformations = link.transformations;
          if (at.transformations) {
            transformations =
              role === 'upstream'
                ? composeColumnTransformations(
                    link.transformations,
                    at.transformations,
                  )
                : composeColumnTransformations(
                    at.transformations,
                    link.transformations,
                  );
          }
          marks.set(to, {
            role,
            transformations,
            direct: transformations.some(t => t.type === 'DIRECT'),
          });
          following.push({ id: to, transformations });
        }
      }
      frontier = following;
    }
  }
  return marks;
}

/** The transformations in words, DIRECT ones first: `transformation`, `join, sort`. */
export function describeTransformations(
  transformations: ColumnLineageTransformation[],
): string {
  const direct = transformations.filter(t => t.type === 'DIRECT');
  const shown = direct.length ? direct : transformations;
  return [
    ...new Set(
      shown.map(t => t.subtype.toLocaleLowerCase('en-US').replace('_', ' ')),
    ),
  ].join(', ');
}
