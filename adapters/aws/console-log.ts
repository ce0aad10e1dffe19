/** The console's ConsoleLog port on Powertools: errors and warnings to the structured log, counts to CloudWatch metrics. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ConsoleLog } from '../../app/console/ports';
import { logger, metrics } from './runtime';

export const consoleLog: ConsoleLog = {
  error: (message, attributes) => logger.error(message, { ...attributes }),
  warn: (message, attributes) => logger.warn(message, { ...attributes }),
  count: (metric) => metrics.addMetric(metric, MetricUnit.Count, 1),
};
