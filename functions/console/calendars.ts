/**
 * The official calendars in the console (domain/console/calendar-import.ts):
 *
 * - `GET /v1/console/calendars`: every calendar's official years with their source, packaged or
 *   imported (who, when, SHA-256), and `nextYearMissing` from 1 November (Beijing time) while next
 *   year's notice is not in;
 * - `PUT /v1/console/calendars/{calendarId}/notices/{year}` (supervisors): imports a State Council
 *   notice, so a new year's dates become official without a release. The body is checked by the code
 *   that checks the packaged notices; every problem of a bad file is listed in a 400. The notice, its
 *   audit event and the trail's head are one transaction (adapters/aws/calendar-import-store.ts).
 *
 * `npx dsar calendar import|status` call these routes, so the one code path validates, stores and audits.
 */
import { z } from 'zod';
import { readStoredNotice, storeImportedNotice } from '../../adapters/aws/calendar-import-store';
import { listImportedNotices, type StoredNotice } from '../../adapters/aws/calendar-notices';
import {
  type ConsoleEvent,
  consoleRoute,
  consoleRoutes,
  consoleRouteWithBody,
} from '../../adapters/lambda/console-api';
import { jsonResponse } from '../../adapters/lambda/http-api';
import { checkNotice } from '../../domain/clock';
import {
  calendarsOverview,
  noticeSha256,
  noticeSummary,
  planImport,
} from '../../domain/console/calendar-import';

/** Any JSON object: the notice's own check (checkNotice) lists every problem, where a schema would name one. */
const NoticeBody = z.record(z.string(), z.unknown());
export const ImportQuerySchema = z.strictObject({
  replace: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});

/** Where "now" comes from: the clock, unless a test says otherwise. */
export interface CalendarRouteOptions {
  readonly now?: () => Date;
}

export function calendarHandlers(options: CalendarRouteOptions = {}) {
  const now = options.now ?? (() => new Date());

  async function status(_event: ConsoleEvent<undefined, Record<string, never>>) {
    return jsonResponse(200, calendarsOverview(await listImportedNotices(), now()));
  }

  async function importNotice(
    event: ConsoleEvent<Record<string, unknown>, z.output<typeof ImportQuerySchema>>,
  ) {
    const path = event.pathParameters as { calendarId: 'cn-state-council'; year: string };
    const year = Number(path.year);
    const replace = event.query.replace === true;
    const checked = checkNotice(event.body, path.calendarId);
    const existing = await readStoredNotice(path.calendarId, year);
    const plan = planImport({ calendarId: path.calendarId, pathYear: year, checked, replace, existing });
    const at = now().toISOString();
    const stored: StoredNotice = {
      calendarId: path.calendarId,
      year,
      notice: checked.notice,
      importedAt: at,
      importedBy: event.caller.agentId,
      sha256: noticeSha256(checked.notice),
    };
    const summary = noticeSummary(checked);
    const audit = await storeImportedNotice(
      stored,
      {
        type: 'calendar-notice-imported',
        actor: event.caller.actor,
        at,
        details: {
          calendarId: path.calendarId,
          year,
          sha256: stored.sha256,
          documentNumber: checked.notice.source.documentNumber,
          url: checked.notice.source.url,
          published: checked.notice.source.published,
          holidays: summary.holidays,
          makeUpWorkdays: summary.makeUpWorkdays,
          replaces: plan.replaces,
          ...(existing ? { replacedSha256: existing.sha256 } : {}),
        },
      },
      { replace },
    );
    return jsonResponse(plan.replaces === null ? 201 : 200, {
      status: plan.replaces === null ? 'imported' : 'replaced',
      replaces: plan.replaces,
      calendarId: path.calendarId,
      year,
      sha256: stored.sha256,
      importedAt: at,
      importedBy: stored.importedBy,
      audit: { trail: audit.requestId, seq: audit.seq, hash: audit.hash },
      summary,
    });
  }

  return consoleRoutes({
    'GET /v1/console/calendars': consoleRoute({}, status),
    'PUT /v1/console/calendars/{calendarId}/notices/{year}': consoleRouteWithBody(
      { schema: NoticeBody, query: ImportQuerySchema },
      importNotice,
    ),
  });
}

export const handler = calendarHandlers();
