/**
 * What every request repository writes, decided once for all of them: the audit events chained after
 * the record's head, and the fields derived from the record (version, chain head, index keys, close
 * instant), so no caller can forget them and the DynamoDB and in-memory adapters cannot drift apart.
 */
import { type AuditEvent, type AuditEventBody, chainEvent, GENESIS_HASH } from '../domain/audit';
import { Contention, NotFound } from '../domain/errors';
import { openManualTasks } from '../domain/fulfilment';
import { isOpen } from '../domain/lifecycle';
import { closedAtAfter, dueSortKey, type RequestRecord } from '../domain/request-record';
import type { RequestRecordDraft, TrailMac } from './ports';

export class RequestNotFound extends NotFound {
  override readonly name = 'RequestNotFound' as const;
  readonly code = 'not-found';
  constructor() {
    super('No such request');
  }
}

/** Another writer changed the request first: reload and retry (Contention: retried by the ASL, 409 over HTTP). */
export class StaleRequest extends Contention {
  override readonly name = 'StaleRequest' as const;
  readonly code = 'conflict';
  constructor(readonly requestId: string) {
    super(`Request ${requestId} was changed by another writer`);
  }
}

/** Chains `bodies` after the record's last event and returns the record's new chain head. */
function chainAfter(
  record: Pick<RequestRecord, 'requestId' | 'lastSeq' | 'lastHash'>,
  bodies: readonly AuditEventBody[],
) {
  const events: AuditEvent[] = [];
  let previous = record.lastSeq === 0 ? undefined : { seq: record.lastSeq, hash: record.lastHash };
  for (const body of bodies) {
    const event = chainEvent(record.requestId, previous, body);
    events.push(event);
    previous = event;
  }
  return { events, lastSeq: previous?.seq ?? 0, lastHash: previous?.hash ?? GENESIS_HASH };
}

/**
 * Index attributes and the close instant are derived from the record on every write: open requests
 * carry `openShard` (the sparse byDueDate index), closed ones not yet minimised `clearShard` (byClosedAt), `dueSortKey` follows the current due date,
 * `openManualTasks` counts the manual stores waiting for an agent (absent when none), and `closedAt`
 * comes from the status change that closed the request (closedAtAfter), for the console reports.
 */
function withDerivedFields(
  record: RequestRecordDraft,
  previous: Pick<RequestRecord, 'status' | 'closedAt'> | undefined,
  events: readonly AuditEventBody[],
) {
  const {
    openShard: _previous,
    clearShard: _previousClear,
    openManualTasks: _previousTasks,
    closedAt: _closedAt,
    ...rest
  } = record as RequestRecordDraft &
    Pick<RequestRecord, 'openShard' | 'clearShard' | 'openManualTasks' | 'closedAt'>;
  const closedAt = closedAtAfter(previous, record.status, events);
  const manualTasks = openManualTasks(record.fulfilment?.storeResults ?? {}).length;
  return {
    ...rest,
    ...(isOpen(record.status) ? { openShard: 'OPEN' as const } : {}),
    ...(!isOpen(record.status) && closedAt !== undefined && record.minimisedAt === undefined
      ? { clearShard: 'CLEAR' as const }
      : {}),
    ...(manualTasks > 0 ? { openManualTasks: manualTasks } : {}),
    ...(closedAt === undefined ? {} : { closedAt }),
    dueSortKey: dueSortKey(record.requestId, record.deadline.dueDate),
  };
}

/** A write to make: the record to store, the version it replaces (none for a new one) and the events. */
export interface PlannedWrite {
  readonly stored: RequestRecord;
  readonly expectedVersion: number | undefined;
  readonly events: readonly AuditEvent[];
}

export function planCreate(record: RequestRecordDraft, events: readonly AuditEventBody[]): PlannedWrite {
  const chain = chainAfter({ requestId: record.requestId, lastSeq: 0, lastHash: GENESIS_HASH }, events);
  return {
    stored: {
      ...withDerivedFields(record, undefined, events),
      lastSeq: chain.lastSeq,
      lastHash: chain.lastHash,
      version: 1,
    },
    expectedVersion: undefined,
    events: chain.events,
  };
}

export function planSave(
  current: RequestRecord,
  next: RequestRecordDraft,
  events: readonly AuditEventBody[],
): PlannedWrite {
  const chain = chainAfter(current, events);
  return {
    stored: {
      ...withDerivedFields(next, current, events),
      requestId: current.requestId,
      lastSeq: chain.lastSeq,
      lastHash: chain.lastHash,
      version: current.version + 1,
    },
    expectedVersion: current.version,
    events: chain.events,
  };
}

/**
 * The events with their keyed MACs (one MAC call per event, in parallel: a write carries a few events).
 * Every trail writer (the request repositories, the calendar store) signs through here before it writes.
 */
export function signEvents(events: readonly AuditEvent[], mac: TrailMac): Promise<AuditEvent[]> {
  return Promise.all(events.map((event) => signEvent(event, mac)));
}

export async function signEvent(event: AuditEvent, mac: TrailMac): Promise<AuditEvent> {
  return { ...event, mac: await mac.sign(event.hash) };
}

/** A planned write whose events carry their MACs. */
export async function signPlan(plan: PlannedWrite, mac: TrailMac): Promise<PlannedWrite> {
  return { ...plan, events: await signEvents(plan.events, mac) };
}

const MAX_MUTATION_ATTEMPTS = 6;

/** The read-decide-write loop of RequestRepository.mutate, over any get and save. */
export async function mutateWithRetry(
  requestId: string,
  decide: (
    current: RequestRecord,
  ) => { next: RequestRecordDraft; events: readonly AuditEventBody[] } | undefined,
  io: {
    get(requestId: string): Promise<RequestRecord>;
    save(
      current: RequestRecord,
      next: RequestRecordDraft,
      events: readonly AuditEventBody[],
    ): Promise<RequestRecord>;
  },
): Promise<RequestRecord> {
  for (let attempt = 1; ; attempt++) {
    const current = await io.get(requestId);
    const mutation = decide(current);
    if (!mutation) return current;
    try {
      return await io.save(current, mutation.next, mutation.events);
    } catch (error) {
      if (!(error instanceof StaleRequest) || attempt >= MAX_MUTATION_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** attempt));
    }
  }
}
