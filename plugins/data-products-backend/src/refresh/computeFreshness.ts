import {
  type FreshnessState,
  type PortFreshness,
  worseFreshness,
} from '@dataproducts/plugin-data-products-common';
import type { PortBuild } from '@dataproducts/plugin-data-products-node';
import { describeSchedule, isoDurationMs } from './policy';
import type { RefreshTarget } from './RefreshCatalog';

/** What freshness is computed from, read once for many ports. */
export interface FreshnessInputs {
  /** Every port in the catalog, by port ref (views' inputs are looked up here). */
  targets: Map<string, RefreshTarget>;
  /** The warehouse's last builds, keyed `<product name>/<port name>`. */
  builds: Map<string, PortBuild>;
  /** Refreshes that failed one after the other, by port ref. */
  failures: Map<string, number>;
  now: number;
}

/** The key of a port's build in {@link FreshnessInputs.builds}. */
export function buildKey(productName: string, portName: string): string {
  return `${productName}/${portName}`;
}

function age(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

function tableFreshness(
  target: RefreshTarget,
  inputs: FreshnessInputs,
): PortFreshness {
  const build = inputs.builds.get(
    buildKey(target.productName, target.portName),
  );
  const failures = inputs.failures.get(target.port) ?? 0;
  const maxAge = target.policy?.freshness?.maxAge;
  const base = {
    port: target.port,
    product: target.product,
    name: target.portName,
    type: target.type,
    consecutiveFailures: failures,
    ...(build?.lastBuiltAt ? { lastSuccessAt: build.lastBuiltAt } : {}),
    ...(maxAge ? { maxAge } : {}),
    ...(target.policy?.schedule
      ? { schedule: describeSchedule(target.policy) }
      : {}),
  };
  const since = build?.lastBuiltAt
    ? `last built ${age(inputs.now - Date.parse(build.lastBuiltAt))} ago`
    : 'never built';
  if (failures > 0) {
    return {
      ...base,
      state: 'failing',
      reason: `The last ${
        failures === 1 ? 'refresh' : `${failures} refreshes`
      } failed; ${since}`,
    };
  }
  if (!maxAge) {
    return {
      ...base,
      state: 'unknown',
      reason: `No freshness policy (spec.refresh.freshness.maxAge); ${since}`,
    };
  }
  if (!build?.lastBuiltAt) {
    return { ...base, state: 'stale', reason: 'Never built' };
  }
  const elapsed = inputs.now - Date.parse(build.lastBuiltAt);
  const fresh =
    elapsed < isoDurationMs(maxAge, 'spec.refresh.freshness.maxAge');
  return {
    ...base,
    state: fresh ? 'fresh' : 'stale',
    reason: `${since[0].toLocaleUpperCase('en-US')}${since.slice(1)}; ${
      fresh ? 'fresh for' : 'older than its maxAge'
    } ${maxAge}`,
  };
}

/**
 * How current a port is (see `FreshnessState`): a table port from its last
 * successful build, its maxAge and its failed refreshes; a view from its
 * product's input ports, the worst of them (a view that reads only
 * operational tables is live, so fresh).
 */
export function computeFreshness(
  target: RefreshTarget,
  inputs: FreshnessInputs,
  visiting: Set<string> = new Set(),
): PortFreshness {
  if (target.type === 'postgres-table') {
    return tableFreshness(target, inputs);
  }
  const base = {
    port: target.port,
    product: target.product,
    name: target.portName,
    type: target.type,
    consecutiveFailures: 0,
    inputs: target.inputs,
  };
  if (target.inputs.length === 0) {
    return {
      ...base,
      state: 'fresh',
      reason: 'A live view of operational tables',
    };
  }
  visiting.add(target.port);
  const states = target.inputs.map(ref => {
    const input = inputs.targets.get(ref);
    // An input missing from the catalog, or a cycle, is not known.
    return input && !visiting.has(ref)
      ? computeFreshness(input, inputs, visiting).state
      : 'unknown';
  });
  const state = states.reduce<FreshnessState>(worseFreshness, 'unknown');
  const worst = target.inputs.filter((_, i) => states[i] === state);
  visiting.delete(target.port);
  return {
    ...base,
    state,
    reason:
      state === 'unknown'
        ? 'A live view; none of its inputs has a freshness policy'
        : `A live view; its inputs are ${state}${
            state === 'fresh' ? '' : ` (${worst.join(', ')})`
          }`,
  };
}
