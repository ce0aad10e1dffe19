/**
 * Cross-cutting runtime pieces every handler shares: configuration from the
 * environment, the Powertools logger and metrics. Created once per module
 * load (Lambda init), reused across invocations.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { PermanentError } from '../../domain/errors';

export class MissingConfiguration extends PermanentError {
  override readonly name = 'MissingConfiguration' as const;
  readonly code = 'missing-configuration';
  constructor(readonly variable: string) {
    super(`Environment variable ${variable} is not set`);
  }
}

/** Reads a required environment variable at call time, so tests and local mode can set it after import. */
export function requiredEnv(variable: string): string {
  const value = process.env[variable];
  if (value === undefined || value === '') throw new MissingConfiguration(variable);
  return value;
}

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'dsar-pipeline' });

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'DsarPipeline',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'dsar-pipeline',
});
