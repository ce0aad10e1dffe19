/**
 * The production ports of intake (app/intake/request-intake.ts IntakeDeps), shared by every channel's
 * entry file and the console's intake: the request repository, the imported calendars, the HMAC key,
 * fresh codes and tokens, outbound mail (SES or the SMTP relay), SMS (SNS or an HTTP gateway), the system clock and Powertools
 * metrics and logs.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { IntakeTelemetry } from '../../app/intake/ports';
import type { IntakeDeps } from '../../app/intake/request-intake';
import { type Mailer, systemClock } from '../../app/ports';
import { organisationSettings } from '../config/organisation';
import { abuseCounters } from './abuse-counters';
import { calendarSource } from './calendar-notices';
import { sendMail } from './mailer';
import { requestRepository } from './request-store';
import { logger, metrics } from './runtime';
import { oneTimeSecrets, secretsReader } from './secrets';
import { smsSender } from './sms';

/** sendMail as the Mailer port (looked up per call: a test may replace the mailer module). */
export const mailer: Mailer = {
  async send(mail) {
    await sendMail(mail);
  },
};

export const telemetry: IntakeTelemetry = {
  count: (metric) => metrics.addMetric(metric, MetricUnit.Count, 1),
  error: (message, fields) => logger.error(message, fields),
};

export const intakePorts: IntakeDeps = {
  requests: requestRepository,
  calendars: calendarSource,
  secrets: secretsReader,
  oneTimeSecrets,
  mailer,
  sms: smsSender,
  clock: systemClock,
  telemetry,
  counters: abuseCounters,
  get organisation() {
    return organisationSettings();
  },
};
