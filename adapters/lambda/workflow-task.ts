/**
 * Shared shape of the fulfilment workflow's task handlers: each is one Lambda
 * invoked by Step Functions with `{ requestId, ... }` — never PII, because the
 * execution history stores every input and output — and each is idempotent:
 * it reads what is already recorded on the request and does only what is not
 * (the use cases in app/fulfilment/).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { TaskInput } from '../../app/fulfilment/workflow';
import { logger, metrics } from '../aws/runtime';

export { type TaskInput, verifiedIdentity, workflowActor } from '../../app/fulfilment/workflow';

/** Wraps a task with the same logging and metrics as every other handler. */
export function workflowTask<TInput extends TaskInput, TOutput>(
  task: (input: TInput, context: Context) => Promise<TOutput>,
) {
  return middy(task)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}
