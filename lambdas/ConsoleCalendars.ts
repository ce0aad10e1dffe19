/** ConsoleCalendars: the official calendars' years and sources; imports a year's notice (app/console/calendars.ts). */

import { calendarNoticeStore } from '../adapters/aws/calendar-import-store';
import { consoleRoute, consoleRoutes, consoleRouteWithBody } from '../adapters/lambda/console-api';
import { jsonResponse } from '../adapters/lambda/http-api';
import { calendarsStatus, importNotice } from '../app/console/calendars';
import { systemClock } from '../app/ports';
import type { ImportableCalendar } from '../domain/console/calendar-import';
import { ImportQuerySchema, NoticeBodySchema } from '../domain/console/console-input';

const deps = { notices: calendarNoticeStore, clock: systemClock };

export const handler = consoleRoutes({
  'GET /v1/console/calendars': consoleRoute({}, async () => jsonResponse(200, await calendarsStatus(deps))),
  'PUT /v1/console/calendars/{calendarId}/notices/{year}': consoleRouteWithBody(
    { schema: NoticeBodySchema, query: ImportQuerySchema },
    async ({ body, caller, pathParameters, query }) => {
      // The path is validated by the console stack: an importable calendar, a year written YYYY.
      const path = pathParameters as { calendarId: ImportableCalendar; year: string };
      const imported = await importNotice(deps, caller, {
        calendarId: path.calendarId,
        year: Number(path.year),
        body,
        replace: query.replace === true,
      });
      return jsonResponse(imported.status === 'imported' ? 201 : 200, imported);
    },
  ),
});
