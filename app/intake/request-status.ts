/**
 * GET /v1/requests/{id}?token=… (or `Authorization: Bearer …`) — what the
 * requester may see of their request: status, due date, days left and a
 * timeline of what happened. Nothing the requester did not give us; a wrong
 * token and an unknown id are the same `not-found`, so neither can be probed.
 */

import type { AuditEvent } from '../../domain/audit';
import { plainDateInZone } from '../../domain/clock';
import { clockStatus } from '../../domain/deadline';
import { getPolicy } from '../../domain/policy/registry';
import { hashesMatch } from '../../domain/verification';
import type { CalendarSource, Clock, RequestRepository, SecretsReader } from '../ports';
import { RequestNotFound } from '../request-writes';
import { statusTokenHash } from './request-intake';

export interface RequestStatusDeps {
  readonly requests: RequestRepository;
  readonly calendars: CalendarSource;
  readonly secrets: SecretsReader;
  readonly clock: Clock;
}

export type RequestStatusResult =
  | { readonly outcome: 'not-found' }
  | { readonly outcome: 'found'; readonly status: Record<string, unknown> };

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

const NOT_FOUND: RequestStatusResult = { outcome: 'not-found' };

export async function requestStatus(
  deps: RequestStatusDeps,
  requestId: string,
  token: string | undefined,
): Promise<RequestStatusResult> {
  if (!token) return NOT_FOUND;
  const record = await deps.requests.get(requestId).catch((error: unknown) => {
    if (error instanceof RequestNotFound) return undefined;
    throw error;
  });
  if (!record) return NOT_FOUND;
  if (!hashesMatch(record.statusTokenHash, await statusTokenHash(deps.secrets, requestId, token))) {
    return NOT_FOUND;
  }

  const policy = getPolicy(record.policyId);
  const today = plainDateInZone(deps.clock.now(), policy.timeZone);
  const events = await deps.requests.trail(requestId);
  return {
    outcome: 'found',
    status: {
      requestId,
      type: record.type ?? null,
      status: record.status,
      channel: record.channel,
      policy: { id: policy.id, name: policy.name, timeZone: policy.timeZone },
      receivedAt: record.receivedAt,
      // Why work stopped, for the requester: the store that failed (a registry id, never data) and since when.
      ...(record.status === 'needs-attention' && record.attention
        ? {
            attention: {
              since: record.attention.at,
              ...(record.attention.storeId ? { storeId: record.attention.storeId } : {}),
            },
          }
        : {}),
      clock: {
        start: record.deadline.clockStart,
        unit: record.deadline.unit,
        length: record.deadline.length,
        dueDate: record.deadline.dueDate,
        ...(record.deadline.provisional
          ? { provisional: true, provisionalYears: record.deadline.provisionalYears }
          : {}),
        ...(record.deadline.pendingOn ? { pendingOn: record.deadline.pendingOn } : {}),
        ...(record.deadline.dueDate
          ? clockStatus(record.deadline, today, await deps.calendars.calendars())
          : {}),
      },
      timeline: events
        .filter((e) => REQUESTER_VISIBLE.has(e.type))
        .map((e) => ({
          at: e.at,
          event: e.type,
          ...(e.type === 'status-changed' ? { to: e.details?.to ?? undefined } : {}),
        })),
    },
  };
}
