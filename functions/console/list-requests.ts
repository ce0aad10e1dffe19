/**
 * GET /v1/console/requests — the work queue: requests in due-date order,
 * filtered by status, type, policy, channel, due date, overdue, triage and
 * assignee, one page at a time with an opaque cursor. Open requests come from
 * the sparse byDueDate index, a status filter reads the byStatus index; never
 * a Scan (see list-query.ts and docs/architecture.md for the limits).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { loadCalendars } from '../../adapters/aws/calendar-notices';
import { documentClient } from '../../adapters/aws/clients/dynamodb';
import { requiredEnv } from '../../adapters/aws/runtime';
import { type ConsoleEvent, consoleRoute } from '../../adapters/lambda/console-api';
import { jsonResponse } from '../../adapters/lambda/http-api';
import { HttpProblem } from '../../adapters/lambda/http-problem';
import { compareDates, type PlainDate, plainDateInZone } from '../../domain/clock';
import { type ListQuery, ListQuerySchema } from '../../domain/console/console-input';
import { clockView, requestSummary } from '../../domain/console/view';
import { getPolicy, isPolicyId, listPolicies } from '../../domain/policy/registry';
import type { RequestRecord } from '../../domain/request-record';
import { decodeCursor, encodeCursor, listIndexFor, listQueryInput } from './list-query';

/** Query pages read per call at most, so a sparse filter answers quickly with a cursor instead of reading on. */
const MAX_PAGE_READS = 10;

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

async function listRequests(event: ConsoleEvent<undefined, ListQuery>) {
  const filter = event.query;
  if (filter.policy !== undefined && !isPolicyId(filter.policy)) {
    throw new HttpProblem(400, 'invalid-field', `policy: no policy '${filter.policy}'`, 'policy');
  }
  const now = new Date();
  const calendars = await loadCalendars();
  const { earliest, latest } = todays(filter, now);
  const index = listIndexFor(filter);
  const table = requiredEnv('REQUESTS_TABLE');
  const rows: ReturnType<typeof requestSummary>[] = [];
  let startKey = filter.cursor ? decodeCursor(filter.cursor, index) : undefined;
  for (let reads = 0; rows.length < filter.limit && reads < MAX_PAGE_READS; reads++) {
    // Overdue is read up to the latest today and not-overdue from the earliest, then judged per zone below.
    const input = listQueryInput(
      table,
      filter,
      filter.overdue === false ? earliest : latest,
      filter.limit - rows.length,
      startKey,
    );
    if (!input) {
      startKey = undefined;
      break;
    }
    const page = await documentClient.send(new QueryCommand(input));
    for (const item of (page.Items ?? []) as RequestRecord[]) {
      const policy = getPolicy(item.policyId);
      const today = plainDateInZone(now, policy.timeZone);
      if (
        filter.overdue !== undefined &&
        clockView(item, policy, today, calendars).overdue !== filter.overdue
      )
        continue;
      rows.push(requestSummary(item, policy, today, calendars));
    }
    startKey = page.LastEvaluatedKey as Record<string, string> | undefined;
    if (!startKey) break;
  }
  return jsonResponse(200, {
    requests: rows,
    nextCursor: startKey ? encodeCursor(index, startKey) : null,
  });
}

export const handler = consoleRoute({ query: ListQuerySchema }, listRequests);
