/**
 * The production ports of the timer sweep (app/timers/sweep.ts SweepDeps): the request repository, the
 * imported calendars, outbound mail (SES or the SMTP relay), the staff addresses from the environment,
 * the export buckets, the trail heads and the anchors bucket, the system clock and Powertools metrics and logs.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { systemClock } from '../../app/ports';
import type { StaffDirectory, SweepTelemetry } from '../../app/timers/ports';
import type { SweepDeps } from '../../app/timers/sweep';
import { SLOWEST_FULFILMENT_STEP_SECONDS } from '../../definitions/functions';
import { DynamoDbTrailStore } from './audit-trails';
import { calendarSource } from './calendar-notices';
import { documentClient } from './clients/dynamodb';
import { s3 } from './clients/s3';
import { s3ExportObjects } from './export-objects';
import { mailer } from './mailer';
import { requestRepository } from './request-store';
import { logger, metrics, requiredEnv } from './runtime';
import { S3AnchorStore } from './s3-anchor-store';
import { workflowMonitor } from './workflow-monitor';
import { workflowStarter } from './workflow-starter';

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

/** A positive whole number from the environment, else `fallback`. */
function positiveSetting(variable: string, fallback: number): number {
  const configured = Number(process.env[variable] ?? fallback);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : fallback;
}

/** SWEEP_PAGE_SIZE, else 100: small values only make sense in tests of the paging. */
function pageSize(): number {
  return positiveSetting('SWEEP_PAGE_SIZE', 100);
}

export const sweepPorts: SweepDeps = {
  requests: requestRepository,
  calendars: calendarSource,
  mailer,
  staff: staffDirectory,
  objects: s3ExportObjects,
  audit: {
    heads: new DynamoDbTrailStore(documentClient, {
      requests: () => requiredEnv('REQUESTS_TABLE'),
      audit: () => requiredEnv('AUDIT_TABLE'),
      calendarNotices: () => process.env.CALENDAR_NOTICES_TABLE || undefined,
    }),
    anchors: new S3AnchorStore(s3, () => requiredEnv('AUDIT_ANCHORS_BUCKET')),
  },
  telemetry: sweepTelemetry,
  clock: systemClock,
  workflows: workflowMonitor,
  fulfilment: workflowStarter,
  reconciler: {
    get everyMinutes() {
      return positiveSetting('RECONCILE_EVERY_MINUTES', 10);
    },
    get stuckAfterSeconds() {
      return positiveSetting('RECONCILE_STUCK_AFTER_SECONDS', SLOWEST_FULFILMENT_STEP_SECONDS);
    },
  },
  settings: {
    get pageSize() {
      return pageSize();
    },
  },
};
