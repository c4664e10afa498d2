import { InputError } from '@backstage/errors';
import {
  createTemplateAction,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import type {
  DataProductEntityV1alpha1,
  OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import type {
  ProvisionPlan,
  WarehouseService,
} from '@dataproducts/plugin-data-products-node';
import type { ProductAuthorization } from './authorization';
import { examples } from './provision.examples';
import type { ProductResolver } from '@dataproducts/plugin-data-products-node';
import {
  portResultsSchema,
  type EntityInput,
  type PortResult,
} from './schemas';

type PlanOutput = {
  product: string;
  schema: string;
  steps: Array<{ description: string; sql: string[] }>;
};

type ProvisionOutput = {
  schema: string;
  ports: PortResult[];
  plan: PlanOutput;
};

function planOutput(plan: ProvisionPlan): PlanOutput {
  return {
    product: plan.product,
    schema: plan.schema,
    steps: plan.steps.map(s => ({
      description: s.description,
      sql: s.statements.map(statement => statement.sql),
    })),
  };
}

/**
 * Creates the `dataproduct:provision` action: provisions a data product and
 * its output ports in the warehouse (given inline or by entity ref), for a
 * task user allowed `dataproduct.update` on an existing product or
 * `dataproduct.create` for a new one. Dry-run and `planOnly` return the real
 * plan without changing anything.
 */
export function createProvisionAction(options: {
  warehouse: WarehouseService;
  resolver: ProductResolver;
  authorization: Pick<ProductAuthorization, 'authorizeProvision'>;
}): TemplateAction<
  {
    entityRef?: string;
    product?: EntityInput;
    ports?: EntityInput[];
    planOnly?: boolean;
  },
  ProvisionOutput,
  'v2'
> {
  const { warehouse, resolver, authorization } = options;
  return createTemplateAction({
    id: 'dataproduct:provision',
    description:
      'Provisions a data product in the PostgreSQL warehouse: its schema, roles, and each output port as a table or view matching the declared columns.',
    supportsDryRun: true,
    examples,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .optional()
            .describe('Entity ref of a DataProduct in the catalog'),
        product: z =>
          z
            .object({ metadata: z.object({ name: z.string() }).passthrough() })
            .passthrough()
            .optional()
            .describe('A DataProduct entity, instead of entityRef'),
        ports: z =>
          z
            .array(
              z
                .object({
                  metadata: z.object({ name: z.string() }).passthrough(),
                })
                .passthrough(),
            )
            .optional()
            .describe("The product's OutputPort entities, with product"),
        planOnly: z =>
          z
            .boolean()
            .optional()
            .describe('Return the plan without applying it'),
      },
      output: {
        schema: z => z.string().describe("The product's PostgreSQL schema"),
        ports: z =>
          portResultsSchema(z).describe(
            'The output ports: schema.table, type and row count',
          ),
        plan: z =>
          z
            .object({
              product: z.string(),
              schema: z.string(),
              steps: z.array(
                z.object({
                  description: z.string(),
                  sql: z.array(z.string()),
                }),
              ),
            })
            .describe('The steps taken (or, dry-run, that would be taken)'),
      },
    },
    async handler(ctx) {
      const { entityRef, planOnly } = ctx.input;
      const credentials = await ctx.getInitiatorCredentials();
      let product: DataProductEntityV1alpha1;
      let ports: OutputPortEntityV1alpha1[];
      if (entityRef) {
        if (ctx.input.product) {
          throw new InputError('Give either entityRef or product, not both');
        }
        ({ product, ports } = await resolver.loadProduct(
          entityRef,
          credentials,
        ));
      } else if (ctx.input.product) {
        product = ctx.input.product as unknown as DataProductEntityV1alpha1;
        ports = (ctx.input.ports ??
          []) as unknown as OutputPortEntityV1alpha1[];
      } else {
        throw new InputError(
          'dataproduct:provision needs entityRef (a DataProduct in the catalog) or product and ports',
        );
      }
      await authorization.authorizeProvision({ credentials, product });
      const inputs = await resolver.resolveInputs(product, credentials);
      const request = { product, ports, inputs };

      if (ctx.isDryRun || planOnly) {
        const plan = await warehouse.plan(request, { signal: ctx.signal });
        for (const step of plan.steps) {
          ctx.logger.info(`Would ${step.description}`);
        }
        ctx.output('schema', plan.schema);
        ctx.output(
          'ports',
          ports.map(p => ({
            name: String(p.spec.name),
            object: `${plan.schema}.${p.spec.name}`,
            type: String(p.spec.type),
            rowCount: 0,
          })),
        );
        ctx.output('plan', planOutput(plan));
        return;
      }

      const result = await ctx.checkpoint<ProvisionOutput>({
        key: `dataproduct.provision.${product.metadata.name}`,
        fn: async () => {
          const applied = await warehouse.apply(request, {
            signal: ctx.signal,
          });
          return {
            schema: applied.schema,
            ports: applied.ports.map(({ name, object, type, rowCount }) => ({
              name,
              object,
              type,
              rowCount,
            })),
            plan: planOutput(applied.plan),
          };
        },
      });
      for (const step of result.plan.steps) {
        ctx.logger.info(step.description);
      }
      if (result.plan.steps.length === 0) {
        ctx.logger.info(`${product.metadata.name} is already up to date`);
      }
      ctx.output('schema', result.schema);
      ctx.output('ports', result.ports);
      ctx.output('plan', result.plan);
    },
  });
}
