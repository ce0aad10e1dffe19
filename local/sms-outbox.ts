/**
 * Amazon SNS SMS for local mode: the SMS outbox, beside the mail outbox (local/outbox.ts, which
 * serves these routes on the same port).
 *
 * Why it exists: the pipeline sends one-time codes to a phone number with SNS `Publish`
 * (adapters/aws/clients/sns.ts). In local mode AWS_ENDPOINT_URL_SNS points here, so the same code
 * sends, nothing leaves the machine, and a developer (or a test) reads what would have been sent:
 * `GET /sms` in a browser, `GET /sms.json` (every message, newest first), or `readSmsOutbox(stateDir)`.
 *
 * What it reproduces: the AWS query protocol's `POST /` with a form-encoded body
 * `Action=Publish&PhoneNumber=…&Message=…` (message attributes are accepted and ignored), the XML
 * `PublishResponse` with a MessageId, and `InvalidParameter` errors (400, XML `ErrorResponse`) for a
 * number that is not E.164, an empty or over-long message, or a topic or endpoint target.
 *
 * What it does not: topics, subscriptions, sandbox and opt-out lists, spending limits, sender ids,
 * signature checks. Each message is kept as `<stateDir>/sms/<time>-<n>.json`; nothing about them is
 * logged (they carry phone numbers and codes).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

/** SNS's limit on an SMS message: 1600 bytes (split into segments by the carrier). */
const MAX_MESSAGE_BYTES = 1600;
const MAX_REQUEST_BYTES = 64 * 1024;
const E164 = /^\+[1-9]\d{5,14}$/;
const SMS_FILE = /^[0-9A-Za-z][0-9A-Za-z._-]*\.json$/;

export interface SmsMessage {
  /** File name in `<stateDir>/sms/`. */
  readonly file: string;
  /** ISO time the outbox received the message. */
  readonly date: string;
  readonly messageId: string;
  /** The E.164 number it was published to. */
  readonly to: string;
  readonly text: string;
  /** `AWS.SNS.SMS.SMSType`, when the publisher set it. */
  readonly smsType?: string;
}

/** A Publish SNS would refuse; answered as InvalidParameter. */
class InvalidParameter extends Error {
  override name = 'InvalidParameter' as const;
}

export function smsOutboxDir(stateDir: string): string {
  return join(stateDir, 'sms');
}

let lastStamp = '';
let sequence = 0;

/** Names that sort in the order messages arrived, as the mail outbox's do. */
function fileName(now: Date): string {
  const stamp = now.toISOString().replace(/:/g, '-');
  sequence = stamp === lastStamp ? sequence + 1 : 0;
  lastStamp = stamp;
  return `${stamp}-${String(sequence).padStart(3, '0')}-${randomUUID().slice(0, 8)}.json`;
}

/** Stores one Publish to a phone number and returns its message id. */
export async function publishToOutbox(stateDir: string, form: URLSearchParams): Promise<string> {
  if (form.has('TopicArn') || form.has('TargetArn')) {
    throw new InvalidParameter('The local SMS outbox takes Publish to a PhoneNumber only');
  }
  const to = form.get('PhoneNumber') ?? '';
  if (!E164.test(to)) throw new InvalidParameter('Invalid parameter: PhoneNumber Reason: not E.164');
  const text = form.get('Message') ?? '';
  if (text === '') throw new InvalidParameter('Invalid parameter: Empty message');
  if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES) {
    throw new InvalidParameter(`Invalid parameter: Message too long (over ${MAX_MESSAGE_BYTES} bytes)`);
  }
  let smsType: string | undefined;
  for (let entry = 1; form.has(`MessageAttributes.entry.${entry}.Name`); entry++) {
    if (form.get(`MessageAttributes.entry.${entry}.Name`) === 'AWS.SNS.SMS.SMSType') {
      smsType = form.get(`MessageAttributes.entry.${entry}.Value.StringValue`) ?? undefined;
    }
  }
  const now = new Date();
  const messageId = randomUUID();
  const file = fileName(now);
  const message: SmsMessage = {
    file,
    date: now.toISOString(),
    messageId,
    to,
    text,
    ...(smsType === undefined ? {} : { smsType }),
  };
  await writeFile(join(smsOutboxDir(stateDir), file), JSON.stringify(message), { flag: 'wx' });
  return messageId;
}

/** Every SMS in `<stateDir>/sms/`, newest first. */
export async function readSmsOutbox(stateDir: string): Promise<SmsMessage[]> {
  let files: string[];
  try {
    files = await readdir(smsOutboxDir(stateDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const names = files.filter((file) => SMS_FILE.test(file)).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  return Promise.all(
    names.map(
      async (file) => JSON.parse(await readFile(join(smsOutboxDir(stateDir), file), 'utf8')) as SmsMessage,
    ),
  );
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export function renderSmsOutboxPage(messages: readonly SmsMessage[]): string {
  const rows = messages
    .map(
      (message) =>
        `<tr><td>${escapeXml(message.date)}</td><td>${escapeXml(message.to)}</td><td>${escapeXml(message.text)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Local SMS outbox</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}
td,th{border-bottom:1px solid #ddd;padding:.4rem .8rem;text-align:left}</style></head>
<body><h1>Local SMS outbox</h1><p>${messages.length} message(s), newest first. Nothing here was sent.</p>
<table><thead><tr><th>Sent</th><th>To</th><th>Text</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_REQUEST_BYTES) throw new InvalidParameter('The request is too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

const SNS_NAMESPACE = 'https://sns.amazonaws.com/doc/2010-03-31/';

/**
 * Answers the SMS outbox's routes; false for any other request (the mail outbox's). A Publish is a
 * form-encoded POST to `/` (the query protocol's only path).
 */
export async function routeSmsOutbox(
  stateDir: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<boolean> {
  const path = (request.url ?? '/').split('?')[0];
  const contentType = request.headers['content-type'] ?? '';
  if (
    request.method === 'POST' &&
    path === '/' &&
    contentType.startsWith('application/x-www-form-urlencoded')
  ) {
    const requestId = randomUUID();
    try {
      const form = await readForm(request);
      if (form.get('Action') !== 'Publish') {
        throw new InvalidParameter(
          `The local SMS outbox answers Publish only, not ${form.get('Action') ?? '(none)'}`,
        );
      }
      const messageId = await publishToOutbox(stateDir, form);
      send(
        response,
        200,
        'text/xml',
        `<PublishResponse xmlns="${SNS_NAMESPACE}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    } catch (error) {
      if (!(error instanceof InvalidParameter)) throw error;
      send(
        response,
        400,
        'text/xml',
        `<ErrorResponse xmlns="${SNS_NAMESPACE}"><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    }
    return true;
  }
  if (request.method === 'GET' && (path === '/sms' || path === '/sms/')) {
    send(response, 200, 'text/html; charset=utf-8', renderSmsOutboxPage(await readSmsOutbox(stateDir)));
    return true;
  }
  if (request.method === 'GET' && path === '/sms.json') {
    send(response, 200, 'application/json', JSON.stringify(await readSmsOutbox(stateDir)));
    return true;
  }
  return false;
}

export async function prepareSmsOutbox(stateDir: string): Promise<void> {
  await mkdir(smsOutboxDir(stateDir), { recursive: true });
}
