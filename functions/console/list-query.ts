/**
 * The console list as DynamoDB queries, never a Scan:
 *
 * - without a status filter: the open requests, from the sparse `byDueDate`
 *   index (partition `openShard = 'OPEN'`, sorted by `dueSortKey`, which is
 *   `<due date>#<request id>`, clock-not-started requests last);
 * - with a status filter (open or closed statuses alike): the `byStatus`
 *   index (partition `status`, the same sort key).
 *
 * Due-date bounds (`dueBefore`, `overdue`) become key conditions on the sort
 * key; the other filters are filter expressions, applied after DynamoDB reads
 * a page, so a page may hold fewer rows than asked for and the cursor goes on
 * from where the read stopped. Pure: builds inputs, sends nothing.
 */
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { addDays, compareDates, type PlainDate } from '../../domain/clock';
import type { ListQuery } from '../../domain/console/console-input';
import { InvalidInput } from '../../domain/errors';

export const BY_DUE_DATE = 'byDueDate';
export const BY_STATUS = 'byStatus';
export type ListIndex = typeof BY_DUE_DATE | typeof BY_STATUS;

/** A cursor that is not one this API gave out, or was given out for another index. */
export class InvalidCursor extends InvalidInput {
  override readonly name = 'InvalidCursor' as const;
  readonly code = 'invalid-cursor';
  override readonly field = 'cursor';
  constructor() {
    super('cursor: not a cursor from a previous page of this list');
  }
}

const KeyValue = z.string().min(1).max(1024);
const CursorSchema = z.discriminatedUnion('index', [
  z.strictObject({
    index: z.literal(BY_DUE_DATE),
    key: z.strictObject({ requestId: KeyValue, openShard: z.literal('OPEN'), dueSortKey: KeyValue }),
  }),
  z.strictObject({
    index: z.literal(BY_STATUS),
    key: z.strictObject({ requestId: KeyValue, status: KeyValue, dueSortKey: KeyValue }),
  }),
]);

export function listIndexFor(filter: Pick<ListQuery, 'status'>): ListIndex {
  return filter.status === undefined ? BY_DUE_DATE : BY_STATUS;
}

/** Opaque to clients: the last key DynamoDB evaluated, and the index it belongs to. */
export function encodeCursor(index: ListIndex, key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ index, key })).toString('base64url');
}

export function decodeCursor(cursor: string, index: ListIndex): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  const result = CursorSchema.safeParse(parsed);
  if (!result.success || result.data.index !== index) throw new InvalidCursor();
  return result.data.key;
}

/** `<date>#~` sorts after every `<date>#<request id>` (ids are lower-case letters, digits and dashes). */
const endOf = (date: PlainDate) => `${date}#~`;

/**
 * Due-date bounds on the sort key: overdue means due strictly before today;
 * not overdue, due today or later; dueBefore, due strictly before that day.
 * Returns undefined when the bounds exclude everything.
 */
export function dueDateKeyCondition(
  filter: Pick<ListQuery, 'dueBefore' | 'overdue'>,
  today: PlainDate,
): { expression: string; values: Record<string, string> } | null | undefined {
  const uppers = [filter.dueBefore, filter.overdue === true ? today : undefined].filter(
    (date): date is PlainDate => date !== undefined,
  );
  const upper = uppers.sort(compareDates)[0];
  const lower = filter.overdue === false ? today : undefined;
  if (upper !== undefined && lower !== undefined) {
    if (compareDates(upper, lower) <= 0) return undefined;
    return {
      expression: '#sk BETWEEN :low AND :high',
      values: { ':low': lower, ':high': endOf(addDays(upper, -1)) },
    };
  }
  if (upper !== undefined) return { expression: '#sk < :high', values: { ':high': upper } };
  if (lower !== undefined) return { expression: '#sk >= :low', values: { ':low': lower } };
  return null;
}

/**
 * The Query input for one page, or undefined when the filter can match
 * nothing. `limit` is the number of items DynamoDB may read (before filtering).
 */
export function listQueryInput(
  tableName: string,
  filter: ListQuery,
  today: PlainDate,
  limit: number,
  exclusiveStartKey?: Record<string, string>,
): QueryCommandInput | undefined {
  const index = listIndexFor(filter);
  const keyBounds = dueDateKeyCondition(filter, today);
  if (keyBounds === undefined) return undefined;
  // DynamoDB rejects a name or value the expressions do not use, so each is added with its use.
  const names: Record<string, string> = {
    '#pk': index === BY_DUE_DATE ? 'openShard' : 'status',
    ...(keyBounds ? { '#sk': 'dueSortKey' } : {}),
  };
  const values: Record<string, unknown> = { ':pk': index === BY_DUE_DATE ? 'OPEN' : filter.status };
  const conditions: string[] = [];
  const equals = (attribute: string, value: unknown) => {
    const n = Object.keys(names).length;
    names[`#f${n}`] = attribute;
    values[`:f${n}`] = value;
    conditions.push(`#f${n} = :f${n}`);
  };
  if (filter.type !== undefined) equals('type', filter.type);
  if (filter.policy !== undefined) equals('policyId', filter.policy);
  if (filter.channel !== undefined) equals('channel', filter.channel);
  if (filter.needsTriage !== undefined) equals('needsTriage', filter.needsTriage);
  if (filter.assignee !== undefined) equals('assignee', filter.assignee);
  if (filter.manualTasks === 'open') {
    // Derived on every write (request-store.ts), present only while a task is open.
    names['#manual'] = 'openManualTasks';
    conditions.push('attribute_exists(#manual)');
  }
  if (filter.overdue === true) {
    // A stopped clock is not running late: its due date moves when the requester answers.
    names['#paused'] = 'pausedSince';
    conditions.push('attribute_not_exists(#paused)');
  }
  return {
    TableName: tableName,
    IndexName: index,
    KeyConditionExpression: `#pk = :pk${keyBounds ? ` AND ${keyBounds.expression}` : ''}`,
    ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: { ...values, ...(keyBounds?.values ?? {}) },
    ScanIndexForward: true,
    Limit: limit,
    ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
  };
}
