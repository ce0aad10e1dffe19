/**
 * A client of the local pipeline, as a requester and an operator would use
 * it: HTTP with fetch, the outbox for the mail the pipeline sent, and the
 * tables read through the stack's DynamoDB endpoint with the local
 * credentials. No handler code is imported: what the tests see is what a
 * client sees.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../../domain/audit';
import type { RequestRecord } from '../../../domain/request-record';
import { localDynamoDbClient, localTableNames } from '../../../local/dynamodb';
import type { OutboxMessage } from '../../../local/outbox';
import type { SmsMessage } from '../../../local/sms-outbox';

export interface StackUrls {
  readonly api: string;
  readonly outbox: string;
  readonly dynamodb: string;
}

export interface JsonAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

/** A fresh address per test, so no test sees another's requests or mail. */
export function uniqueEmail(label: string): string {
  return `${label}.${randomUUID().slice(0, 8)}@example.com`;
}

/** A token of the right shape that no request was ever given. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A request id of the right shape that no request has. */
export function unknownRequestId(): string {
  return `dsr-${randomUUID()}`;
}

export async function call(
  url: string,
  init: { method?: string; body?: string | Uint8Array; headers?: Record<string, string> } = {},
): Promise<JsonAnswer> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    ...(init.body === undefined ? {} : { body: init.body }),
    headers: init.headers ?? {},
  });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { unparsed: text };
  }
  return { status: response.status, body, headers: response.headers };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return call(url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function submitRequest(stack: StackUrls, submission: unknown, headers: Record<string, string> = {}) {
  return postJson(`${stack.api}/v1/requests`, submission, headers);
}

export function verifyCode(stack: StackUrls, requestId: string, code: string) {
  return postJson(`${stack.api}/v1/requests/${requestId}/verify`, { code });
}

export function requestStatus(stack: StackUrls, requestId: string, token: string) {
  return call(`${stack.api}/v1/requests/${requestId}?token=${encodeURIComponent(token)}`);
}

export function resendCode(stack: StackUrls, requestId: string) {
  return postJson(`${stack.api}/v1/requests/${requestId}/verification-code`, {});
}

/** Every message the pipeline has sent so far, newest first. */
export async function outbox(stack: StackUrls): Promise<OutboxMessage[]> {
  const response = await fetch(`${stack.outbox}.json`);
  return (await response.json()) as OutboxMessage[];
}

export async function mailTo(stack: StackUrls, address: string): Promise<OutboxMessage[]> {
  return (await outbox(stack)).filter((message) => message.to.includes(address));
}

/** Every SMS the pipeline has sent so far, newest first (the SMS outbox's `/sms.json`). */
export async function smsOutbox(stack: { readonly smsOutbox: string }): Promise<SmsMessage[]> {
  const response = await fetch(`${stack.smsOutbox}.json`);
  return (await response.json()) as SmsMessage[];
}

/** Waits for the `count`-th SMS to `phone` (E.164) and returns the newest. */
export async function waitForSms(
  stack: { readonly smsOutbox: string },
  phone: string,
  count = 1,
): Promise<SmsMessage> {
  return eventually(async () => {
    const messages = (await smsOutbox(stack)).filter((message) => message.to === phone);
    return messages.length >= count ? messages[0] : undefined;
  }, `SMS number ${count} to a test number`);
}

/** The one-time code in a verification SMS (the only run of six or more digits in it). */
export function codeInSms(message: SmsMessage): string {
  const match = /\b(\d{6,10})\b/.exec(message.text.replace(/【[^】]*】/, ''));
  if (!match) throw new Error('No verification code in the SMS');
  return match[1]!;
}

/** Polls until `probe` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits for the `count`-th message to `address` and returns the newest. */
export async function waitForMail(stack: StackUrls, address: string, count = 1): Promise<OutboxMessage> {
  return eventually(async () => {
    const messages = await mailTo(stack, address);
    return messages.length >= count ? messages[0] : undefined;
  }, `mail number ${count} to a test address`);
}

/** The one-time code in a verification mail. */
export function codeIn(message: OutboxMessage): string {
  const match = /verification code is: (\d+)/.exec(message.text);
  if (!match) throw new Error('No verification code in the message');
  return match[1]!;
}

/** A code that is certainly not `code`. */
export function wrongCodeFor(code: string): string {
  return String((Number(code) + 1) % 10 ** code.length).padStart(code.length, '0');
}

/** Reads the pipeline's tables as an operator would, through the stack's DynamoDB endpoint. */
export function pipelineTables(stack: StackUrls) {
  const tables = localTableNames();
  const documents = DynamoDBDocumentClient.from(localDynamoDbClient(stack.dynamodb));
  return {
    async request(requestId: string): Promise<RequestRecord | undefined> {
      const { Item } = await documents.send(
        new GetCommand({ TableName: tables.REQUESTS_TABLE, Key: { requestId }, ConsistentRead: true }),
      );
      return Item as RequestRecord | undefined;
    },
    async auditTrail(requestId: string): Promise<AuditEvent[]> {
      const events: AuditEvent[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(
          new QueryCommand({
            TableName: tables.AUDIT_TABLE,
            KeyConditionExpression: 'requestId = :id',
            ExpressionAttributeValues: { ':id': requestId },
            ExclusiveStartKey: startKey,
            ConsistentRead: true,
          }),
        );
        events.push(...((page.Items ?? []) as AuditEvent[]));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return events;
    },
  };
}
