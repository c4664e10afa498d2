import { BUILD_TIMEOUT_ANNOTATION, formatDuration } from '../limits';
import { RunnableStep } from '../runner';
import { ProvisionContext } from './context';

/**
 * Records the product's own build timeout (its
 * `dataproducts.io/build-timeout` annotation), which its refreshes run
 * with too. A bookkeeping step: it runs no SQL of its own.
 */
export async function planBuildTimeout(
  ctx: ProvisionContext,
): Promise<RunnableStep[]> {
  const { spec, owned } = ctx;
  const recorded =
    owned?.build_timeout_ms === null || owned?.build_timeout_ms === undefined
      ? null
      : Number(owned.build_timeout_ms);
  const wanted = spec.buildTimeoutMs ?? null;
  if (recorded === wanted) {
    return [];
  }
  return [
    {
      id: 'build-timeout',
      description:
        wanted === null
          ? `Build data product ${spec.name} with the default build timeout from now on`
          : `Build data product ${spec.name} with a timeout of ${formatDuration(
              wanted,
            )} (annotation ${BUILD_TIMEOUT_ANNOTATION}) from now on`,
      statements: [],
      record: () => ctx.meta.updateBuildTimeout(spec.name, wanted),
    },
  ];
}
