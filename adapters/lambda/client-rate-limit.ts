/**
 * The public routes' per-client rate limit as a route guard (adapters/lambda/http-api.ts): runs before
 * the body is read, answers 429 with `Retry-After` past the limit (app/intake/client-rate.ts). The limit
 * per route and minute is `PUBLIC_RATE_LIMIT_PER_MINUTE` (default 30; local mode sets its own).
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { admitClient } from '../../app/intake/client-rate';
import { systemClock } from '../../app/ports';
import { abuseCounters } from '../aws/abuse-counters';
import { secretsReader } from '../aws/secrets';
import { HttpProblem } from './http-problem';

export const DEFAULT_PUBLIC_RATE_LIMIT_PER_MINUTE = 30;

function limitPerMinute(): number {
  const configured = Number(process.env.PUBLIC_RATE_LIMIT_PER_MINUTE);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_PUBLIC_RATE_LIMIT_PER_MINUTE;
}

export function clientRateLimit(route: string): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: async ({ event }) => {
      const decision = await admitClient(
        { counters: abuseCounters, secrets: secretsReader, clock: systemClock },
        { route, clientAddress: event.requestContext.http.sourceIp, limitPerMinute: limitPerMinute() },
      );
      if (!decision.allowed) {
        throw new HttpProblem(
          429,
          'too-many-requests',
          `Too many requests from this address; try again in ${decision.retryAfterSeconds} s`,
          undefined,
          undefined,
          { 'retry-after': String(decision.retryAfterSeconds) },
        );
      }
    },
  };
}
