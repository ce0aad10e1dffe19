/**
 * The request repository in memory, for unit tests of use cases: the same write plans as DynamoDB
 * (app/request-writes.ts), the same optimistic lock and append-only trail, the same index orders.
 */

import type { Mutation, RequestRecordDraft, RequestRepository } from '../../app/ports';
import {
  mutateWithRetry,
  type PlannedWrite,
  planCreate,
  planSave,
  RequestNotFound,
  StaleRequest,
} from '../../app/request-writes';
import type { AuditEvent, AuditEventBody } from '../../domain/audit';
import type { RequestRecord } from '../../domain/request-record';

export class MemoryRequestRepository implements RequestRepository {
  readonly records = new Map<string, RequestRecord>();
  readonly trails = new Map<string, AuditEvent[]>();

  private write(requestId: string, plan: PlannedWrite): RequestRecord {
    const existing = this.records.get(requestId);
    const fresh =
      plan.expectedVersion === undefined
        ? existing === undefined
        : existing?.version === plan.expectedVersion;
    const trail = this.trails.get(requestId) ?? [];
    const forks = plan.events.some((event) => trail.some((stored) => stored.seq === event.seq));
    if (!fresh || forks) throw new StaleRequest(requestId);
    // Stored as copies: a caller changing its object must not change what is "in the table".
    this.records.set(requestId, structuredClone(plan.stored));
    this.trails.set(requestId, [...trail, ...structuredClone(plan.events)]);
    return structuredClone(plan.stored);
  }

  async create(record: RequestRecordDraft, events: readonly AuditEventBody[]): Promise<RequestRecord> {
    return this.write(record.requestId, planCreate(record, events));
  }

  async get(requestId: string): Promise<RequestRecord> {
    const record = this.records.get(requestId);
    if (!record) throw new RequestNotFound();
    return structuredClone(record);
  }

  async save(
    current: RequestRecord,
    next: RequestRecordDraft,
    events: readonly AuditEventBody[],
  ): Promise<RequestRecord> {
    return this.write(current.requestId, planSave(current, next, events));
  }

  mutate(
    requestId: string,
    decide: (current: RequestRecord) => Mutation | undefined,
  ): Promise<RequestRecord> {
    return mutateWithRetry(requestId, decide, this);
  }

  async trail(requestId: string): Promise<AuditEvent[]> {
    return structuredClone(this.trails.get(requestId) ?? []);
  }

  async *openRequests(pageSize: number): AsyncIterable<RequestRecord[]> {
    const open = [...this.records.values()]
      .filter((record) => record.openShard === 'OPEN')
      .sort((a, b) => (a.dueSortKey < b.dueSortKey ? -1 : a.dueSortKey > b.dueSortKey ? 1 : 0));
    for (let offset = 0; offset < open.length; offset += pageSize) {
      yield structuredClone(open.slice(offset, offset + pageSize));
    }
  }

  async subjectRequestIds(subjectKey: string, since: string): Promise<string[]> {
    return [...this.records.values()]
      .filter((record) => record.subjectKey === subjectKey && record.receivedAt >= since)
      .sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : 1))
      .map((record) => record.requestId);
  }

  async getMany(requestIds: readonly string[]): Promise<RequestRecord[]> {
    return requestIds.flatMap((id) => {
      const record = this.records.get(id);
      return record ? [structuredClone(record)] : [];
    });
  }
}
