import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  DEFAULT_NAMESPACE,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  createTemplateAction,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  DATA_PRODUCT_KIND,
  OUTPUT_PORT_KIND,
} from '@dataproducts/plugin-data-products-common';
import { waitFor } from '../lib/waitFor';
import { examples } from './register.examples';
import { entityInputSchema, type EntityInput } from './schemas';

/** The location annotation the registry's entity provider gives a product's entities. */
const registryLocation = (name: string) => `data-products-registry:${name}`;

/**
 * Creates the `dataproduct:register` action: stores a (provisioned) data
 * product and its output ports in the data-products registry, which the
 * catalog publishes within seconds, and waits until the catalog has them.
 * With `validateOnly` it only checks that the registry would accept the
 * product and that no other catalog source defines an entity of that name.
 */
export function createRegisterAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  catalog: CatalogService;
  /** How often to look for the published entities; defaults to 500 ms. */
  pollIntervalMs?: number;
}): TemplateAction<
  {
    product: EntityInput;
    ports: EntityInput[];
    validateOnly?: boolean;
    timeoutSeconds?: number;
  },
  { entityRef: string; portEntityRefs: string[] },
  'v2'
> {
  const { discovery, auth, catalog, pollIntervalMs = 500 } = options;

  return createTemplateAction({
    id: 'dataproduct:register',
    description:
      'Registers a data product and its output ports in the portal registry, which publishes them to the catalog, and waits until the catalog shows them.',
    supportsDryRun: true,
    examples,
    schema: {
      input: {
        product: z => entityInputSchema(z).describe('The DataProduct entity'),
        ports: z =>
          z
            .array(entityInputSchema(z))
            .describe("The product's OutputPort entities"),
        validateOnly: z =>
          z
            .boolean()
            .optional()
            .describe('Only check that the product can be registered'),
        timeoutSeconds: z =>
          z
            .number()
            .optional()
            .describe(
              'How long to wait for the catalog to show the entities (default 60)',
            ),
      },
      output: {
        entityRef: z => z.string().describe("The product's entity ref"),
        portEntityRefs: z =>
          z.array(z.string()).describe("The output ports' entity refs"),
      },
    },
    async handler(ctx) {
      const { product, ports, validateOnly, timeoutSeconds = 60 } = ctx.input;
      const name = product.metadata.name;
      const entityRef = stringifyEntityRef({
        kind: DATA_PRODUCT_KIND,
        namespace: DEFAULT_NAMESPACE,
        name,
      });
      const portEntityRefs = ports.map(port =>
        stringifyEntityRef({
          kind: OUTPUT_PORT_KIND,
          namespace: DEFAULT_NAMESPACE,
          name: port.metadata.name,
        }),
      );
      ctx.output('entityRef', entityRef);
      ctx.output('portEntityRefs', portEntityRefs);

      const credentials = await ctx.getInitiatorCredentials();
      await assertNotDefinedElsewhere(catalog, credentials, name, [
        entityRef,
        ...portEntityRefs,
      ]);

      const baseUrl = `${await discovery.getBaseUrl(
        'data-products',
      )}/registry/products/${encodeURIComponent(name)}`;
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'data-products',
      });
      const put = async (dryRun: boolean) => {
        const response = await fetch(
          `${baseUrl}${dryRun ? '?dryRun=true' : ''}`,
          {
            method: 'PUT',
            headers: {
              'Content-Type': 'application/json',
              Authorization: `Bearer ${token}`,
            },
            body: JSON.stringify({ product, ports, status: 'provisioned' }),
          },
        );
        if (!response.ok) {
          const error = await ResponseError.fromResponse(response);
          const message = `The data product registry refused ${name}: ${error.body.error.message}`;
          switch (response.status) {
            case 400:
              throw new InputError(message, error);
            case 404:
              throw new NotFoundError(message, error);
            case 409:
              throw new ConflictError(message, error);
            default:
              throw new Error(message, { cause: error });
          }
        }
        return response.status;
      };

      if (validateOnly || ctx.isDryRun) {
        await put(true);
        ctx.logger.info(
          `Data product ${entityRef} with ${ports.length} output port(s) can be registered`,
        );
        return;
      }

      const status = await ctx.checkpoint({
        key: `dataproduct-register-${name}`,
        fn: () => put(false),
      });
      ctx.logger.info(
        `${
          status === 201 ? 'Registered' : 'Updated'
        } data product ${entityRef}; waiting for the catalog to publish it`,
      );

      const refs = [entityRef, ...portEntityRefs];
      let missing = refs;
      await waitFor(
        async () => {
          const { items } = await catalog.getEntitiesByRefs(
            { entityRefs: refs, fields: ['kind', 'metadata.name'] },
            { credentials },
          );
          missing = refs.filter((_, i) => !items[i]);
          return missing.length === 0 ? true : undefined;
        },
        {
          timeoutMs: timeoutSeconds * 1000,
          intervalMs: pollIntervalMs,
          signal: ctx.signal,
          onTimeout: () =>
            new ServiceUnavailableError(
              `Data product ${name} is registered, but after ${timeoutSeconds}s the catalog still does not show ${missing.join(
                ', ',
              )}; check that the data products catalog module is installed and look for catalog processing errors`,
            ),
        },
      );
      ctx.logger.info(`The catalog shows ${refs.join(', ')}`);
    },
  });
}

/**
 * Refuses a product whose entities the catalog already has from another
 * source (a YAML location, say): the registry's copy could never replace them.
 */
async function assertNotDefinedElsewhere(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  name: string,
  refs: string[],
) {
  const { items } = await catalog.getEntitiesByRefs(
    { entityRefs: refs },
    { credentials },
  );
  const foreign = items.filter(
    (entity): entity is Entity =>
      !!entity &&
      entity.metadata.annotations?.[ANNOTATION_LOCATION] !==
        registryLocation(name),
  );
  if (foreign.length > 0) {
    throw new ConflictError(
      `Cannot register data product ${name}: the catalog already has ${foreign
        .map(
          e =>
            `${stringifyEntityRef(e)} from ${
              e.metadata.annotations?.[ANNOTATION_LOCATION] ?? 'another source'
            }`,
        )
        .join(', ')}; choose another name or edit that definition instead`,
    );
  }
}
