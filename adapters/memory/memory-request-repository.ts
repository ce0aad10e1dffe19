/**
 * The request repository in memory, for unit tests of use cases: the same write plans as DynamoDB
 * (app/request-writes.ts), the same optimistic lock and append-only trail, the same index orders.
 */

import type {
  Mutation,
  RequestListFilter,
  RequestListPage,
  RequestRecordDraft,
  RequestRepository,
  TrailMac,
} from '../../app/ports';
import { BY_DUE_DATE, cursorAfter, decodeCursor, listIndexFor } from '../../app/request-list';
import {
  mutateWithRetry,
  type PlannedWrite,
  planCreate,
  planSave,
  RequestNotFound,
  StaleRequest,
  signPlan,
} from '../../app/request-writes';
import type { AuditEvent, AuditEventBody } from '../../domain/audit';
import type { ReportRecord } from '../../domain/reports/report';
import type { RequestRecord } from '../../domain/request-record';
import { MemoryTrailMac } from './memory-trail-mac';

const byDueSortKey = (a: RequestRecord, b: RequestRecord) =>
  a.dueSortKey < b.dueSortKey ? -1 : a.dueSortKey > b.dueSortKey ? 1 : 0;

/** What DynamoDB's key condition selects: the index partition, and the due-date bounds on the sort key. */
function inKeyRange(record: RequestRecord, filter: RequestListFilter): boolean {
  const inPartition =
    listIndexFor(filter) === BY_DUE_DATE ? record.openShard === 'OPEN' : record.status === filter.status;
  const due = record.deadline.dueDate;
  // A clock that has not started (no due date) sorts last: never due before a day, never overdue.
  if (filter.dueBefore !== undefined && !(due !== null && due < filter.dueBefore)) return false;
  if (filter.overdue === true && !(due !== null && due < filter.today)) return false;
  if (filter.overdue === false && !(due === null || due >= filter.today)) return false;
  return inPartition;
}

/** What DynamoDB's filter expression keeps of a page it read. */
function matches(record: RequestRecord, filter: RequestListFilter): boolean {
  return (
    (filter.type === undefined || record.type === filter.type) &&
    (filter.policy === undefined || record.policyId === filter.policy) &&
    (filter.channel === undefined || record.channel === filter.channel) &&
    (filter.needsTriage === undefined || record.needsTriage === filter.needsTriage) &&
    (filter.assignee === undefined || record.assignee === filter.assignee) &&
    (filter.manualTasks === undefined || record.openManualTasks !== undefined) &&
    (filter.overdue !== true || record.pausedSince === undefined)
  );
}

export class MemoryRequestRepository implements RequestRepository {
  readonly records = new Map<string, RequestRecord>();
  readonly trails = new Map<string, AuditEvent[]>();

  constructor(readonly mac: TrailMac = new MemoryTrailMac()) {}

  private async write(requestId: string, unsigned: PlannedWrite): Promise<RequestRecord> {
    const plan = await signPlan(unsigned, this.mac);
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
      .sort(byDueSortKey);
    for (let offset = 0; offset < open.length; offset += pageSize) {
      yield structuredClone(open.slice(offset, offset + pageSize));
    }
  }

  async *closedWithClearValues(closedBefore: string, pageSize: number): AsyncIterable<RequestRecord[]> {
    const closed = [...this.records.values()]
      .filter((record) => record.clearShard === 'CLEAR' && (record.closedAt ?? '') <= closedBefore)
      .sort((a, b) => ((a.closedAt ?? '') < (b.closedAt ?? '') ? -1 : 1));
    for (let offset = 0; offset < closed.length; offset += pageSize) {
      yield structuredClone(closed.slice(offset, offset + pageSize));
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

  async *listRequests(
    filter: RequestListFilter,
    options: { readonly pageSize: number; readonly from?: string },
  ): AsyncIterable<RequestListPage> {
    const after =
      options.from === undefined ? undefined : decodeCursor(options.from, listIndexFor(filter)).dueSortKey;
    const range = [...this.records.values()]
      .filter((record) => inKeyRange(record, filter) && (after === undefined || record.dueSortKey > after))
      .sort(byDueSortKey);
    for (let offset = 0; offset < range.length; offset += options.pageSize) {
      const read = range.slice(offset, offset + options.pageSize);
      const last = read.at(-1);
      yield {
        records: structuredClone(read.filter((record) => matches(record, filter))),
        cursor:
          last !== undefined && offset + options.pageSize < range.length
            ? cursorAfter(filter, last)
            : undefined,
      };
    }
  }

  async reportRecords(): Promise<ReportRecord[]> {
    // Projected as DynamoDB projects them: absent attributes stay absent.
    return [...this.records.values()].map((record) => {
      const { policyId, channel, status, receivedAt, closedAt, pausedSince, breach, deadline } = record;
      return structuredClone({
        policyId,
        channel,
        status,
        receivedAt,
        ...(closedAt === undefined ? {} : { closedAt }),
        ...(pausedSince === undefined ? {} : { pausedSince }),
        ...(breach === undefined ? {} : { breach }),
        deadline: { dueDate: deadline.dueDate },
      });
    });
  }
}
