import { describe, expect, it } from 'vitest';
import { ListPolicyUnknown, listRequests } from '../../../../app/console/list-requests';
import { InvalidCursor } from '../../../../app/request-list';
import { type ListQuery, ListQuerySchema } from '../../../../domain/console/console-input';
import type { RequestType } from '../../../../domain/request';
import { EMAIL } from '../../console/builders';
import { consolePorts, given } from './fixture';

const idOf = (n: number) => `dsr-00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const query = (parameters: Record<string, string> = {}): ListQuery => ListQuerySchema.parse(parameters);

/** Requests received on consecutive days from Monday 2025-03-03, so their due dates follow the same order. */
async function receivedInTurn(ports: ReturnType<typeof consolePorts>, types: readonly RequestType[]) {
  for (const [n, type] of types.entries()) {
    const day = String(3 + (n % 5)).padStart(2, '0');
    const week = Math.floor(n / 5) * 7;
    const receivedAt = new Date(Date.parse(`2025-03-${day}T01:00:00.000Z`) + week * 86_400_000);
    await given(ports.requests, { requestId: idOf(n + 1), type, receivedAt: receivedAt.toISOString() });
  }
}

describe('the console request list', () => {
  it('lists open requests in due-date order with identifiers masked, a page at a time, on to the end', async () => {
    const ports = consolePorts();
    await receivedInTurn(ports, ['access', 'access', 'access']);
    const first = await listRequests(ports, query({ limit: '2' }));
    expect(first.requests.map((row) => row.requestId)).toEqual([idOf(1), idOf(2)]);
    expect(first.requests[0]?.identifiers[0]).toMatchObject({ masked: EMAIL.masked });
    expect(JSON.stringify(first)).not.toContain(EMAIL.value);
    expect(first.nextCursor).not.toBeNull();
    const rest = await listRequests(ports, query({ limit: '2', cursor: first.nextCursor! }));
    expect(rest.requests.map((row) => row.requestId)).toEqual([idOf(3)]);
    expect(rest.nextCursor).toBeNull();
  });

  it('leaves closed requests out unless their status is asked for', async () => {
    const ports = consolePorts();
    await given(ports.requests, { requestId: idOf(1) });
    await given(ports.requests, { requestId: idOf(2), status: 'refused' });
    expect((await listRequests(ports, query())).requests.map((row) => row.requestId)).toEqual([idOf(1)]);
    const refused = await listRequests(ports, query({ status: 'refused' }));
    expect(refused.requests.map((row) => row.requestId)).toEqual([idOf(2)]);
  });

  it('goes on right after the last row when a page fills in the middle of what was read', async () => {
    const ports = consolePorts();
    await receivedInTurn(ports, ['access', 'deletion', 'deletion', 'deletion']);
    const first = await listRequests(ports, query({ type: 'deletion', limit: '2' }));
    expect(first.requests.map((row) => row.requestId)).toEqual([idOf(2), idOf(3)]);
    const rest = await listRequests(
      ports,
      query({ type: 'deletion', limit: '2', cursor: first.nextCursor! }),
    );
    expect(rest.requests.map((row) => row.requestId)).toEqual([idOf(4)]);
    expect(rest.nextCursor).toBeNull();
  });

  it('reads at most ten pages a call and answers with a cursor to go on from', async () => {
    const ports = consolePorts();
    await receivedInTurn(ports, [...Array.from({ length: 11 }, () => 'access' as const), 'deletion']);
    const first = await listRequests(ports, query({ type: 'deletion', limit: '1' }));
    expect(first.requests).toEqual([]);
    expect(first.nextCursor).not.toBeNull();
    const rest = await listRequests(
      ports,
      query({ type: 'deletion', limit: '1', cursor: first.nextCursor! }),
    );
    expect(rest.requests.map((row) => row.requestId)).toEqual([idOf(12)]);
  });

  it('judges overdue on the injected clock, in each request’s own zone', async () => {
    const ports = consolePorts('2025-03-10T02:00:00.000Z');
    await given(ports.requests, { requestId: idOf(1), receivedAt: '2025-03-03T01:00:00.000Z' });
    expect((await listRequests(ports, query({ overdue: 'true' }))).requests).toEqual([]);
    expect((await listRequests(ports, query({ overdue: 'false' }))).requests).toHaveLength(1);
    ports.clock.set('2025-06-02T02:00:00.000Z');
    const late = await listRequests(ports, query({ overdue: 'true' }));
    expect(late.requests).toMatchObject([{ requestId: idOf(1), overdue: true }]);
    expect((await listRequests(ports, query({ overdue: 'false' }))).requests).toEqual([]);
  });

  it('refuses a policy that does not exist, naming the field', async () => {
    const ports = consolePorts();
    await expect(listRequests(ports, query({ policy: 'acme' }))).rejects.toMatchObject({
      constructor: ListPolicyUnknown,
      code: 'invalid-field',
      field: 'policy',
    });
  });

  it('refuses a cursor of another listing', async () => {
    const ports = consolePorts();
    await receivedInTurn(ports, ['access', 'access']);
    const { nextCursor } = await listRequests(ports, query({ limit: '1' }));
    await expect(
      listRequests(ports, query({ status: 'verified', cursor: nextCursor! })),
    ).rejects.toBeInstanceOf(InvalidCursor);
  });
});
