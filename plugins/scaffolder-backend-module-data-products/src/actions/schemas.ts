import type { TemplateActionOptions } from '@backstage/plugin-scaffolder-node';

/** The zod instance the scaffolder hands to an action's schema functions. */
type Zod = Parameters<
  NonNullable<NonNullable<TemplateActionOptions['schema']>['input']>[string]
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

/** The schema of an inline entity (a DataProduct or an OutputPort). */
export const entityInputSchema = (z: Zod) =>
  z
    .object({ metadata: z.object({ name: z.string() }).passthrough() })
    .passthrough();

/** The schema of the output ports an action provisioned or refreshed. */
export const portResultsSchema = (z: Zod) =>
  z.array(
    z.object({
      name: z.string().describe('The port name, as source() names it'),
      object: z.string().describe('The table or view, as schema.name'),
      type: z.string().describe('postgres-table or postgres-view'),
      rowCount: z.number().describe('The rows it holds'),
    }),
  );
