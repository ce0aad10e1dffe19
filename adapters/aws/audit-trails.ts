/**
 * The audit trails as stored on DynamoDB, for verifying and anchoring them (app/audit/ports.ts): a
 * request's events in the audit table and the head its record keeps in the Requests table; a
 * calendar's trail (`calendar:<id>`) with its head in the CalendarNotices table (year 0). Only reads.
 * The heads alone (for the daily anchor) come from one scan of each head table, never the events.
 */
import { type DynamoDBDocumentClient, GetCommand, paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { StoredTrail, TrailHeads, TrailStore } from '../../app/audit/ports';
import type { AuditEvent } from '../../domain/audit';
import type { AnchorLeaf } from '../../domain/audit-anchor';
import { CHAIN_HEAD_YEAR } from './calendar-notices';

const CALENDAR_TRAIL_PREFIX = 'calendar:';

export interface TrailTables {
  requests(): string;
  audit(): string;
  /** Undefined where no calendar notices are kept. */
  calendarNotices(): string | undefined;
}

export class DynamoDbTrailStore implements TrailStore, TrailHeads {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: TrailTables,
  ) {}

  private async headItem(trailId: string): Promise<Record<string, unknown> | undefined> {
    if (trailId.startsWith(CALENDAR_TRAIL_PREFIX)) {
      const table = this.tables.calendarNotices();
      if (table === undefined) return undefined;
      const key = { calendarId: trailId.slice(CALENDAR_TRAIL_PREFIX.length), year: CHAIN_HEAD_YEAR };
      return (await this.client.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true })))
        .Item;
    }
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tables.requests(),
        Key: { requestId: trailId },
        ProjectionExpression: 'lastSeq, lastHash',
        ConsistentRead: true,
      }),
    );
    return Item;
  }

  async read(trailId: string): Promise<StoredTrail | undefined> {
    const head = await this.headItem(trailId);
    if (head === undefined) return undefined;
    const events: AuditEvent[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tables.audit(),
        KeyConditionExpression: 'requestId = :id',
        ExpressionAttributeValues: { ':id': trailId },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) events.push(...((page.Items ?? []) as AuditEvent[]));
    return { head: { lastSeq: head.lastSeq as number, lastHash: head.lastHash as string }, events };
  }

  async *trailIds(): AsyncIterable<readonly string[]> {
    const requests = paginateScan(
      { client: this.client },
      { TableName: this.tables.requests(), ProjectionExpression: 'requestId' },
    );
    for await (const page of requests) yield (page.Items ?? []).map((item) => item.requestId as string);
    const notices = this.tables.calendarNotices();
    if (notices === undefined) return;
    const heads = paginateScan(
      { client: this.client },
      {
        TableName: notices,
        ProjectionExpression: 'calendarId',
        FilterExpression: '#year = :head',
        ExpressionAttributeNames: { '#year': 'year' },
        ExpressionAttributeValues: { ':head': CHAIN_HEAD_YEAR },
      },
    );
    for await (const page of heads) {
      yield (page.Items ?? []).map((item) => `${CALENDAR_TRAIL_PREFIX}${item.calendarId as string}`);
    }
  }

  /**
   * Every head as its record keeps it, read consistently (a head read a moment late is still one the
   * trail held, since the trail only grows). A record without a head (none ever written) is left out.
   */
  async *heads(): AsyncIterable<readonly AnchorLeaf[]> {
    const requests = paginateScan(
      { client: this.client },
      {
        TableName: this.tables.requests(),
        ProjectionExpression: 'requestId, lastSeq, lastHash',
        ConsistentRead: true,
      },
    );
    for await (const page of requests) {
      yield (page.Items ?? []).flatMap((item) => leafOf(item.requestId, item));
    }
    const notices = this.tables.calendarNotices();
    if (notices === undefined) return;
    const heads = paginateScan(
      { client: this.client },
      {
        TableName: notices,
        ProjectionExpression: 'calendarId, lastSeq, lastHash',
        FilterExpression: '#year = :head',
        ExpressionAttributeNames: { '#year': 'year' },
        ExpressionAttributeValues: { ':head': CHAIN_HEAD_YEAR },
        ConsistentRead: true,
      },
    );
    for await (const page of heads) {
      yield (page.Items ?? []).flatMap((item) =>
        leafOf(`${CALENDAR_TRAIL_PREFIX}${item.calendarId as string}`, item),
      );
    }
  }
}

function leafOf(trailId: unknown, item: Record<string, unknown>): AnchorLeaf[] {
  const { lastSeq, lastHash } = item;
  if (typeof trailId !== 'string' || typeof lastSeq !== 'number' || typeof lastHash !== 'string') return [];
  return [{ trailId, lastSeq, lastHash }];
}
