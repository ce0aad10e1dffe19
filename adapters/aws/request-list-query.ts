/**
 * The console list as DynamoDB queries, never a Scan (the index a filter reads and the cursor are
 * app/request-list.ts's, shared with the in-memory repository).
 *
 * Due-date bounds (`dueBefore`, `overdue`) become key conditions on the sort
 * key; the other filters are filter expressions, applied after DynamoDB reads
 * a page, so a page may hold fewer rows than asked for and the cursor goes on
 * from where the read stopped. Pure: builds inputs, sends nothing.
 */
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { BY_DUE_DATE, listIndexFor } from '../../app/request-list';
import { addDays, compareDates, type PlainDate } from '../../domain/clock';
import type { ListQuery } from '../../domain/console/console-input';

/** The filters of the console list: what a query reads, without the page size and the cursor. */
export type ListFilter = Omit<ListQuery, 'limit' | 'cursor'>;

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
  filter: ListFilter,
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
    // Derived on every write (app/request-writes.ts), present only while a task is open.
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
