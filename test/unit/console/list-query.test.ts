import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueDateKeyCondition, listQueryInput } from '../../../adapters/aws/request-list-query';
import { BY_DUE_DATE, BY_STATUS, decodeCursor, encodeCursor, InvalidCursor } from '../../../app/request-list';
import { addDays, compareDates, type PlainDate } from '../../../domain/clock';
import { type ListQuery, ListQuerySchema } from '../../../domain/console/console-input';
import { dueSortKey } from '../../../domain/request-record';

const day = (text: string) => text as PlainDate;
const TODAY = day('2025-06-15');
const filter = (query: Record<string, string>): ListQuery => ListQuerySchema.parse(query);
const ID = 'dsr-0f0e0d0c-0b0a-4908-8706-050403020100';

/** Evaluates a key condition on a sort key the way DynamoDB does (byte order of ASCII strings). */
function satisfies(condition: ReturnType<typeof dueDateKeyCondition>, sortKey: string): boolean {
  if (condition === null) return true;
  if (condition === undefined) return false;
  const { ':low': low, ':high': high } = condition.values;
  if (condition.expression === '#sk BETWEEN :low AND :high') return sortKey >= low! && sortKey <= high!;
  if (condition.expression === '#sk < :high') return sortKey < high!;
  if (condition.expression === '#sk >= :low') return sortKey >= low!;
  throw new Error(`unexpected condition ${condition.expression}`);
}

describe('dueDateKeyCondition', () => {
  it('reads a due date filter the way an agent means it, for every due date and filter', () => {
    const dates = fc.integer({ min: -60, max: 60 }).map((offset) => addDays(TODAY, offset));
    fc.assert(
      fc.property(
        fc.option(dates, { nil: undefined }),
        fc.option(fc.boolean(), { nil: undefined }),
        fc.option(dates, { nil: null }),
        (dueBefore, overdue, dueDate) => {
          const condition = dueDateKeyCondition({ dueBefore, overdue }, TODAY);
          // A clock that has not started sorts last: never overdue, never due before any day.
          const expected =
            (dueBefore === undefined || (dueDate !== null && compareDates(dueDate, dueBefore) < 0)) &&
            (overdue === undefined ||
              (overdue
                ? dueDate !== null && compareDates(dueDate, TODAY) < 0
                : dueDate === null || compareDates(dueDate, TODAY) >= 0));
          expect(satisfies(condition, dueSortKey(ID, dueDate))).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('says when the bounds exclude everything, so no query is sent', () => {
    expect(dueDateKeyCondition({ dueBefore: TODAY, overdue: false }, TODAY)).toBeUndefined();
    expect(listQueryInput('t', filter({ dueBefore: TODAY, overdue: 'false' }), TODAY, 10)).toBeUndefined();
  });
});

describe('listQueryInput', () => {
  it('queries the sparse byDueDate index for open requests, in due-date order, with no unused names', () => {
    expect(listQueryInput('Requests', filter({}), TODAY, 25)).toEqual({
      TableName: 'Requests',
      IndexName: BY_DUE_DATE,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'openShard' },
      ExpressionAttributeValues: { ':pk': 'OPEN' },
      ScanIndexForward: true,
      Limit: 25,
    });
  });

  it('queries the byStatus index for a status, and turns the other filters into a filter expression', () => {
    const input = listQueryInput(
      'Requests',
      filter({
        status: 'refused',
        type: 'deletion',
        policy: 'sufe',
        channel: 'email',
        needsTriage: 'false',
        assignee: 'alice',
      }),
      TODAY,
      10,
    );
    expect(input).toMatchObject({
      IndexName: BY_STATUS,
      KeyConditionExpression: '#pk = :pk',
      FilterExpression: '#f1 = :f1 AND #f2 = :f2 AND #f3 = :f3 AND #f4 = :f4 AND #f5 = :f5',
      ExpressionAttributeNames: {
        '#pk': 'status',
        '#f1': 'type',
        '#f2': 'policyId',
        '#f3': 'channel',
        '#f4': 'needsTriage',
        '#f5': 'assignee',
      },
      ExpressionAttributeValues: {
        ':pk': 'refused',
        ':f1': 'deletion',
        ':f2': 'sufe',
        ':f3': 'email',
        ':f4': false,
        ':f5': 'alice',
      },
    });
  });

  it('leaves paused clocks out of the overdue list: their due date moves when the requester answers', () => {
    const input = listQueryInput('Requests', filter({ overdue: 'true' }), TODAY, 10);
    expect(input?.KeyConditionExpression).toBe('#pk = :pk AND #sk < :high');
    expect(input?.FilterExpression).toBe('attribute_not_exists(#paused)');
  });

  it('starts from the cursor key', () => {
    const key = { requestId: ID, openShard: 'OPEN', dueSortKey: dueSortKey(ID, TODAY) };
    expect(listQueryInput('Requests', filter({}), TODAY, 5, key)?.ExclusiveStartKey).toEqual(key);
  });
});

describe('cursors', () => {
  const key = { requestId: ID, status: 'refused', dueSortKey: dueSortKey(ID, TODAY) };

  it('round-trips the last evaluated key of the index it came from', () => {
    expect(decodeCursor(encodeCursor(BY_STATUS, key), BY_STATUS)).toEqual(key);
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['another index', encodeCursor(BY_DUE_DATE, { requestId: ID, openShard: 'OPEN', dueSortKey: 'x' })],
    ['extra fields', encodeCursor(BY_STATUS, { ...key, admin: 'true' })],
    ['a missing field', encodeCursor(BY_STATUS, { requestId: ID, status: 'refused' })],
  ])('rejects a cursor with %s', (_case, cursor) => {
    expect(() => decodeCursor(cursor, BY_STATUS)).toThrow(InvalidCursor);
  });
});

describe('ListQuerySchema', () => {
  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ overdue: 'yes' }, 'overdue'],
    [{ dueBefore: '2025-13-01' }, 'dueBefore'],
    [{ status: 'done' }, 'status'],
    [{ sort: 'asc' }, ''],
  ])('rejects %o naming the field', (query, field) => {
    const result = ListQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    if (field) expect(result.error?.issues[0]?.path).toEqual([field]);
  });

  it('pages 25 rows unless told otherwise', () => {
    expect(filter({}).limit).toBe(25);
  });
});
