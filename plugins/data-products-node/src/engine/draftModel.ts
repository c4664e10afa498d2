import { randomBytes } from 'node:crypto';
import { Knex } from 'knex';
import { CheckedModel } from '../model';
import { readColumns } from './catalog';
import { compileModel, ProvisionedInput } from './compileModel';
import { modelError } from './errors';
import { Metadata } from './metadata';
import { provisionedInputs } from './planners/context';
import { schemaStatements } from './planners/schema';
import { RunControl } from './control';
import { RunnableStep, runSteps } from './runner';
import { BUILD_FUNCTION, checkEntityName, RoleNames } from './spec';
import {
  checkIdentifier,
  checkSchemaName,
  escapeIdentifier,
  escapeLiteral,
  qualifiedName,
} from './sql';
import { ResolvedInput } from './types';

/** Model SQL being written for a port of a product that may not exist yet. */
export interface DraftModelRequest {
  /** The draft product's entity name. */
  product: string;
  /** The draft product's schema, validated as `apply` would. */
  schema: string;
  /** The output port the model is for, named in messages. */
  port: string;
  /** The model SQL as written, with `{{ source('<product>', '<port>') }}` references. */
  model: string;
  /** The draft's declared inputs: ports of provisioned products. */
  inputs: ResolvedInput[];
}

/** What PostgreSQL makes of a draft model. */
export interface DraftModelCheck {
  /**
   * The columns the model produces, in order, with their types as
   * PostgreSQL's `format_type()` spells them: the spelling a port's
   * declared columns are compared in.
   */
  columns: Array<{ name: string; type: string }>;
  /** The SQL that would run: the checked tree deparsed, inputs resolved. */
  sql: string;
}

/** Validates a draft model request before any SQL runs, naming the bad value. */
export function checkDraftModelRequest(
  request: DraftModelRequest,
): DraftModelRequest {
  const product = checkEntityName(request?.product, 'data product name');
  return {
    product,
    schema: checkSchemaName(
      request.schema,
      `schema of data product '${product}'`,
    ),
    port: checkIdentifier(
      request.port,
      `output port name of data product '${product}'`,
    ),
    model: String(request.model ?? ''),
    inputs: (request.inputs ?? []).map(input => ({
      ref: String(input.ref),
      product: checkEntityName(input.product, `input product of '${product}'`),
      port: checkIdentifier(input.port, `input port of '${product}'`),
    })),
  };
}

/** The steps of one draft model check and where its result can be read. */
interface DraftModelPlan {
  model: CheckedModel<ProvisionedInput>;
  steps: RunnableStep[];
  /** The empty table the model's `LIMIT 0` run creates. */
  result: { schema: string; name: string };
}

/**
 * Plans the check of a draft model, to run in a transaction that is rolled
 * back: a NOLOGIN role that holds exactly the reader roles of the declared
 * inputs, a scratch schema it owns with the build function, and the model
 * run through that function with `LIMIT 0` into a table whose columns are
 * then read. The model is checked by the parser first; what runs is the
 * deparsed tree.
 */
async function planDraftModelCheck(
  trx: Knex.Transaction,
  request: DraftModelRequest,
  roles: RoleNames,
): Promise<DraftModelPlan> {
  const inputs = await provisionedInputs(
    new Metadata(trx),
    request.product,
    request.inputs,
  );
  const model = compileModel(request.port, request.model, inputs);
  const id = randomBytes(6).toString('hex');
  const role = roles.check(id);
  const schema = `_dp_check_${id}`;
  const result = { schema, name: request.port };
  const before = `CREATE TABLE ${qualifiedName(
    schema,
    result.name,
  )} AS SELECT * FROM (\n`;
  const run = {
    sql: `SELECT ${qualifiedName(schema, BUILD_FUNCTION)}(${escapeLiteral(
      `${before}${model.sql}\n) AS model LIMIT 0`,
    )}) AS n`,
    role,
  };
  const subject = {
    product: request.product,
    port: request.port,
    select: model.sql,
    model,
  };
  const steps: RunnableStep[] = [
    {
      id: 'check-role',
      description: `Create role ${role} holding the reader roles of the declared inputs`,
      statements: [
        { sql: `CREATE ROLE ${escapeIdentifier(role)} NOLOGIN` },
        {
          sql: `GRANT ${escapeIdentifier(role)} TO ${escapeIdentifier(
            roles.engine,
          )}`,
        },
        ...inputs.map(input => ({
          sql: `GRANT ${escapeIdentifier(
            input.readerRole,
          )} TO ${escapeIdentifier(role)}`,
        })),
      ],
    },
    {
      id: 'check-schema',
      description: `Create scratch schema ${schema} owned by ${role}`,
      statements: schemaStatements(schema, role),
    },
    {
      id: 'check-model',
      description: `Run the model of ${request.port} as ${role} with LIMIT 0`,
      statements: [run],
      explainFailure: (error, statement) =>
        statement === run
          ? modelError(error, subject, before.length)
          : undefined,
    },
  ];
  return { model, steps, result };
}

/**
 * Checks a draft model inside the caller's build (whose transaction is
 * rolled back): plans the check, runs it and reads the columns the model
 * produced.
 */
export async function checkDraftModel(
  trx: Knex.Transaction,
  control: RunControl,
  request: DraftModelRequest,
  roles: RoleNames,
): Promise<DraftModelCheck> {
  const plan = await planDraftModelCheck(trx, request, roles);
  await runSteps(trx, plan.steps, { control });
  const columns = await readColumns(trx, plan.result.schema, plan.result.name);
  return {
    columns: columns.map(({ name, type }) => ({ name, type })),
    sql: plan.model.sql,
  };
}
