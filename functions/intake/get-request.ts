/**
 * GET /v1/requests/{id}?token=… (or `Authorization: Bearer …`) — what the
 * requester may see of their request: status, due date, days left and a
 * timeline of what happened. Nothing the requester did not give us; a wrong
 * token and an unknown id get the same 404, so neither can be probed.
 */

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadCalendars } from '../../adapters/aws/calendar-notices';
import { getRequest, listAuditEvents, RequestNotFound } from '../../adapters/aws/request-store';
import { httpApi, jsonResponse } from '../../adapters/lambda/http-api';
import { HttpProblem } from '../../adapters/lambda/http-problem';
import type { AuditEvent } from '../../domain/audit';
import { plainDateInZone } from '../../domain/clock';
import { clockStatus } from '../../domain/deadline';
import { getPolicy } from '../../domain/policy/registry';
import { RequestPathSchema, StatusQuerySchema } from '../../domain/submission';
import { hashesMatch } from '../../domain/verification';
import { statusTokenHash } from './request-intake';

/** Timeline entries the requester sees; internal events (e.g. store retries) stay in the console. */
const REQUESTER_VISIBLE = new Set<AuditEvent['type']>([
  'request-received',
  'status-changed',
  'verification-code-sent',
  'identity-verified',
  'clock-paused',
  'clock-resumed',
  'deadline-extended',
  'deadline-recomputed',
  'package-created',
  'download-link-issued',
  'package-transferred',
  'transfer-failed',
  'notification-sent',
]);

function bearerToken(event: APIGatewayProxyEventV2): string | undefined {
  const header = event.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return event.queryStringParameters?.token;
}

async function lambdaHandler(event: APIGatewayProxyEventV2) {
  const requestId = event.pathParameters?.id ?? '';
  const token = bearerToken(event);
  const notFound = new HttpProblem(404, 'not-found', 'No such request, or the token does not match');
  if (!token) throw notFound;
  const record = await getRequest(requestId).catch((error: unknown) => {
    throw error instanceof RequestNotFound ? notFound : error;
  });
  if (!hashesMatch(record.statusTokenHash, await statusTokenHash(requestId, token))) throw notFound;

  const policy = getPolicy(record.policyId);
  const today = plainDateInZone(new Date(), policy.timeZone);
  const events = await listAuditEvents(requestId);
  return jsonResponse(200, {
    requestId,
    type: record.type ?? null,
    status: record.status,
    channel: record.channel,
    policy: { id: policy.id, name: policy.name, timeZone: policy.timeZone },
    receivedAt: record.receivedAt,
    clock: {
      start: record.deadline.clockStart,
      unit: record.deadline.unit,
      length: record.deadline.length,
      dueDate: record.deadline.dueDate,
      ...(record.deadline.provisional
        ? { provisional: true, provisionalYears: record.deadline.provisionalYears }
        : {}),
      ...(record.deadline.pendingOn ? { pendingOn: record.deadline.pendingOn } : {}),
      ...(record.deadline.dueDate ? clockStatus(record.deadline, today, await loadCalendars()) : {}),
    },
    timeline: events
      .filter((e) => REQUESTER_VISIBLE.has(e.type))
      .map((e) => ({
        at: e.at,
        event: e.type,
        ...(e.type === 'status-changed' ? { to: e.details?.to ?? undefined } : {}),
      })),
  });
}

export const handler = httpApi(lambdaHandler, { path: RequestPathSchema, query: StatusQuerySchema });
