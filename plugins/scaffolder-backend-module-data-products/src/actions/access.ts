import {
  createTemplateAction,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  dataProductAccessApprovePermission,
  dataProductAccessRevokePermission,
} from '@dataproducts/plugin-data-products-common';
import type { WarehouseService } from '@dataproducts/plugin-data-products-node';
import { grantExamples, revokeExamples } from './access.examples';
import type { ProductAuthorization } from './authorization';
import { productName } from './shared';

type AccessInput = { product: string; port: string; consumer: string };

/** What the access actions use: the warehouse, and who may change access. */
type AccessActionOptions = {
  warehouse: WarehouseService;
  authorization: Pick<ProductAuthorization, 'authorize'>;
};

function createAccessAction(
  verb: 'grant' | 'revoke',
  { warehouse, authorization }: AccessActionOptions,
): TemplateAction<AccessInput, { changed: boolean }, 'v2'> {
  const granting = verb === 'grant';
  return createTemplateAction({
    id: `dataproduct:${verb}`,
    description: granting
      ? "Lets a consumer data product read an output port: grants the consumer's role the port's reader role."
      : "Takes a consumer data product's read access to an output port away.",
    supportsDryRun: true,
    examples: granting ? grantExamples : revokeExamples,
    schema: {
      input: {
        product: z =>
          z
            .string()
            .describe('The data product owning the port (entity ref or name)'),
        port: z => z.string().describe('The output port name'),
        consumer: z =>
          z
            .string()
            .describe('The consuming data product (entity ref or name)'),
      },
      output: {
        changed: z =>
          z
            .boolean()
            .describe(
              granting
                ? 'False when the consumer already had access'
                : 'False when the consumer had no access',
            ),
      },
    },
    async handler(ctx) {
      const request = {
        product: productName(ctx.input.product),
        port: ctx.input.port,
        consumer: productName(ctx.input.consumer, 'consumer data product'),
      };
      // Access to a port is the producing product's owners' to give and take.
      await authorization.authorize({
        credentials: await ctx.getInitiatorCredentials(),
        permission: granting
          ? dataProductAccessApprovePermission
          : dataProductAccessRevokePermission,
        name: request.product,
      });
      const description = `${request.consumer} ${
        granting ? 'read access to' : 'no longer reads'
      } ${request.product}/${request.port}`;
      if (ctx.isDryRun) {
        ctx.logger.info(`Would ${verb}: ${description}`);
        ctx.output('changed', false);
        return;
      }
      const result = await ctx.checkpoint({
        key: `dataproduct.${verb}.${request.product}.${request.port}.${request.consumer}`,
        fn: async () =>
          granting ? warehouse.grant(request) : warehouse.revoke(request),
      });
      ctx.logger.info(
        `${result.changed ? 'Done' : 'Nothing to do'}: ${description}`,
      );
      ctx.output('changed', result.changed);
    },
  });
}

/**
 * Creates the `dataproduct:grant` action, for a task user allowed
 * `dataproduct.access.approve` on the producing product.
 */
export function createGrantAction(options: AccessActionOptions) {
  return createAccessAction('grant', options);
}

/**
 * Creates the `dataproduct:revoke` action, for a task user allowed
 * `dataproduct.access.revoke` on the producing product.
 */
export function createRevokeAction(options: AccessActionOptions) {
  return createAccessAction('revoke', options);
}
