import type { PortBuild } from '@dataproducts/plugin-data-products-node';
import {
  buildKey,
  computeFreshness,
  type FreshnessInputs,
} from './computeFreshness';
import { scheduleFrequency } from './policy';
import type { RefreshTarget } from './RefreshCatalog';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString();

function table(name: string, maxAge?: string): RefreshTarget {
  return {
    port: `outputport:default/${name}`,
    product: `dataproduct:default/${name}`,
    productName: name,
    portName: 'rows',
    type: 'postgres-table',
    ...(maxAge ? { policy: { freshness: { maxAge } } } : {}),
    inputs: [],
  };
}

function view(name: string, inputs: string[]): RefreshTarget {
  return {
    port: `outputport:default/${name}`,
    product: `dataproduct:default/${name}`,
    productName: name,
    portName: 'rows',
    type: 'postgres-view',
    inputs: inputs.map(i => `outputport:default/${i}`),
  };
}

function inputsOf(
  targets: RefreshTarget[],
  built: Record<string, number>,
  failures: Record<string, number> = {},
): FreshnessInputs {
  const builds = new Map<string, PortBuild>();
  for (const [name, hours] of Object.entries(built)) {
    builds.set(buildKey(name, 'rows'), {
      product: name,
      port: 'rows',
      type: 'postgres-table',
      lastBuiltAt: hoursAgo(hours),
    });
  }
  return {
    targets: new Map(targets.map(t => [t.port, t])),
    builds,
    failures: new Map(
      Object.entries(failures).map(([n, f]) => [`outputport:default/${n}`, f]),
    ),
    now: NOW,
  };
}

describe('computeFreshness', () => {
  const fresh = table('fresh', 'PT24H');
  const stale = table('stale', 'PT1H');
  const never = table('never', 'PT1H');
  const nopolicy = table('nopolicy');
  const failing = table('failing', 'PT24H');
  const all = [fresh, stale, never, nopolicy, failing];
  const inputs = inputsOf(
    all,
    { fresh: 1, stale: 2, nopolicy: 1, failing: 1 },
    { failing: 2 },
  );

  it('tells fresh, stale, never built, no policy and failing table ports apart, with the reason', () => {
    expect(computeFreshness(fresh, inputs)).toMatchObject({
      state: 'fresh',
      reason: 'Last built 60 min ago; fresh for PT24H',
      lastSuccessAt: hoursAgo(1),
    });
    expect(computeFreshness(stale, inputs)).toMatchObject({
      state: 'stale',
      reason: 'Last built 2 h ago; older than its maxAge PT1H',
    });
    expect(computeFreshness(never, inputs)).toMatchObject({
      state: 'stale',
      reason: 'Never built',
    });
    expect(computeFreshness(nopolicy, inputs)).toMatchObject({
      state: 'unknown',
      reason:
        'No freshness policy (spec.refresh.freshness.maxAge); last built 60 min ago',
    });
    expect(computeFreshness(failing, inputs)).toMatchObject({
      state: 'failing',
      consecutiveFailures: 2,
      reason: 'The last 2 refreshes failed; last built 60 min ago',
    });
  });

  it('gives a view the worst state of its inputs; live over operational tables is fresh', () => {
    const targets = [
      ...all,
      view('v-fresh', ['fresh', 'nopolicy']),
      view('v-stale', ['fresh', 'stale']),
      view('v-failing', ['stale', 'failing']),
      view('v-unknown', ['nopolicy', 'missing']),
      view('v-live', []),
      view('v-of-view', ['v-stale']),
    ];
    const withViews = inputsOf(
      targets,
      { fresh: 1, stale: 2, nopolicy: 1, failing: 1 },
      { failing: 2 },
    );
    const state = (name: string) =>
      computeFreshness(
        withViews.targets.get(`outputport:default/${name}`)!,
        withViews,
      );
    expect(state('v-fresh').state).toBe('fresh');
    expect(state('v-stale')).toMatchObject({
      state: 'stale',
      reason: 'A live view; its inputs are stale (outputport:default/stale)',
    });
    expect(state('v-failing').state).toBe('failing');
    expect(state('v-unknown').state).toBe('unknown');
    expect(state('v-live')).toMatchObject({
      state: 'fresh',
      reason: 'A live view of operational tables',
    });
    expect(state('v-of-view').state).toBe('stale');
  });

  it('survives a cycle of views', () => {
    const a = view('a', ['b']);
    const b = view('b', ['a']);
    expect(computeFreshness(a, inputsOf([a, b], {})).state).toBe('unknown');
  });
});

describe('scheduleFrequency', () => {
  it('reads a cron expression and an ISO 8601 duration, and refuses a zero one naming it', () => {
    expect(scheduleFrequency({ schedule: '*/5 * * * *' })).toEqual({
      cron: '*/5 * * * *',
    });
    expect(scheduleFrequency({ schedule: { every: 'P1DT2H30M' } })).toEqual({
      days: 1,
      hours: 2,
      minutes: 30,
    });
    expect(
      scheduleFrequency({ freshness: { maxAge: 'PT1H' } }),
    ).toBeUndefined();
    expect(() => scheduleFrequency({ schedule: { every: 'PT0S' } })).toThrow(
      'Invalid spec.refresh.schedule.every "PT0S": a refresh cannot run every 0 seconds; give a duration such as PT1H',
    );
    expect(() => scheduleFrequency({ schedule: { every: '1h' } })).toThrow(
      'Invalid spec.refresh.schedule.every "1h": give an ISO 8601 duration of days, hours, minutes and seconds, such as PT1H or P1DT12H',
    );
  });
});
