/**
 * The request repository on DynamoDB: the Requests and AuditEvents tables. A change and its audit
 * events are one TransactWriteItems; the record is conditioned on its version (optimistic lock) and
 * each event on its sequence number being new, so the chain cannot fork and no event is overwritten
 * (the role may PutItem, which could replace an item; the condition is what keeps it append-only, and
 * the events' MACs show any replacement made around it). Reads of several pages go
 * through the SDK's paginators.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  Mutation,
  RequestListFilter,
  RequestListPage,
  RequestRecordDraft,
  RequestRepository,
  TrailMac,
} from '../../app/ports';
import { BY_STATUS, decodeCursor, encodeCursor, listIndexFor } from '../../app/request-list';
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
import { REQUEST_STATUSES, type RequestStatus } from '../../domain/lifecycle';
import type { ReportRecord } from '../../domain/reports/report';
import type { RequestRecord } from '../../domain/request-record';
import { listQueryInput } from './request-list-query';

export interface RequestTables {
  /** Read when used, so that local mode may set the environment after import. */
  requests(): string;
  audit(): string;
}

const BATCH_GET_LIMIT = 100;

/** The attributes of ReportRecord, by placeholder (`status` is a DynamoDB reserved word). */
const REPORT_NAMES = {
  '#policyId': 'policyId',
  '#channel': 'channel',
  '#status': 'status',
  '#receivedAt': 'receivedAt',
  '#closedAt': 'closedAt',
  '#pausedSince': 'pausedSince',
  '#breach': 'breach',
  '#deadline': 'deadline',
  '#dueDate': 'dueDate',
};
const REPORT_PROJECTION =
  '#policyId, #channel, #status, #receivedAt, #closedAt, #pausedSince, #breach, #deadline.#dueDate';

export class DynamoDbRequestRepository implements RequestRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: RequestTables,
    private readonly mac: TrailMac,
  ) {}

  private async write(requestId: string, unsigned: PlannedWrite): Promise<RequestRecord> {
    const plan = await signPlan(unsigned, this.mac);
    const condition =
      plan.expectedVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(requestId)' }
        : {
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': plan.expectedVersion },
          };
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tables.requests(), Item: plan.stored, ...condition } },
            ...plan.events.map((event) => ({
              Put: {
                TableName: this.tables.audit(),
                Item: event,
                ConditionExpression: 'attribute_not_exists(seq)',
              },
            })),
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw new StaleRequest(requestId);
      throw error;
    }
    return plan.stored;
  }

  create(record: RequestRecordDraft, events: readonly AuditEventBody[]): Promise<RequestRecord> {
    return this.write(record.requestId, planCreate(record, events));
  }

  async get(requestId: string): Promise<RequestRecord> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tables.requests(), Key: { requestId }, ConsistentRead: true }),
    );
    if (!Item) throw new RequestNotFound();
    return Item as RequestRecord;
  }

  save(
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
    const events: AuditEvent[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tables.audit(),
        KeyConditionExpression: 'requestId = :id',
        ExpressionAttributeValues: { ':id': requestId },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) events.push(...((page.Items ?? []) as AuditEvent[]));
    return events;
  }

  async *openRequests(pageSize: number): AsyncIterable<RequestRecord[]> {
    const pages = paginateQuery(
      { client: this.client, pageSize },
      {
        TableName: this.tables.requests(),
        IndexName: 'byDueDate',
        KeyConditionExpression: 'openShard = :open',
        ExpressionAttributeValues: { ':open': 'OPEN' },
      },
    );
    for await (const page of pages) yield (page.Items ?? []) as RequestRecord[];
  }

  async *closedWithClearValues(closedBefore: string, pageSize: number): AsyncIterable<RequestRecord[]> {
    const pages = paginateQuery(
      { client: this.client, pageSize },
      {
        TableName: this.tables.requests(),
        IndexName: 'byClosedAt',
        KeyConditionExpression: 'clearShard = :clear AND closedAt <= :before',
        ExpressionAttributeValues: { ':clear': 'CLEAR', ':before': closedBefore },
      },
    );
    for await (const page of pages) yield (page.Items ?? []) as RequestRecord[];
  }

  async subjectRequestIds(subjectKey: string, since: string): Promise<string[]> {
    const ids: string[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tables.requests(),
        IndexName: 'bySubject',
        KeyConditionExpression: 'subjectKey = :subject AND receivedAt >= :since',
        ExpressionAttributeValues: { ':subject': subjectKey, ':since': since },
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) ids.push(item.requestId as string);
    return ids;
  }

  async getMany(requestIds: readonly string[]): Promise<RequestRecord[]> {
    const table = this.tables.requests();
    const found: RequestRecord[] = [];
    // BatchGetItem reads at most 100 keys per call, and may hand some back unprocessed.
    for (let offset = 0; offset < requestIds.length; offset += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] | undefined = requestIds
        .slice(offset, offset + BATCH_GET_LIMIT)
        .map((requestId) => ({ requestId }));
      for (let attempt = 0; keys && keys.length > 0 && attempt < 5; attempt++) {
        const result = await this.client.send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: keys } } }),
        );
        found.push(...((result.Responses?.[table] ?? []) as RequestRecord[]));
        keys = result.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined;
        if (keys && keys.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
    return found;
  }

  async *listRequests(
    filter: RequestListFilter,
    options: { readonly pageSize: number; readonly from?: string },
  ): AsyncIterable<RequestListPage> {
    const { today, ...rest } = filter;
    const index = listIndexFor(filter);
    const startKey = options.from === undefined ? undefined : decodeCursor(options.from, index);
    const input = listQueryInput(this.tables.requests(), rest, today, options.pageSize, startKey);
    // Bounds that exclude every due date: nothing to read.
    if (!input) return;
    const pages = paginateQuery({ client: this.client, pageSize: options.pageSize }, input);
    for await (const page of pages) {
      yield {
        records: (page.Items ?? []) as RequestRecord[],
        cursor: page.LastEvaluatedKey ? encodeCursor(index, page.LastEvaluatedKey) : undefined,
      };
    }
  }

  async reportRecords(): Promise<ReportRecord[]> {
    const inStatus = async (status: RequestStatus) => {
      const records: ReportRecord[] = [];
      const pages = paginateQuery(
        { client: this.client },
        {
          TableName: this.tables.requests(),
          IndexName: BY_STATUS,
          KeyConditionExpression: '#status = :status',
          ExpressionAttributeNames: REPORT_NAMES,
          ExpressionAttributeValues: { ':status': status },
          ProjectionExpression: REPORT_PROJECTION,
        },
      );
      for await (const page of pages) records.push(...((page.Items ?? []) as ReportRecord[]));
      return records;
    };
    return (await Promise.all(REQUEST_STATUSES.map(inStatus))).flat();
  }
}
