import { ConflictError } from '@backstage/errors';
import {
  createTemplateAction,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { dataProductDecommissionPermission } from '@dataproducts/plugin-data-products-common';
import type { WarehouseService } from '@dataproducts/plugin-data-products-node';
import type { ProductAuthorization } from './authorization';
import { examples } from './decommission.examples';
import { productName } from './shared';

/**
 * Creates the `dataproduct:decommission` action: removes a product's schema,
 * ports, roles and grants, for a task user allowed
 * `dataproduct.decommission` on it. Refused while other products read it,
 * unless `force`.
 */
export function createDecommissionAction(options: {
  warehouse: WarehouseService;
  authorization: Pick<ProductAuthorization, 'authorize'>;
}): TemplateAction<
  { product: string; force?: boolean },
  { removed: boolean; schema: string; droppedConsumers: string[] },
  'v2'
> {
  const { warehouse, authorization } = options;
  return createTemplateAction({
    id: 'dataproduct:decommission',
    description:
      'Removes a data product from the warehouse: its schema with every port, its roles and grants. Refused while other products read it, unless force is set.',
    supportsDryRun: true,
    examples,
    schema: {
      input: {
        product: z =>
          z.string().describe('The DataProduct (entity ref or name)'),
        force: z =>
          z
            .boolean()
            .optional()
            .describe('Also when other products read it (their access ends)'),
      },
      output: {
        removed: z =>
          z.boolean().describe('False when the product was not provisioned'),
        schema: z => z.string().describe('The schema that was dropped'),
        droppedConsumers: z =>
          z
            .array(z.string())
            .describe('Products that lost access (only with force)'),
      },
    },
    async handler(ctx) {
      const name = productName(ctx.input.product);
      const force = ctx.input.force ?? false;
      await authorization.authorize({
        credentials: await ctx.getInitiatorCredentials(),
        permission: dataProductDecommissionPermission,
        name,
      });
      if (ctx.isDryRun) {
        const status = await warehouse.inspect(name);
        if (status.consumers.length > 0 && !force) {
          throw new ConflictError(
            `Data product '${name}' is still read by ${status.consumers
              .map(c => `'${c}'`)
              .join(
                ', ',
              )}. Revoke their grants first, or decommission with force.`,
          );
        }
        ctx.logger.info(
          status.provisioned
            ? `Would drop schema ${status.schema} and the roles of ${name}`
            : `${name} is not provisioned: nothing to do`,
        );
        ctx.output('removed', false);
        ctx.output('schema', status.schema);
        ctx.output('droppedConsumers', force ? status.consumers : []);
        return;
      }
      const result = await ctx.checkpoint({
        key: `dataproduct.decommission.${name}`,
        fn: async () => {
          const r = await warehouse.decommission(name, { force });
          return {
            removed: r.removed,
            schema: r.schema,
            droppedConsumers: r.droppedConsumers,
          };
        },
      });
      ctx.logger.info(
        result.removed
          ? `Dropped schema ${result.schema} and the roles of ${name}`
          : `${name} was not provisioned: nothing to do`,
      );
      ctx.output('removed', result.removed);
      ctx.output('schema', result.schema);
      ctx.output('droppedConsumers', result.droppedConsumers);
    },
  });
}
