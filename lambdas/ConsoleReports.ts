/** ConsoleReports: GET /v1/console/reports, JSON or CSV for a spreadsheet (app/console/reports.ts). */

import { requestRepository } from '../adapters/aws/request-store';
import { consoleRoute } from '../adapters/lambda/console-api';
import { jsonResponse } from '../adapters/lambda/http-api';
import { consoleReport } from '../app/console/reports';
import { systemClock } from '../app/ports';
import { reportCsv } from '../domain/reports/csv';
import { ReportQuerySchema } from '../domain/reports/report-input';

const deps = { requests: requestRepository, clock: systemClock };

export const handler = consoleRoute({ query: ReportQuerySchema }, async ({ query }) => {
  const report = await consoleReport(deps, query);
  if (query.format === 'json') return jsonResponse(200, report);
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="dsar-report-${report.asOf.slice(0, 10)}.csv"`,
      'cache-control': 'no-store',
    },
    body: reportCsv(report),
  };
});
