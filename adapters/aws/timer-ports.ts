/**
 * The production ports of the timer sweep (app/timers/sweep.ts SweepDeps): the request repository, the
 * imported calendars, outbound mail (SES or the SMTP relay), the staff addresses from the environment,
 * the export buckets, the system clock and Powertools metrics and logs.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { systemClock } from '../../app/ports';
import type { StaffDirectory, SweepTelemetry } from '../../app/timers/ports';
import type { SweepDeps } from '../../app/timers/sweep';
import { calendarSource } from './calendar-notices';
import { s3ExportObjects } from './export-objects';
import { mailer } from './mailer';
import { requestRepository } from './request-store';
import { logger, metrics, requiredEnv } from './runtime';

export const sweepTelemetry: SweepTelemetry = {
  count: (metric, value = 1) => metrics.addMetric(metric, MetricUnit.Count, value),
  debug: (message, fields) => logger.debug(message, { ...fields }),
  info: (message, fields) => logger.info(message, { ...fields }),
  warn: (message, fields) => logger.warn(message, { ...fields }),
  error: (message, fields) => logger.error(message, { ...fields }),
};

/** CONSOLE_TEAM_ADDRESS and CONSOLE_SUPERVISORS_ADDRESS, read when asked (MissingConfiguration if unset). */
export const staffDirectory: StaffDirectory = {
  addresses: () => ({
    team: requiredEnv('CONSOLE_TEAM_ADDRESS'),
    supervisors: requiredEnv('CONSOLE_SUPERVISORS_ADDRESS'),
  }),
};

/** SWEEP_PAGE_SIZE, else 100: small values only make sense in tests of the paging. */
function pageSize(): number {
  const configured = Number(process.env.SWEEP_PAGE_SIZE ?? 100);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : 100;
}

export const sweepPorts: SweepDeps = {
  requests: requestRepository,
  calendars: calendarSource,
  mailer,
  staff: staffDirectory,
  objects: s3ExportObjects,
  telemetry: sweepTelemetry,
  clock: systemClock,
  settings: {
    get pageSize() {
      return pageSize();
    },
  },
};
