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
  ForwardedError,
  InputError,
  isError,
  NotAllowedError,
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
  DataProductsRegistryClient,
  dataProductRegistryLocation,
  OUTPUT_PORT_KIND,
  type DataProductEntityV1alpha1,
  type DataProductRegistration,
  type OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import { waitFor } from '../lib/waitFor';
import { examples } from './register.examples';
import type { EntityInput } from './schemas';

/**
 * Creates the `dataproduct:register` action: stores a (provisioned) data
 * product and its output ports in the data-products registry, whose change
 * event brings them to the catalog at once, and waits until the catalog
 * shows them (the catalog's own processing and stitching loops, which wake
 * every second when idle, take most of that wait).
 * With `validateOnly` it only checks that the registry would accept the
 * product and that no other catalog source defines an entity of that name.
 */
export function createRegisterAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  catalog: CatalogService;
  /** How often to look for the published entities; defaults to 100 ms. */
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
  const { discovery, auth, catalog, pollIntervalMs = 100 } = options;
  const registry = new DataProductsRegistryClient({ discoveryApi: discovery });

  return createTemplateAction({
    id: 'dataproduct:register',
    description:
      'Registers a data product and its output ports in the portal registry, which publishes them to the catalog at once, and waits until the catalog shows them.',
    supportsDryRun: true,
    examples,
    schema: {
      input: {
        product: z =>
          z
            .object({
              metadata: z.object({ name: z.string() }).passthrough(),
            })
            .passthrough()
            .describe('The DataProduct entity'),
        ports: z =>
          z
            .array(
              z
                .object({
                  metadata: z.object({ name: z.string() }).passthrough(),
                })
                .passthrough(),
            )
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

      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'data-products',
      });
      const registration: DataProductRegistration = {
        // Sent as given: the registry validates them and names every problem.
        product: product as unknown as DataProductEntityV1alpha1,
        ports: ports as unknown as OutputPortEntityV1alpha1[],
      };
      /** Calls the registry; its refusal becomes a typed error that names the product. */
      const askRegistry = async <T>(call: () => Promise<T>): Promise<T> => {
        try {
          return await call();
        } catch (error) {
          throw refusal(name, error);
        }
      };

      if (validateOnly || ctx.isDryRun) {
        await askRegistry(() =>
          registry.validateProduct(registration, { token }),
        );
        ctx.logger.info(
          `Data product ${entityRef} with ${ports.length} output port(s) can be registered`,
        );
        return;
      }

      const created = await ctx.checkpoint({
        key: `dataproduct-register-${name}`,
        fn: async () =>
          (
            await askRegistry(() =>
              registry.registerProduct(registration, { token }),
            )
          ).created,
      });
      ctx.logger.info(
        `${
          created ? 'Registered' : 'Updated'
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

/** True for the error the registry client throws when the registry answers with an error. */
function isResponseError(error: unknown): error is ResponseError {
  return isError(error) && error.name === 'ResponseError';
}

/**
 * The typed error for a registry's refusal of the product `name`, with the
 * registry's own message; other errors (the registry unreachable) unchanged.
 */
function refusal(name: string, error: unknown): unknown {
  if (!isResponseError(error)) {
    return error;
  }
  const message = `The data product registry refused ${name}: ${error.body.error.message}`;
  switch (error.statusCode) {
    case 400:
      return new InputError(message, error);
    case 403:
      return new NotAllowedError(message, error);
    case 404:
      return new NotFoundError(message, error);
    case 409:
      return new ConflictError(message, error);
    default:
      return new ForwardedError(message, error);
  }
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
        dataProductRegistryLocation(name),
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
