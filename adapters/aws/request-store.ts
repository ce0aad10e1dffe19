/**
 * The production request repository (adapters/aws/dynamodb-request-repository.ts) with the tables
 * this function was given, and the module functions the handlers not yet moved to use cases call.
 * Every change to a request is written in one DynamoDB transaction with the audit events that describe
 * it, and optimistic locking on `version` makes concurrent writers fail loudly (StaleRequest).
 */

import type { Mutation, RequestRecordDraft, RequestRepository } from '../../app/ports';
import type { AuditEvent, AuditEventBody } from '../../domain/audit';
import type { RequestRecord } from '../../domain/request-record';
import { documentClient } from './clients/dynamodb';
import { DynamoDbRequestRepository } from './dynamodb-request-repository';
import { trailMac } from './kms-trail-mac';
import { requiredEnv } from './runtime';

export type { Mutation } from '../../app/ports';
export { RequestNotFound, StaleRequest } from '../../app/request-writes';

export const requestRepository: RequestRepository = new DynamoDbRequestRepository(
  documentClient,
  {
    requests: () => requiredEnv('REQUESTS_TABLE'),
    audit: () => requiredEnv('AUDIT_TABLE'),
  },
  trailMac,
);

/** Stores a new request with its first audit events. Fails with StaleRequest if the id exists. */
export function createRequest(
  record: RequestRecordDraft,
  events: readonly AuditEventBody[],
): Promise<RequestRecord> {
  return requestRepository.create(record, events);
}

export function getRequest(requestId: string): Promise<RequestRecord> {
  return requestRepository.get(requestId);
}

/** Replaces `current` with `next` if nobody else has changed it, appending `events` in the same transaction. */
export function saveRequest(
  current: RequestRecord,
  next: RequestRecordDraft,
  events: readonly AuditEventBody[],
): Promise<RequestRecord> {
  return requestRepository.save(current, next, events);
}

/** The whole trail of a request, in order. */
export function listAuditEvents(requestId: string): Promise<AuditEvent[]> {
  return requestRepository.trail(requestId);
}

/** Reads, decides from what is stored now, writes; on a concurrent write, reads and decides again. */
export function mutateRequest(
  requestId: string,
  mutate: (current: RequestRecord) => Mutation | undefined,
): Promise<RequestRecord> {
  return requestRepository.mutate(requestId, mutate);
}
