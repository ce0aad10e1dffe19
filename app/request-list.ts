/**
 * How every request repository pages the console's list (RequestRepository.listRequests), decided once
 * for all of them like the write plans (request-writes.ts): the index a filter reads and the cursor.
 *
 * - without a status filter: the open requests, from the sparse `byDueDate` index (partition
 *   `openShard = 'OPEN'`, sorted by `dueSortKey`, `<due date>#<request id>`, clock-not-started last);
 * - with a status filter (open or closed statuses alike): the `byStatus` index (partition `status`,
 *   the same sort key).
 *
 * A cursor is opaque to clients: the key of the last request read and the index it belongs to, so a
 * listing goes on after it, and a cursor of another listing is refused.
 */
import { z } from 'zod';
import type { ListQuery } from '../domain/console/console-input';
import { InvalidInput } from '../domain/errors';
import type { RequestRecord } from '../domain/request-record';

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

/** Opaque to clients: the last key the index read, and the index it belongs to. */
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

/** The cursor that goes on right after `record`, a request listed with `filter`. */
export function cursorAfter(filter: Pick<ListQuery, 'status'>, record: RequestRecord): string {
  const { requestId, dueSortKey, status } = record;
  return listIndexFor(filter) === BY_DUE_DATE
    ? encodeCursor(BY_DUE_DATE, { requestId, openShard: 'OPEN', dueSortKey })
    : encodeCursor(BY_STATUS, { requestId, status, dueSortKey });
}
