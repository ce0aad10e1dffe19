/** EmailIntake: mail received by SES becomes a request; attachments become evidence (app/intake/email-intake.ts). */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SESEvent } from 'aws-lambda';
import {
  evidenceStore,
  inboundMailStore,
  inboundMailTelemetry,
  receivedMailOf,
} from '../adapters/aws/inbound-mail';
import { intakePorts } from '../adapters/aws/intake-ports';
import { logger, metrics, requiredEnv } from '../adapters/aws/runtime';
import { type EmailOutcome, takeInEmail } from '../app/intake/email-intake';

const deps = {
  ...intakePorts,
  inbound: inboundMailStore,
  evidence: evidenceStore,
  telemetry: inboundMailTelemetry,
};

async function lambdaHandler(event: SESEvent) {
  const outcomes: EmailOutcome[] = [];
  for (const record of event.Records) {
    outcomes.push(await takeInEmail(deps, receivedMailOf(record), requiredEnv('DEFAULT_POLICY_ID')));
  }
  return { outcomes };
}

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics));
