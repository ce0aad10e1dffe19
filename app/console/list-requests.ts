/**
 * The console's work queue: requests in due-date order, filtered by status, type, policy, channel, due
 * date, overdue, triage and assignee, one page at a time with an opaque cursor. The repository reads
 * its indexes, never a scan (RequestRepository.listRequests, app/request-list.ts; see
 * docs/architecture.md for the limits); overdue is then judged in each request's own zone.
 */
import { compareDates, type PlainDate, plainDateInZone } from '../../domain/clock';
import type { ListQuery } from '../../domain/console/console-input';
import { clockView, requestSummary } from '../../domain/console/view';
import { InvalidInput } from '../../domain/errors';
import { getPolicy, isPolicyId, listPolicies } from '../../domain/policy/registry';
import type { CalendarSource, Clock, RequestRepository } from '../ports';
import { cursorAfter } from '../request-list';

/** Index pages read per call at most, so a sparse filter answers quickly with a cursor instead of reading on. */
const MAX_PAGE_READS = 10;

/** A policy filter that names no policy. */
export class ListPolicyUnknown extends InvalidInput {
  override readonly name = 'ListPolicyUnknown' as const;
  readonly code = 'invalid-field';
  override readonly field = 'policy';
  constructor(policy: string) {
    super(`policy: no policy '${policy}'`);
  }
}

export interface ListDeps {
  readonly requests: RequestRepository;
  readonly calendars: CalendarSource;
  readonly clock: Clock;
}

export interface RequestList {
  readonly requests: ReturnType<typeof requestSummary>[];
  readonly nextCursor: string | null;
}

/**
 * Today in every zone the listed requests may be in: due dates are plain
 * dates in each policy's zone, so the key bound takes the widest day and
 * each row is then judged in its own zone.
 */
function todays(filter: ListQuery, now: Date): { earliest: PlainDate; latest: PlainDate } {
  const zones = filter.policy ? [getPolicy(filter.policy).timeZone] : listPolicies().map((p) => p.timeZone);
  const days = [...new Set(zones)].map((zone) => plainDateInZone(now, zone)).sort(compareDates);
  return { earliest: days[0]!, latest: days.at(-1)! };
}

export async function listRequests(deps: ListDeps, query: ListQuery): Promise<RequestList> {
  if (query.policy !== undefined && !isPolicyId(query.policy)) throw new ListPolicyUnknown(query.policy);
  const now = deps.clock.now();
  const calendars = await deps.calendars.calendars();
  const { earliest, latest } = todays(query, now);
  const { limit, cursor, ...filters } = query;
  // Overdue is read up to the latest today and not-overdue from the earliest, then judged per zone below.
  const filter = { ...filters, today: query.overdue === false ? earliest : latest };
  const rows: ReturnType<typeof requestSummary>[] = [];
  let next: string | undefined;
  let reads = 0;
  const pages = deps.requests.listRequests(filter, { pageSize: limit, ...(cursor ? { from: cursor } : {}) });
  for await (const page of pages) {
    reads += 1;
    next = page.cursor;
    for (const [position, record] of page.records.entries()) {
      const policy = getPolicy(record.policyId);
      const today = plainDateInZone(now, policy.timeZone);
      if (
        query.overdue !== undefined &&
        clockView(record, policy, today, calendars).overdue !== query.overdue
      )
        continue;
      rows.push(requestSummary(record, policy, today, calendars));
      // A full page before the end of what was read: the next page starts right after this request.
      if (rows.length === limit && position < page.records.length - 1) next = cursorAfter(filter, record);
      if (rows.length === limit) break;
    }
    if (rows.length >= limit || reads >= MAX_PAGE_READS || next === undefined) break;
  }
  return { requests: rows, nextCursor: next ?? null };
}
