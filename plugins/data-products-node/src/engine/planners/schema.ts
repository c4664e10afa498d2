import { BUILD_FUNCTION } from '../spec';
import { RunnableStep } from '../runner';
import { commentLiteral, escapeIdentifier, qualifiedName } from '../sql';
import { PlanStatement } from '../types';
import { ProvisionContext } from './context';

/**
 * A schema owned by `role`, with the build function that runs model SQL as
 * that role: `SECURITY DEFINER`, so a model cannot `SET ROLE` back to the
 * engine's user, with only `pg_catalog` on its search path.
 */
export function schemaStatements(
  schema: string,
  role: string,
): PlanStatement[] {
  const buildFunction = qualifiedName(schema, BUILD_FUNCTION);
  return [
    {
      sql: `CREATE SCHEMA ${escapeIdentifier(
        schema,
      )} AUTHORIZATION ${escapeIdentifier(role)}`,
    },
    {
      sql:
        `CREATE OR REPLACE FUNCTION ${buildFunction}(statement text) RETURNS bigint ` +
        `LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $dp$ ` +
        `DECLARE affected bigint; BEGIN EXECUTE statement; GET DIAGNOSTICS affected = ROW_COUNT; RETURN affected; END $dp$`,
      role,
    },
    {
      sql: `REVOKE ALL ON FUNCTION ${buildFunction}(text) FROM PUBLIC`,
      role,
    },
  ];
}

/**
 * The product's schema, owned by its role, with the build function; and the
 * schema's comment from the product's description.
 */
export async function planSchema(
  ctx: ProvisionContext,
): Promise<RunnableStep[]> {
  const { spec, owned } = ctx;
  const steps: RunnableStep[] = [];
  if (!ctx.schemaExists) {
    steps.push({
      id: 'schema',
      description: `Create schema ${spec.schema} owned by ${spec.role}`,
      statements: schemaStatements(spec.schema, spec.role),
      record: owned
        ? undefined
        : () =>
            ctx.meta.insertProduct({
              product: spec.name,
              schema_name: spec.schema,
              role_name: spec.role,
              description: null,
            }),
    });
  }
  if ((owned?.description ?? null) !== (spec.description ?? null)) {
    steps.push({
      id: 'schema-description',
      description: `Describe schema ${spec.schema}`,
      statements: [
        {
          sql: `COMMENT ON SCHEMA ${escapeIdentifier(
            spec.schema,
          )} IS ${commentLiteral(spec.description)}`,
          role: spec.role,
        },
      ],
      record: () =>
        ctx.meta.updateProductDescription(spec.name, spec.description ?? null),
    });
  }
  return steps;
}
