/**
 * The console's work queue against the running pipeline: due-date order
 * across pages, each filter, closed requests by status, and overdue requests.
 * Other test files add requests to the same stack at the same time, so the
 * checks are about order and membership, never about exact counts.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compareDates, type PlainDate } from '../../../domain/clock';
import { dueSortKey } from '../../../domain/request-record';
import {
  CONSOLE,
  createdId,
  get,
  post,
  simulateElapsedTime,
  storedRequest,
  tokenFor,
  uniqueEmail,
} from './support';

interface Row {
  readonly requestId: string;
  readonly dueDate: PlainDate | null;
  readonly policyId: string;
  readonly status: string;
  readonly type: string | null;
  readonly channel: string;
  readonly overdue: boolean;
  readonly assignee: string | null;
  readonly needsTriage: boolean;
  readonly identifiers: { masked: string; value?: string }[];
}

async function list(
  query: string,
  token = tokenFor('auditor'),
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const answer = await get(`${CONSOLE}${query ? `?${query}` : ''}`, token);
  expect(answer.status).toBe(200);
  return { rows: answer.body.requests as Row[], nextCursor: answer.body.nextCursor as string | null };
}

/** Every page of a list, following the cursors. */
async function allPages(query: string, limit = 7): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  do {
    const page = await list(`${query}${query ? '&' : ''}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.rows.length).toBeLessThanOrEqual(limit);
    rows.push(...page.rows);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

/** Due dates never decrease; requests whose clock has not started come last. */
function expectDueDateOrder(rows: readonly Row[]) {
  const keys = rows.map((row) => dueSortKey(row.requestId, row.dueDate));
  expect(keys).toEqual([...keys].sort());
  for (const [index, row] of rows.entries()) {
    const next = rows[index + 1];
    if (next && row.dueDate !== null && next.dueDate !== null)
      expect(compareDates(row.dueDate, next.dueDate)).toBeLessThanOrEqual(0);
    if (next && row.dueDate === null) expect(next.dueDate).toBeNull();
  }
}

describe('the console request list', () => {
  it('lists open requests in due-date order across pages, with no row twice and identifiers masked', async () => {
    const agent = tokenFor('agent');
    const email = uniqueEmail('listed');
    const mine = [
      await createdId(agent, { policyId: 'gdpr', type: 'correction', subject: { email } }),
      await createdId(agent, { policyId: 'pipl-default', type: 'correction', subject: { email } }),
      await createdId(agent, {
        policyId: 'ccpa',
        type: 'correction',
        subject: { email },
        identityCheck: undefined,
      }),
      await createdId(agent, {
        policyId: 'caftrade',
        type: 'correction',
        subject: { email },
        identityCheck: undefined,
      }),
    ];
    const rows = await allPages('');
    expectDueDateOrder(rows);
    const ids = rows.map((row) => row.requestId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(mine));
    expect(JSON.stringify(rows)).not.toContain(email);
    // caftrade's clock starts on verification: still pending, it sorts after every request with a due date.
    expect(rows.find((row) => row.requestId === mine[3])?.dueDate).toBeNull();
  });

  it.each([
    ['policy=gdpr', (row: Row) => row.policyId === 'gdpr'],
    ['type=deletion', (row: Row) => row.type === 'deletion'],
    ['channel=console', (row: Row) => row.channel === 'console'],
    ['needsTriage=false', (row: Row) => !row.needsTriage],
    [
      'status=pending-verification&policy=ccpa',
      (row: Row) => row.status === 'pending-verification' && row.policyId === 'ccpa',
    ],
  ])('keeps to the filter %s, in due-date order', async (query, holds) => {
    await createdId(tokenFor('agent'), {
      policyId: 'gdpr',
      type: 'correction',
      subject: { email: uniqueEmail('filter') },
    });
    // Waits for its code, so it stays open whatever the fulfilment workflow does meanwhile.
    await createdId(tokenFor('agent'), {
      policyId: 'ccpa',
      type: 'deletion',
      subject: { email: uniqueEmail('filter') },
      identityCheck: undefined,
    });
    const rows = await allPages(query, 20);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every(holds)).toBe(true);
    expectDueDateOrder(rows);
  });

  it('finds requests due before a day, and an agent’s own work by assignee', async () => {
    const assignee = `alice-${randomUUID().slice(0, 8)}`;
    const alice = tokenFor('agent', assignee);
    const id = await createdId(alice, {
      policyId: 'pipl-default',
      type: 'correction',
      subject: { email: uniqueEmail('mine') },
    });
    expect((await post(`${CONSOLE}/${id}/assign`, alice, { assignee })).status).toBe(200);
    const { rows } = await list(`assignee=${assignee}`);
    expect(rows.map((row) => row.requestId)).toEqual([id]);
    const dueDate = (await storedRequest(id)).deadline.dueDate;
    if (dueDate !== null) {
      const before = await allPages(`dueBefore=${dueDate}`, 50);
      expect(before.every((row) => row.dueDate !== null && compareDates(row.dueDate, dueDate) < 0)).toBe(
        true,
      );
      expect(before.map((row) => row.requestId)).not.toContain(id);
    }
  });

  it('lists closed requests by their status', async () => {
    const id = await createdId(tokenFor('agent'), {
      policyId: 'caftrade',
      type: 'correction',
      subject: { email: uniqueEmail('closed') },
    });
    await post(`${CONSOLE}/${id}/refuse`, tokenFor('supervisor'), { ground: 'trade-secrets', reason: 'x' });
    const open = await allPages('', 50);
    expect(open.map((row) => row.requestId)).not.toContain(id);
    const refused = await allPages('status=refused', 50);
    expect(refused.map((row) => row.requestId)).toContain(id);
    expect(refused.every((row) => row.status === 'refused')).toBe(true);
  });

  it('lists a request past its due date as overdue, and not among those that are not', async () => {
    const id = await createdId(tokenFor('agent'), {
      policyId: 'gdpr',
      type: 'correction',
      subject: { email: uniqueEmail('late') },
    });
    const stored = await storedRequest(id);
    // Received two months ago, its one month has run out.
    const longAgo = '2025-06-02' as PlainDate;
    await simulateElapsedTime(id, {
      receivedAt: `${longAgo}T08:00:00.000Z`,
      deadline: { ...stored.deadline, startDate: longAgo, dueDate: '2025-07-02' as PlainDate },
      dueSortKey: dueSortKey(id, '2025-07-02'),
    });
    const overdue = await allPages('overdue=true', 50);
    expect(overdue.map((row) => row.requestId)).toContain(id);
    expect(overdue.every((row) => row.overdue)).toBe(true);
    const notOverdue = await allPages('overdue=false', 50);
    expect(notOverdue.map((row) => row.requestId)).not.toContain(id);
    expect(notOverdue.every((row) => !row.overdue)).toBe(true);
  });

  it.each([
    ['an unknown filter', 'sort=asc', 'sort'],
    ['an unknown policy', 'policy=acme', 'policy'],
    ['a cursor it did not give out', 'cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['a limit above 100', 'limit=500', 'limit'],
  ])('answers 400 to %s, naming the parameter', async (_case, query, field) => {
    const answer = await get(`${CONSOLE}?${query}`, tokenFor('agent'));
    expect(answer.status).toBe(400);
    expect(answer.body.error.field).toBe(field);
  });
});
