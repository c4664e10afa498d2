import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ColumnImpact,
  ColumnLineageField,
  ColumnLineageLink,
  ColumnLineageReach,
  ColumnLineageTransformation,
  composeColumnTransformations,
  DATA_PRODUCT_KIND,
  getOutputPortProductRef,
  isEntityRefOfKind,
  isOutputPortEntity,
  OUTPUT_PORT_KIND,
  OutputPortEntityV1alpha1,
  PortColumnLineage,
  SOURCE_RESOURCE_KIND,
} from '@dataproducts/plugin-data-products-common';
import type { WarehouseService } from '@dataproducts/plugin-data-products-node';

/** The annotation of a source Resource naming its table, `schema.table`. */
export const SOURCE_TABLE_ANNOTATION = 'dataproducts.io/table';

const ENTITY_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'metadata.annotations',
  'spec.dataProduct',
  'spec.name',
  'relations',
];

function relationTarget(entity: Entity, type: string): string | undefined {
  return entity.relations?.find(r => r.type === type)?.targetRef;
}

/**
 * Serves column lineage and impact analysis from what the warehouse
 * recorded per build (one indexed query per hop), keeping only the ports and
 * source Resources the caller can see in the catalog.
 */
export class ColumnLineageService {
  readonly #catalog: CatalogService;
  readonly #warehouse: Pick<WarehouseService, 'columnLineage' | 'columnImpact'>;

  constructor(options: {
    catalog: CatalogService;
    warehouse: Pick<WarehouseService, 'columnLineage' | 'columnImpact'>;
  }) {
    this.#catalog = options.catalog;
    this.#warehouse = options.warehouse;
  }

  /**
   * A port's columns, each with the input columns it derives from (back to
   * source-table columns) and the consumer columns derived from it.
   */
  async getPortColumns(
    ref: CompoundEntityRef,
    depth: { upstream: number; downstream: number },
    credentials: BackstageCredentials,
  ): Promise<PortColumnLineage> {
    const port = await this.#port(ref, credentials);
    const portRef = stringifyEntityRef(port);
    const walk = await this.#warehouse.columnLineage({
      product: getOutputPortProductRef(port).name,
      port: port.spec.name,
      ...depth,
    });

    const visible = await this.#visible(
      walk.hops.flatMap(h => [h.portRef, ...(h.input ? [h.input.ref] : [])]),
      credentials,
    );
    visible.set(portRef, port);
    const sources = await this.#sourceResources(
      walk.hops.filter(h => !h.input).map(h => h.relation),
      credentials,
    );

    const fields = new Map<string, ColumnLineageField>();
    const portField = (
      entityRef: string,
      relation: string,
      column: string,
    ): string | undefined => {
      const entity = visible.get(entityRef);
      if (!entity) return undefined;
      const id = `${entityRef}#${column}`;
      if (!fields.has(id)) {
        fields.set(id, {
          id,
          entityRef,
          kind: 'OutputPort',
          title: entity.metadata.title ?? entity.metadata.name,
          relation,
          column,
          distance: 0,
        });
      }
      return id;
    };
    const sourceField = (relation: string, column: string): string => {
      const resource = sources.get(relation);
      const entityRef = resource && stringifyEntityRef(resource);
      const id = `${entityRef ?? `table:${relation}`}#${column}`;
      if (!fields.has(id)) {
        fields.set(id, {
          id,
          ...(entityRef ? { entityRef } : {}),
          kind: resource ? 'Resource' : 'Table',
          title: resource?.metadata.title ?? relation,
          relation,
          column,
          distance: 0,
        });
      }
      return id;
    };
    const links: ColumnLineageLink[] = [];
    for (const hop of walk.hops) {
      const target = portField(hop.portRef, hop.portRelation, hop.column);
      const source = hop.input
        ? portField(hop.input.ref, hop.relation, hop.field)
        : sourceField(hop.relation, hop.field);
      if (target && source) {
        links.push({ source, target, transformations: hop.transformations });
      }
    }
    const own = walk.columns.map(
      column => portField(portRef, walk.relation, column) as string,
    );

    const upstreamOf = reach(links, 'upstream');
    const downstreamOf = reach(links, 'downstream');
    // Each field's distance: the nearest hops from one of the port's columns.
    const place = (id: string, distance: number) => {
      const field = fields.get(id)!;
      if (
        field.distance === 0 ||
        Math.abs(distance) < Math.abs(field.distance)
      ) {
        field.distance = distance;
      }
    };
    for (const id of own) {
      upstreamOf(id).forEach(r => place(r.id, -r.hops));
      downstreamOf(id).forEach(r => place(r.id, r.hops));
    }
    return {
      port: portRef,
      ...(walk.builtAt ? { builtAt: walk.builtAt } : {}),
      columns: walk.columns.map((name, i) => ({
        name,
        id: own[i],
        upstream: upstreamOf(own[i]),
        downstream: downstreamOf(own[i]),
      })),
      fields: [...fields.values()],
      links,
      truncated: walk.truncated,
    };
  }

  /**
   * The consumer columns derived from a column of a port, transitively,
   * with their port, product and owner: what a change of the column reaches.
   */
  async getColumnImpact(
    ref: CompoundEntityRef,
    column: string,
    credentials: BackstageCredentials,
  ): Promise<ColumnImpact> {
    const port = await this.#port(ref, credentials);
    const impact = await this.#warehouse.columnImpact(
      getOutputPortProductRef(port).name,
      port.spec.name,
      column,
    );
    const ports = await this.#visible(
      impact.consumers.map(c => c.portRef),
      credentials,
    );
    const products = await this.#visible(
      [...ports.values()].flatMap(p => {
        const product = relationTarget(p, RELATION_PART_OF);
        return product && isEntityRefOfKind(product, DATA_PRODUCT_KIND)
          ? [product]
          : [];
      }),
      credentials,
    );
    const consumers = impact.consumers.flatMap(consumer => {
      const entity = ports.get(consumer.portRef);
      if (!entity) return [];
      const productRef = relationTarget(entity, RELATION_PART_OF);
      const product = productRef ? products.get(productRef) : undefined;
      // A port without an owner of its own is owned by its product's owner.
      const owner =
        relationTarget(entity, RELATION_OWNED_BY) ??
        (product && relationTarget(product, RELATION_OWNED_BY));
      return [
        {
          port: consumer.portRef,
          portTitle: entity.metadata.title ?? entity.metadata.name,
          column: consumer.column,
          ...(product
            ? {
                product: stringifyEntityRef(product),
                productTitle: product.metadata.title ?? product.metadata.name,
              }
            : {}),
          ...(owner ? { owner } : {}),
          hops: consumer.hops,
          transformations: consumer.transformations,
        },
      ];
    });
    return {
      port: stringifyEntityRef(port),
      column,
      consumers,
      truncated: impact.truncated,
    };
  }

  async #port(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<OutputPortEntityV1alpha1> {
    if (!isEntityRefOfKind(ref, OUTPUT_PORT_KIND)) {
      throw new InputError(`'${stringifyEntityRef(ref)}' is not an OutputPort`);
    }
    const entity = await this.#catalog.getEntityByRef(ref, { credentials });
    if (!entity || !isOutputPortEntity(entity)) {
      throw new NotFoundError(
        `No OutputPort '${stringifyEntityRef(ref)}' in the catalog`,
      );
    }
    return entity;
  }

  /** The entities among `refs` the caller can see, by their normalized refs. */
  async #visible(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, Entity>> {
    const unique = [...new Set(refs)];
    const visible = new Map<string, Entity>();
    if (unique.length === 0) return visible;
    const { items } = await this.#catalog.getEntitiesByRefs(
      { entityRefs: unique, fields: ENTITY_FIELDS },
      { credentials },
    );
    for (const entity of items) {
      if (entity) visible.set(stringifyEntityRef(entity), entity);
    }
    return visible;
  }

  /** The source Resources the caller can see that name the tables, by table. */
  async #sourceResources(
    tables: string[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, Entity>> {
    const unique = [...new Set(tables)];
    const byTable = new Map<string, Entity>();
    if (unique.length === 0) return byTable;
    const { items } = await this.#catalog.getEntities(
      {
        filter: {
          kind: SOURCE_RESOURCE_KIND,
          [`metadata.annotations.${SOURCE_TABLE_ANNOTATION}`]: unique,
        },
        fields: ENTITY_FIELDS,
      },
      { credentials },
    );
    for (const entity of items.sort((a, b) =>
      stringifyEntityRef(a).localeCompare(stringifyEntityRef(b)),
    )) {
      const table = entity.metadata.annotations?.[SOURCE_TABLE_ANNOTATION];
      if (table && !byTable.has(table)) byTable.set(table, entity);
    }
    return byTable;
  }
}

/**
 * The columns reached from a column along the links, breadth first, each
 * with how it derives (composed along the way) and in how many hops.
 */
function reach(
  links: ColumnLineageLink[],
  direction: 'upstream' | 'downstream',
): (id: string) => ColumnLineageReach[] {
  const next = new Map<string, ColumnLineageLink[]>();
  for (const link of links) {
    const from = direction === 'upstream' ? link.target : link.source;
    const list = next.get(from);
    if (list) list.push(link);
    else next.set(from, [link]);
  }
  return start => {
    const reached = new Map<string, ColumnLineageReach>([
      [start, { id: start, hops: 0, transformations: [] }],
    ]);
    let frontier = [reached.get(start)!];
    for (let hops = 1; frontier.length; hops++) {
      const following: ColumnLineageReach[] = [];
      for (const at of frontier) {
        for (const link of next.get(at.id) ?? []) {
          const to = direction === 'upstream' ? link.source : link.target;
          if (reached.has(to)) continue;
          let transformations: ColumnLineageTransformation[] =
            link.transformations;
          if (at.hops > 0) {
            transformations =
              direction === 'upstream'
                ? composeColumnTransformations(
                    link.transformations,
                    at.transformations,
                  )
                : composeColumnTransformations(
                    at.transformations,
                    link.transformations,
                  );
          }
          const r = { id: to, hops, transformations };
          reached.set(to, r);
          following.push(r);
        }
      }
      frontier = following;
    }
    reached.delete(start);
    return [...reached.values()];
  };
}
