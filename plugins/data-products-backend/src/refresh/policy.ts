import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { OutputPortRefreshPolicy } from '@dataproducts/plugin-data-products-common';

/** A duration in whole days, hours, minutes and seconds (a Backstage `HumanDuration`). */
export interface PolicyDuration {
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
}

// The ISO 8601 durations the OutputPort schema accepts: days and time parts.
const ISO_DURATION =
  /^P(?!$)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** An ISO 8601 duration (`P1D`, `PT1H30M`) as days, hours, minutes and seconds. */
export function parseIsoDuration(value: string, field: string): PolicyDuration {
  const match = ISO_DURATION.exec(value);
  if (!match) {
    throw new InputError(
      `Invalid ${field} ${JSON.stringify(
        value,
      )}: give an ISO 8601 duration of days, hours, minutes and seconds, such as PT1H or P1DT12H`,
    );
  }
  const [, days, hours, minutes, seconds] = match.map(Number);
  return {
    ...(days ? { days } : {}),
    ...(hours ? { hours } : {}),
    ...(minutes ? { minutes } : {}),
    ...(seconds ? { seconds } : {}),
  };
}

/** An ISO 8601 duration in milliseconds. */
export function isoDurationMs(value: string, field: string): number {
  const {
    days = 0,
    hours = 0,
    minutes = 0,
    seconds = 0,
  } = parseIsoDuration(value, field);
  return (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
}

/**
 * When the scheduler runs a port's refresh: a cron expression as
 * `{ cron }`, `{ every: <ISO 8601 duration> }` as a frequency. Undefined
 * when the port has no schedule.
 */
export function scheduleFrequency(
  policy: OutputPortRefreshPolicy | undefined,
): SchedulerServiceTaskScheduleDefinition['frequency'] | undefined {
  const schedule = policy?.schedule;
  if (schedule === undefined) {
    return undefined;
  }
  if (typeof schedule === 'string') {
    return { cron: schedule };
  }
  const frequency = parseIsoDuration(
    schedule.every,
    'spec.refresh.schedule.every',
  );
  if (isoDurationMs(schedule.every, 'spec.refresh.schedule.every') === 0) {
    throw new InputError(
      `Invalid spec.refresh.schedule.every ${JSON.stringify(
        schedule.every,
      )}: a refresh cannot run every 0 seconds; give a duration such as PT1H`,
    );
  }
  return frequency;
}

/** A port's schedule in words: `every PT1H` or `cron 0 * * * *`. */
export function describeSchedule(
  policy: OutputPortRefreshPolicy | undefined,
): string | undefined {
  const schedule = policy?.schedule;
  if (schedule === undefined) {
    return undefined;
  }
  return typeof schedule === 'string'
    ? `cron ${schedule}`
    : `every ${schedule.every}`;
}
