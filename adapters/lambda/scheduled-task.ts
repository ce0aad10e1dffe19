/**
 * Shared shape of the scheduled functions (the timer sweep): invoked by a schedule, or by hand with an
 * event of its own, with the same logging and metrics as every other handler.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics } from '../aws/runtime';

export function scheduledTask<TOutput>(task: (event: unknown, context: Context) => Promise<TOutput>) {
  return middy(task).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
