/**
 * A console user's client of the local pipeline: tokens minted from the
 * stack's own issuer key (as `npx dsar token` does), HTTP calls with them, the
 * outbox for what requesters were mailed, and the tables read through the
 * stack's DynamoDB endpoint. `simulateElapsedTime` rewrites stored dates to
 * stand for days that passed: the only writes the tests make behind the API.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import type { ConsoleRole } from '../../../definitions/console-roles';
import type { AuditEvent } from '../../../domain/audit';
import { dueSortKey, type RequestRecord } from '../../../domain/request-record';
import { mintConsoleToken } from '../../../local/console-issuer';
import { localDynamoDbClient, localTableNames } from '../../../local/dynamodb';
import type { OutboxMessage } from '../../../local/outbox';
import { eventually } from '../support/pipeline';

export { eventually };

export const CONSOLE = '/v1/console/requests';

export function stack() {
  return inject('stack');
}

export function tokenFor(
  roles: ConsoleRole | readonly ConsoleRole[],
  user = `${[roles].flat()[0]}-${randomUUID().slice(0, 6)}`,
) {
  return mintConsoleToken({ stateDir: stack().stateDir, roles: [roles].flat(), user });
}

/** A parsed JSON answer: its shape is what the assertions check. */
// biome-ignore lint/suspicious/noExplicitAny: answers are arbitrary JSON, read field by field in the tests
type Json = any;

export interface Answer {
  readonly status: number;
  readonly body: Record<string, Json>;
}

export async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await fetch(`${stack().api}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: Record<string, Json>;
  try {
    body = JSON.parse(text) as Record<string, Json>;
  } catch {
    body = { unparsed: text };
  }
  return { status: response.status, body };
}

export const get = (path: string, token?: string) => call('GET', path, token ? { token } : {});
export const post = (path: string, token: string, body: unknown = {}) => call('POST', path, { token, body });

/** A fresh mailbox per test, so no test sees another's requests or mail. */
export function uniqueEmail(label: string): string {
  return `${label}.${randomUUID().slice(0, 8)}@example.com`;
}

/** Creates a request as an agent at the counter, the identity card checked, unless told otherwise. */
export async function createRequest(token: string, body: Record<string, unknown>): Promise<Answer> {
  return post(CONSOLE, token, {
    receivedVia: 'counter',
    identityCheck: { method: 'id-document', note: 'Resident identity card shown at the counter' },
    ...body,
  });
}

export async function createdId(token: string, body: Record<string, unknown>): Promise<string> {
  const answer = await createRequest(token, body);
  if (answer.status !== 201)
    throw new Error(`create failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.requestId as string;
}

export async function detail(id: string, token = tokenFor('auditor')): Promise<Answer> {
  return get(`${CONSOLE}/${id}`, token);
}

/** The types of a request's audit events, in order. */
export async function timelineTypes(id: string): Promise<string[]> {
  return ((await detail(id)).body.timeline as AuditEvent[]).map((event) => event.type);
}

export async function lastEvent(id: string, type: string): Promise<AuditEvent> {
  const events = (await detail(id)).body.timeline as AuditEvent[];
  const event = events.filter((candidate) => candidate.type === type).at(-1);
  if (!event) throw new Error(`no ${type} event`);
  return event;
}

export async function mailTo(address: string): Promise<OutboxMessage[]> {
  const response = await fetch(`${stack().outbox}.json`);
  return ((await response.json()) as OutboxMessage[]).filter((message) => message.to.includes(address));
}

/** Waits for a message to `address` whose subject contains `subject`. */
export function waitForMail(address: string, subject: string): Promise<OutboxMessage> {
  return eventually(
    async () => (await mailTo(address)).find((message) => message.subject.includes(subject)),
    `a mail "${subject}" to a test address`,
  );
}

function documents() {
  return DynamoDBDocumentClient.from(localDynamoDbClient(stack().dynamodb));
}

export async function storedRequest(id: string): Promise<RequestRecord> {
  const { Item } = await documents().send(
    new GetCommand({
      TableName: localTableNames().REQUESTS_TABLE,
      Key: { requestId: id },
      ConsistentRead: true,
    }),
  );
  return Item as RequestRecord;
}

/**
 * Stands for time that passed: sets stored fields (a receipt or pause days
 * ago) as if the request had been stored then. Leaves `version` alone, as the
 * next console action reads the request afresh.
 */
export async function simulateElapsedTime(id: string, fields: Partial<RequestRecord>): Promise<void> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  // A moved due date moves its index key too, as every real write does (the list sorts by that key).
  const withKeys = fields.deadline
    ? { ...fields, dueSortKey: dueSortKey(id, fields.deadline.dueDate) }
    : fields;
  const sets = Object.entries(withKeys).map(([name, value], index) => {
    names[`#n${index}`] = name;
    values[`:v${index}`] = value;
    return `#n${index} = :v${index}`;
  });
  await documents().send(
    new UpdateCommand({
      TableName: localTableNames().REQUESTS_TABLE,
      Key: { requestId: id },
      UpdateExpression: `SET ${sets.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
}
