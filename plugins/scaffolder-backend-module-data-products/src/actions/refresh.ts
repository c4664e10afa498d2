import { NotFoundError } from '@backstage/errors';
import {
  createTemplateAction,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { dataProductRefreshPermission } from '@dataproducts/plugin-data-products-common';
import type { WarehouseService } from '@dataproducts/plugin-data-products-node';
import type { ProductAuthorization } from './authorization';
import { examples } from './refresh.examples';
import { portResultsSchema, type PortResult } from './schemas';
import { productName } from './shared';

/**
 * Creates the `dataproduct:refresh` action: rebuilds a product's table ports
 * from their sources or models, atomically (views are live and left as they
 * are), for a task user allowed `dataproduct.refresh` on the product.
 */
export function createRefreshAction(options: {
  warehouse: WarehouseService;
  authorization: Pick<ProductAuthorization, 'authorize'>;
}): TemplateAction<
  { product: string; port?: string },
  { ports: PortResult[] },
  'v2'
> {
  const { warehouse, authorization } = options;
  return createTemplateAction({
    id: 'dataproduct:refresh',
    description:
      "Rebuilds a provisioned data product's table output ports atomically; readers keep seeing the previous rows until the new ones are swapped in.",
    supportsDryRun: true,
    examples,
    schema: {
      input: {
        product: z =>
          z.string().describe('The DataProduct (entity ref or name)'),
        port: z =>
          z
            .string()
            .optional()
            .describe('The port name; all ports when omitted'),
      },
      output: {
        ports: z =>
          portResultsSchema(z).describe(
            'The refreshed ports with their row counts',
          ),
      },
    },
    async handler(ctx) {
      const name = productName(ctx.input.product);
      await authorization.authorize({
        credentials: await ctx.getInitiatorCredentials(),
        permission: dataProductRefreshPermission,
        name,
      });
      const status = await warehouse.inspect(name);
      if (!status.provisioned) {
        throw new NotFoundError(
          `Data product '${name}' is not provisioned in the warehouse; provision it first`,
        );
      }
      const portNames = ctx.input.port
        ? [ctx.input.port]
        : status.ports.map(p => p.name);
      if (ctx.isDryRun) {
        ctx.logger.info(`Would refresh ${portNames.join(', ')} of ${name}`);
        ctx.output(
          'ports',
          status.ports
            .filter(p => portNames.includes(p.name))
            .map(p => ({
              name: p.name,
              object: p.object,
              type: p.type,
              rowCount: p.rowCount ?? 0,
            })),
        );
        return;
      }
      const ports: PortResult[] = [];
      for (const port of portNames) {
        const result = await ctx.checkpoint({
          key: `dataproduct.refresh.${name}.${port}`,
          fn: async () => {
            const r = await warehouse.refresh(name, port, {
              signal: ctx.signal,
            });
            return {
              name: r.name,
              object: r.object,
              type: r.type,
              rowCount: r.rowCount,
            };
          },
        });
        ctx.logger.info(`Refreshed ${result.object}: ${result.rowCount} rows`);
        ports.push(result);
      }
      ctx.output('ports', ports);
    },
  });
}
