import { RunnableStep } from '../runner';
import { escapeIdentifier } from '../sql';
import { ProvisionContext } from './context';

/**
 * The product's role holds the reader role of each declared input; inputs no
 * longer declared are revoked.
 */
export async function planInputGrants(
  ctx: ProvisionContext,
): Promise<RunnableStep[]> {
  const { spec, meta } = ctx;
  const role = escapeIdentifier(spec.role);
  const held = ctx.owned ? await meta.grantsHeldBy(spec.name) : [];
  const steps: RunnableStep[] = [];
  for (const input of ctx.inputs) {
    if (held.some(g => g.product === input.product && g.port === input.port)) {
      continue;
    }
    steps.push({
      id: `input-grant:${input.product}/${input.port}`,
      description: `Grant ${spec.name} read access to its input ${input.schema}.${input.port}`,
      statements: [
        { sql: `GRANT ${escapeIdentifier(input.readerRole)} TO ${role}` },
      ],
      record: () => meta.insertGrant(input.product, input.port, spec.name),
    });
  }
  for (const grant of held) {
    if (
      ctx.inputs.some(i => i.product === grant.product && i.port === grant.port)
    ) {
      continue;
    }
    const row = await meta.port(grant.product, grant.port);
    if (!row) {
      continue;
    }
    steps.push({
      id: `input-revoke:${grant.product}/${grant.port}`,
      description: `Revoke ${spec.name}'s read access to ${grant.product}/${grant.port}, no longer a declared input`,
      statements: [
        { sql: `REVOKE ${escapeIdentifier(row.reader_role)} FROM ${role}` },
      ],
      record: () => meta.deleteGrant(grant.product, grant.port, spec.name),
    });
  }
  return steps;
}
