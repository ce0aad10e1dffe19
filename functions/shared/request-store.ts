/**
 * Persistence of requests and their audit trail. Every change to a request is
 * written in one DynamoDB transaction with the audit events that describe it,
 * so the trail can never miss a state change. Optimistic locking on `version`
 * makes concurrent writers fail loudly (StaleRequest) instead of losing updates.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditEvent, type AuditEventBody, chainEvent, GENESIS_HASH } from '../../domain/audit';
import { openManualTasks } from '../../domain/fulfilment';
import { isOpen } from '../../domain/lifecycle';
import { closedAtAfter, dueSortKey, type RequestRecord } from '../../domain/request-record';
import { documentClient } from './clients/dynamodb';
import { requiredEnv } from './runtime';

export class RequestNotFound extends Error {
  override readonly name = 'RequestNotFound' as const;
  constructor() {
    super('No such request');
  }
}

/** Another writer changed the request first: reload and retry. Transient by name, for ASL Retry. */
export class StaleRequest extends Error {
  override readonly name = 'StaleRequest' as const;
  constructor(readonly requestId: string) {
    super(`Request ${requestId} was changed by another writer`);
  }
}

const requestsTable = () => requiredEnv('REQUESTS_TABLE');
const auditTable = () => requiredEnv('AUDIT_TABLE');

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
/**
 * Index attributes and the close instant are derived from the record on every
 * write, so no caller can forget them: open requests carry `openShard` (the
 * sparse byDueDate index), `dueSortKey` always follows the current due date,
 * `openManualTasks` counts the manual stores waiting for an agent (absent when
 * none), and `closedAt` comes from the status change that closed the request
 * (see closedAtAfter), for the console reports.
 */
function withDerivedFields<T extends Pick<RequestRecord, 'requestId' | 'status' | 'deadline' | 'fulfilment'>>(
  record: T,
  previous: Pick<RequestRecord, 'status' | 'closedAt'> | undefined,
  events: readonly AuditEventBody[],
) {
  const {
    openShard: _previous,
    openManualTasks: _previousTasks,
    closedAt: _closedAt,
    ...rest
  } = record as T & Pick<RequestRecord, 'openShard' | 'openManualTasks' | 'closedAt'>;
  const closedAt = closedAtAfter(previous, record.status, events);
  const manualTasks = openManualTasks(record.fulfilment?.storeResults ?? {}).length;
  return {
    ...rest,
    ...(isOpen(record.status) ? { openShard: 'OPEN' as const } : {}),
    // The console's `manualTasks=open` filter: present only while an agent has work to confirm.
    ...(manualTasks > 0 ? { openManualTasks: manualTasks } : {}),
    ...(closedAt === undefined ? {} : { closedAt }),
    dueSortKey: dueSortKey(record.requestId, record.deadline.dueDate),
  };
}

function auditPuts(events: readonly AuditEvent[]) {
  return events.map((event) => ({
    Put: {
      TableName: auditTable(),
      Item: event,
      // The chain cannot fork: a sequence number is written once.
      ConditionExpression: 'attribute_not_exists(seq)',
    },
  }));
}

async function transact(
  requestId: string,
  items: NonNullable<TransactWriteCommand['input']['TransactItems']>,
) {
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) throw new StaleRequest(requestId);
    throw error;
  }
}

/** Stores a new request with its first audit events. Fails with StaleRequest if the id exists. */
export async function createRequest(
  record: Omit<RequestRecord, 'lastSeq' | 'lastHash' | 'version' | 'openShard' | 'dueSortKey'>,
  events: readonly AuditEventBody[],
): Promise<RequestRecord> {
  const chain = chainAfter({ requestId: record.requestId, lastSeq: 0, lastHash: GENESIS_HASH }, events);
  const stored: RequestRecord = {
    ...withDerivedFields(record, undefined, events),
    lastSeq: chain.lastSeq,
    lastHash: chain.lastHash,
    version: 1,
  };
  await transact(record.requestId, [
    {
      Put: {
        TableName: requestsTable(),
        Item: stored,
        ConditionExpression: 'attribute_not_exists(requestId)',
      },
    },
    ...auditPuts(chain.events),
  ]);
  return stored;
}

export async function getRequest(requestId: string): Promise<RequestRecord> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: requestsTable(), Key: { requestId }, ConsistentRead: true }),
  );
  if (!Item) throw new RequestNotFound();
  return Item as RequestRecord;
}

/**
 * Replaces `current` with `next` if nobody else has changed it, appending
 * `events` to its trail in the same transaction.
 */
export async function saveRequest(
  current: RequestRecord,
  next: Omit<RequestRecord, 'lastSeq' | 'lastHash' | 'version' | 'openShard' | 'dueSortKey'>,
  events: readonly AuditEventBody[],
): Promise<RequestRecord> {
  const chain = chainAfter(current, events);
  const stored: RequestRecord = {
    ...withDerivedFields(next, current, events),
    requestId: current.requestId,
    lastSeq: chain.lastSeq,
    lastHash: chain.lastHash,
    version: current.version + 1,
  };
  await transact(current.requestId, [
    {
      Put: {
        TableName: requestsTable(),
        Item: stored,
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': current.version },
      },
    },
    ...auditPuts(chain.events),
  ]);
  return stored;
}

/** The whole trail of a request, in order. */
export async function listAuditEvents(requestId: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: auditTable(),
        KeyConditionExpression: 'requestId = :id',
        ExpressionAttributeValues: { ':id': requestId },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    events.push(...((page.Items ?? []) as AuditEvent[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return events;
}

/** What a mutation wants written: the next record and the events describing the change. */
export interface Mutation {
  readonly next: Omit<RequestRecord, 'lastSeq' | 'lastHash' | 'version' | 'openShard' | 'dueSortKey'>;
  readonly events: readonly AuditEventBody[];
}

const MAX_MUTATION_ATTEMPTS = 6;

/**
 * Reads the request, lets `mutate` decide the change from what is stored now,
 * and writes it; on a concurrent write, re-reads and decides again (with
 * jittered backoff). `mutate` returning undefined means "nothing to do" — how
 * steps stay idempotent when re-run.
 */
export async function mutateRequest(
  requestId: string,
  mutate: (current: RequestRecord) => Mutation | undefined,
): Promise<RequestRecord> {
  for (let attempt = 1; ; attempt++) {
    const current = await getRequest(requestId);
    const mutation = mutate(current);
    if (!mutation) return current;
    try {
      return await saveRequest(current, mutation.next, mutation.events);
    } catch (error) {
      if (!(error instanceof StaleRequest) || attempt >= MAX_MUTATION_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** attempt));
    }
  }
}
