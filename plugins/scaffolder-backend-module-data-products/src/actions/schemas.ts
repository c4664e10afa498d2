import type { TemplateActionOptions } from '@backstage/plugin-scaffolder-node';

/** The zod instance the scaffolder hands to an action's schema functions. */
type Zod = Parameters<
  NonNullable<NonNullable<TemplateActionOptions['schema']>['output']>[string]
>[0];

/** An entity as the actions accept it inline: anything with a `metadata.name`. */
export type EntityInput = { [key: string]: any; metadata: { name: string } };

/** A provisioned output port, as `dataproduct:provision` and `dataproduct:refresh` output it. */
export type PortResult = {
  name: string;
  object: string;
  type: string;
  rowCount: number;
};

/**
 * The output schema of a list of {@link PortResult}s: the ports an action
 * provisioned or refreshed. Its type is written as `z.ZodType<PortResult[]>`
 * through the zod it is given, the scaffolder's, which this package cannot
 * import by name.
 */
export function portResultsSchema(
  z: Zod,
): InstanceType<typeof z.ZodType<PortResult[]>> {
  return z.array(
    z.object({
      name: z.string().describe('The port name, as source() names it'),
      object: z.string().describe('The table or view, as schema.name'),
      type: z.string().describe('postgres-table or postgres-view'),
      rowCount: z.number().describe('The rows it holds'),
    }),
  );
}
