/**
 * GET /v1/console/reports — the console report (domain/reports/report.ts):
 * open, due within 3 days, overdue, breached, closed on time or late and the
 * median days to close, overall, per policy and per channel, for requests
 * received in an optional day range; JSON, or CSV for a spreadsheet.
 *
 * Reads every status partition of the byStatus index, every page, never a
 * Scan, and projects only the fields the report counts: no identifiers or
 * other personal data leave the table for a report.
 */
import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../adapters/aws/clients/dynamodb';
import { requiredEnv } from '../../adapters/aws/runtime';
import { type ConsoleEvent, consoleRoute } from '../../adapters/lambda/console-api';
import { jsonResponse } from '../../adapters/lambda/http-api';
import { BY_STATUS } from '../../app/request-list';
import { REQUEST_STATUSES, type RequestStatus } from '../../domain/lifecycle';
import { listPolicies } from '../../domain/policy/registry';
import { reportCsv } from '../../domain/reports/csv';
import { buildReport, type ReportRecord } from '../../domain/reports/report';
import { type ReportQuery, ReportQuerySchema } from '../../domain/reports/report-input';

/** The attributes of ReportRecord, by placeholder (`status` is a DynamoDB reserved word). */
const PROJECTION = {
  '#policyId': 'policyId',
  '#channel': 'channel',
  '#status': 'status',
  '#receivedAt': 'receivedAt',
  '#closedAt': 'closedAt',
  '#pausedSince': 'pausedSince',
  '#breach': 'breach',
  '#deadline': 'deadline',
  '#dueDate': 'dueDate',
};
const PROJECTION_EXPRESSION =
  '#policyId, #channel, #status, #receivedAt, #closedAt, #pausedSince, #breach, #deadline.#dueDate';

/** Every request in one status, page after page. */
async function requestsIn(table: string, status: RequestStatus): Promise<ReportRecord[]> {
  const records: ReportRecord[] = [];
  let startKey: QueryCommandOutput['LastEvaluatedKey'];
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: table,
        IndexName: BY_STATUS,
        KeyConditionExpression: '#status = :status',
        ExpressionAttributeNames: PROJECTION,
        ExpressionAttributeValues: { ':status': status },
        ProjectionExpression: PROJECTION_EXPRESSION,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    records.push(...((page.Items ?? []) as ReportRecord[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return records;
}

async function report(event: ConsoleEvent<undefined, ReportQuery>) {
  const { from, to, format } = event.query;
  const table = requiredEnv('REQUESTS_TABLE');
  const records = (await Promise.all(REQUEST_STATUSES.map((status) => requestsIn(table, status)))).flat();
  const asOf = new Date();
  const built = buildReport({
    records,
    policies: listPolicies(),
    asOf,
    ...(from ? { receivedFrom: from } : {}),
    ...(to ? { receivedTo: to } : {}),
  });
  if (format === 'json') return jsonResponse(200, built);
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="dsar-report-${asOf.toISOString().slice(0, 10)}.csv"`,
      'cache-control': 'no-store',
    },
    body: reportCsv(built),
  };
}

export const handler = consoleRoute({ query: ReportQuerySchema }, report);
