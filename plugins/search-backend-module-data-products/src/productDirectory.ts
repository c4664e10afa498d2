import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  DEFAULT_NAMESPACE,
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** What a port's search document says about its product. */
export interface ProductSummary {
  /** The product's title, else its name. */
  title: string;
  /** The title of the product's domain, else its name; absent without one. */
  domain?: string;
}

const titleOf = (entity: Entity) =>
  entity.metadata.title || entity.metadata.name;

/**
 * The titles of data products and their domains, for search documents of
 * output ports. The catalog collator shapes one entity at a time and
 * synchronously, so the titles are read from the catalog beforehand
 * ({@link ProductDirectory.refresh}, scheduled by the module) and looked up
 * here; a product not read yet is named by its entity name.
 */
export class ProductDirectory {
  #products = new Map<string, ProductSummary>();

  /** Reads every DataProduct and Domain from the catalog, replacing what was known. */
  async refresh(catalog: CatalogService, credentials: BackstageCredentials) {
    const { items } = await catalog.getEntities(
      {
        filter: [{ kind: 'DataProduct' }, { kind: 'Domain' }],
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'spec.domain',
        ],
      },
      { credentials },
    );
    const domains = new Map(
      items
        .filter(e => e.kind.toLocaleLowerCase('en-US') === 'domain')
        .map(e => [stringifyEntityRef(e), titleOf(e)]),
    );
    this.#products = new Map(
      items
        .filter(e => e.kind.toLocaleLowerCase('en-US') === 'dataproduct')
        .map(product => {
          const domain = (product.spec as { domain?: unknown } | undefined)
            ?.domain;
          const domainRef =
            typeof domain === 'string' && domain
              ? stringifyEntityRef(
                  parseEntityRef(domain, {
                    defaultKind: 'domain',
                    defaultNamespace:
                      product.metadata.namespace ?? DEFAULT_NAMESPACE,
                  }),
                )
              : undefined;
          return [
            stringifyEntityRef(product),
            {
              title: titleOf(product),
              ...(domainRef
                ? {
                    domain:
                      domains.get(domainRef) ?? parseEntityRef(domainRef).name,
                  }
                : {}),
            },
          ];
        }),
    );
  }

  /** The product a port names (`spec.dataProduct`, relative to the port's namespace). */
  describe(product: string, namespace = DEFAULT_NAMESPACE): ProductSummary {
    const ref = stringifyEntityRef(
      parseEntityRef(product, {
        defaultKind: 'dataproduct',
        defaultNamespace: namespace,
      }),
    );
    return this.#products.get(ref) ?? { title: parseEntityRef(ref).name };
  }
}
