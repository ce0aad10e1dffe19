/**
 * Writing an imported notice: the notice item, its audit event on the calendar's own trail
 * (`calendar:<calendarId>` in the audit table) and the trail's chain head (the item of year 0 in the
 * CalendarNotices table) in one TransactWriteItems. The head's `lastSeq` is the condition, so two
 * imports at once cannot both chain after the same event: imports are serialised, and the trail cannot
 * miss one. A lost race is retried on the new head a few times, then answered 409.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CalendarNoticeStore } from '../../app/console/ports';
import { signEvent } from '../../app/request-writes';
import { type AuditEvent, type AuditEventBody, chainEvent, GENESIS_HASH } from '../../domain/audit';
import { NoticeAlreadyPresent } from '../../domain/console/calendar-import';
import { Contention } from '../../domain/errors';
import { CHAIN_HEAD_YEAR, listImportedNotices, type StoredNotice } from './calendar-notices';
import { documentClient } from './clients/dynamodb';
import { trailMac } from './kms-trail-mac';
import { requiredEnv } from './runtime';

/** Another import moved the calendar's trail first, every retry included. */
export class CalendarImportConflict extends Contention {
  override readonly name = 'CalendarImportConflict' as const;
  readonly code = 'conflict';
  constructor(calendarId: string) {
    super(`Another import of ${calendarId} was being written at the same time; try again`);
  }
}

/** The audit trail id of a calendar: a system trail beside the requests' trails, in the same table. */
export const calendarTrailId = (calendarId: string) => `calendar:${calendarId}`;

interface ChainHead {
  readonly lastSeq: number;
  readonly lastHash: string;
}

const noticesTable = () => requiredEnv('CALENDAR_NOTICES_TABLE');
const auditTable = () => requiredEnv('AUDIT_TABLE');

/** The imported notice of one year, if any (consistent: an import just made is seen). */
export async function readStoredNotice(calendarId: string, year: number): Promise<StoredNotice | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: noticesTable(), Key: { calendarId, year }, ConsistentRead: true }),
  );
  return Item as StoredNotice | undefined;
}

async function readChainHead(calendarId: string): Promise<ChainHead> {
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: noticesTable(),
      Key: { calendarId, year: CHAIN_HEAD_YEAR },
      ConsistentRead: true,
    }),
  );
  return Item === undefined
    ? { lastSeq: 0, lastHash: GENESIS_HASH }
    : { lastSeq: Item.lastSeq as number, lastHash: Item.lastHash as string };
}

const ATTEMPTS = 3;

/**
 * Stores `stored` with the audit event `body` chained on the calendar's trail. Without `replace`, the
 * year must not have been imported meanwhile (NoticeAlreadyPresent). Returns the event written.
 */
export async function storeImportedNotice(
  stored: StoredNotice,
  body: AuditEventBody,
  options: { readonly replace: boolean },
): Promise<AuditEvent> {
  const trail = calendarTrailId(stored.calendarId);
  for (let attempt = 1; ; attempt += 1) {
    const head = await readChainHead(stored.calendarId);
    const event = await signEvent(
      chainEvent(trail, head.lastSeq === 0 ? undefined : { seq: head.lastSeq, hash: head.lastHash }, body),
      trailMac,
    );
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: noticesTable(),
                Item: stored,
                ...(options.replace ? {} : { ConditionExpression: 'attribute_not_exists(calendarId)' }),
              },
            },
            {
              Put: {
                TableName: auditTable(),
                Item: event,
                // The chain cannot fork: a sequence number is written once.
                ConditionExpression: 'attribute_not_exists(seq)',
              },
            },
            {
              Put: {
                TableName: noticesTable(),
                Item: {
                  calendarId: stored.calendarId,
                  year: CHAIN_HEAD_YEAR,
                  trail,
                  lastSeq: event.seq,
                  lastHash: event.hash,
                  updatedAt: body.at,
                },
                ...(head.lastSeq === 0
                  ? { ConditionExpression: 'attribute_not_exists(calendarId)' }
                  : {
                      ConditionExpression: 'lastSeq = :expected',
                      ExpressionAttributeValues: { ':expected': head.lastSeq },
                    }),
              },
            },
          ],
        }),
      );
      return event;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') {
        throw new NoticeAlreadyPresent(stored.calendarId, stored.year, 'imported');
      }
      if (attempt >= ATTEMPTS) throw new CalendarImportConflict(stored.calendarId);
    }
  }
}

/** The console's CalendarNoticeStore (app/console/ports.ts) on the CalendarNotices and audit tables. */
export const calendarNoticeStore: CalendarNoticeStore = {
  imported: listImportedNotices,
  read: readStoredNotice,
  store: storeImportedNotice,
};
