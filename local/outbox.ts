/**
 * SES outbound mail for local mode: a catcher that answers the SES v2
 * SendEmail API and keeps every message as an .eml file.
 *
 * Why it exists: the pipeline sends verification codes, status updates and
 * download links with the SES v2 client (`SendEmail`, with `Content.Raw` built
 * by nodemailer's MailComposer, or `Content.Simple`). In local mode
 * AWS_ENDPOINT_URL_SESV2 points here, so the same code sends, nothing leaves
 * the machine, and a developer (or a test) reads what would have been sent:
 * `GET /outbox` in a browser, `GET /outbox.json`, or `readOutbox(stateDir)`.
 *
 * Listing: `GET /outbox.json` answers every message, newest first (the answer
 * the test helpers read); `GET /outbox.json?limit=&before=` answers one page of
 * at most `limit` messages older than the file named `before`, with a
 * `Link: <…>; rel="next"` header while older ones remain. The HTML page shows
 * one page at a time. Whatever the outbox holds, at most
 * OUTBOX_READ_CONCURRENCY message files are open at once: the directory is
 * listed, the names sorted (they start with the time sent), and only the
 * files wanted are read.
 *
 * What it reproduces: the REST-JSON route `POST /v2/email/outbound-emails`,
 * its request shape (FromEmailAddress, Destination, ReplyToAddresses,
 * Content.Raw.Data as base64, or Content.Simple with Subject, Body.Text/Html,
 * Headers and Attachments), recipients taken from Destination or else from
 * the raw message's To/Cc/Bcc, a `{ MessageId }` answer, and
 * BadRequestException errors for requests SES would refuse.
 *
 * What it does not: templates, identities and sending authorisation,
 * configuration sets, suppression lists, quotas, DKIM signing, or the headers
 * SES rewrites. Each stored message starts with the Return-Path and one
 * Delivered-To line per envelope recipient (Bcc included), as a receiving
 * mail server would add them. The outbox is served on 127.0.0.1 only and logs
 * nothing about the messages (they carry personal data).
 *
 * The same server is the SMS outbox (local/sms-outbox.ts): SNS `Publish` to a phone number, read
 * back at `/sms` and `/sms.json`; local mode points AWS_ENDPOINT_URL_SNS here too.
 */

import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { type AddressObject, simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { z } from 'zod';
import { closeServer, LOOPBACK_HOST, listenOnLoopback } from './ports';
import { prepareSmsOutbox, routeSmsOutbox } from './sms-outbox';

/** SES's own limit on a message, including attachments. */
const MAX_REQUEST_BYTES = 40 * 1024 * 1024;
const EML_FILE = /^[0-9A-Za-z][0-9A-Za-z._-]*\.eml$/;

/** The most message files a listing reads at once. */
export const OUTBOX_READ_CONCURRENCY = 16;
/** The largest page `?limit=` may ask for. */
export const OUTBOX_MAX_PAGE_SIZE = 1000;
/** The page size of the HTML page, and of `/outbox.json?before=` without a limit. */
export const OUTBOX_DEFAULT_PAGE_SIZE = 100;

/** A SendEmail request SES would refuse; answered as BadRequestException. */
export class OutboxBadRequestError extends Error {
  override name = 'BadRequestException' as const;
}

export interface OutboxOptions {
  /** Messages are kept in `<stateDir>/outbox/`. */
  readonly stateDir: string;
  /** @default 0 (a free port) */
  readonly port?: number;
}

export interface Outbox {
  /** `http://127.0.0.1:<port>`, the value for AWS_ENDPOINT_URL_SESV2 and AWS_ENDPOINT_URL_SNS; `/outbox` and `/sms` are the pages to open. */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface OutboxMessage {
  /** File name in `<stateDir>/outbox/`, also served at `/outbox/<file>`. */
  readonly file: string;
  /** ISO time the outbox received the message (a raw message's own Date header may say anything). */
  readonly date: string;
  readonly from: string;
  /** Envelope recipients, Bcc included. */
  readonly to: readonly string[];
  readonly subject: string;
  /** The plain-text body (derived from the HTML when there is no text part). */
  readonly text: string;
}

/** The parts of an SES v2 SendEmail request the outbox uses. */
interface SendEmailRequest {
  readonly FromEmailAddress?: string;
  readonly Destination?: {
    readonly ToAddresses?: readonly string[];
    readonly CcAddresses?: readonly string[];
    readonly BccAddresses?: readonly string[];
  };
  readonly ReplyToAddresses?: readonly string[];
  readonly Content?: {
    readonly Raw?: { readonly Data?: string };
    readonly Simple?: SimpleMessage;
    readonly Template?: unknown;
  };
}

interface SimpleMessage {
  readonly Subject?: { readonly Data?: string };
  readonly Body?: { readonly Text?: { readonly Data?: string }; readonly Html?: { readonly Data?: string } };
  readonly Headers?: readonly { readonly Name: string; readonly Value: string }[];
  readonly Attachments?: readonly {
    readonly RawContent: string;
    readonly FileName: string;
    readonly ContentType?: string;
    readonly ContentDisposition?: string;
    readonly ContentId?: string;
    readonly ContentTransferEncoding?: string;
    readonly ContentDescription?: string;
  }[];
}

function outboxDir(stateDir: string): string {
  return join(stateDir, 'outbox');
}

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value.flatMap((entry) => (entry.address ? [entry.address] : [])));
}

/** SES message ids look like `0100018e5b2a3c4d-<uuid>-000000`. */
function sesMessageId(now: Date): string {
  return `0100${now.getTime().toString(16).padStart(12, '0')}-${randomUUID()}-000000`;
}

/** The MIME message SES would build from `Content.Simple`. */
async function composeSimple(request: SendEmailRequest, simple: SimpleMessage, messageId: string, now: Date) {
  const composer = new MailComposer({
    from: request.FromEmailAddress,
    to: [...(request.Destination?.ToAddresses ?? [])],
    cc: [...(request.Destination?.CcAddresses ?? [])],
    replyTo: request.ReplyToAddresses === undefined ? undefined : [...request.ReplyToAddresses],
    subject: simple.Subject?.Data ?? '',
    text: simple.Body?.Text?.Data,
    html: simple.Body?.Html?.Data,
    headers: Object.fromEntries((simple.Headers ?? []).map((header) => [header.Name, header.Value])),
    attachments: (simple.Attachments ?? []).map((attachment) => ({
      filename: attachment.FileName,
      content: Buffer.from(attachment.RawContent, 'base64'),
      contentType: attachment.ContentType,
      contentDisposition: attachment.ContentDisposition === 'INLINE' ? 'inline' : 'attachment',
      cid: attachment.ContentId,
    })),
    messageId: `<${messageId}@email.amazonses.com>`,
    date: now,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}

/** Validates a SendEmail request and builds the message and its envelope, as SES would send them. */
async function prepareMessage(request: SendEmailRequest, messageId: string, now: Date) {
  const content = request.Content;
  if (content?.Template !== undefined) {
    throw new OutboxBadRequestError('Templates are not supported by the local outbox');
  }
  const destination = [
    ...(request.Destination?.ToAddresses ?? []),
    ...(request.Destination?.CcAddresses ?? []),
    ...(request.Destination?.BccAddresses ?? []),
  ];
  if (content?.Simple !== undefined) {
    if (request.FromEmailAddress === undefined) {
      throw new OutboxBadRequestError('FromEmailAddress is required for Simple content');
    }
    if (destination.length === 0)
      throw new OutboxBadRequestError('Destination must name at least one recipient');
    const message = await composeSimple(request, content.Simple, messageId, now);
    return {
      message,
      from: request.FromEmailAddress,
      recipients: destination,
      subject: content.Simple.Subject?.Data ?? '',
    };
  }
  if (content?.Raw?.Data !== undefined) {
    const message = Buffer.from(content.Raw.Data, 'base64');
    const parsed = await simpleParser(message, { skipHtmlToText: true, skipTextToHtml: true });
    const from = request.FromEmailAddress ?? addressesOf(parsed.from)[0];
    if (from === undefined) throw new OutboxBadRequestError('Missing FromEmailAddress and From header');
    const recipients =
      destination.length > 0 ? destination : [parsed.to, parsed.cc, parsed.bcc].flatMap(addressesOf);
    if (recipients.length === 0) throw new OutboxBadRequestError('The message has no recipients');
    return { message, from, recipients, subject: parsed.subject ?? '' };
  }
  throw new OutboxBadRequestError('Content must be Simple or Raw');
}

/**
 * File names that sort in the order messages were sent: the ISO time, then a
 * counter for messages sent within the same millisecond, then a random part.
 */
function fileNamer(): (now: Date, messageId: string) => string {
  let lastStamp = '';
  let sequence = 0;
  return (now, messageId) => {
    const stamp = now.toISOString().replace(/:/g, '-');
    sequence = stamp === lastStamp ? sequence + 1 : 0;
    lastStamp = stamp;
    return `${stamp}-${String(sequence).padStart(3, '0')}-${messageId.slice(17, 25)}.eml`;
  };
}

/**
 * A fault injected from outside (`POST /_control/faults`), for the fault matrix: SendEmail to `to` whose
 * subject contains `subjectContains` answers 503 ServiceUnavailable, `remaining` more times. Scoped to one
 * recipient and one kind of mail, so the code mail of the same request still goes out.
 */
interface MailFault {
  readonly to: string;
  readonly subjectContains: string;
  remaining: number;
}

/** SES was unavailable (an injected fault): the SDK and the workflow see what a real outage looks like. */
class OutboxFaultInjected extends Error {
  override readonly name = 'OutboxFaultInjected' as const;
}

/** Handles SendEmail: stores the message and returns its SES message id. */
async function sendEmail(
  stateDir: string,
  request: SendEmailRequest,
  nameFile: (now: Date, messageId: string) => string,
  faults: MailFault[] = [],
): Promise<string> {
  const now = new Date();
  const messageId = sesMessageId(now);
  const { message, from, recipients, subject } = await prepareMessage(request, messageId, now);
  const fault = faults.find(
    (candidate) =>
      candidate.remaining > 0 &&
      subject.includes(candidate.subjectContains) &&
      recipients.some((recipient) => recipient.toLowerCase() === candidate.to),
  );
  if (fault !== undefined) {
    fault.remaining -= 1;
    throw new OutboxFaultInjected('SendEmail refused by an injected fault');
  }
  const delivery = [`Return-Path: <${from}>`, ...recipients.map((recipient) => `Delivered-To: ${recipient}`)];
  const file = nameFile(now, messageId);
  await writeFile(
    join(outboxDir(stateDir), file),
    Buffer.concat([Buffer.from(`${delivery.join('\r\n')}\r\n`), message]),
    {
      flag: 'wx',
    },
  );
  return messageId;
}

/** The time encoded at the start of a file name by `fileNamer`. */
function receivedAt(file: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2}\.\d{3}Z)/.exec(file);
  return match === null ? '' : `${match[1]}:${match[2]}:${match[3]}`;
}

async function readMessage(stateDir: string, file: string): Promise<OutboxMessage> {
  const raw = await readFile(join(outboxDir(stateDir), file));
  const parsed = await simpleParser(raw);
  const deliveredTo = parsed.headerLines
    .filter((header) => header.key === 'delivered-to')
    .map((header) => header.line.slice(header.line.indexOf(':') + 1).trim());
  return {
    file,
    date: receivedAt(file),
    from: parsed.from?.text ?? '',
    to: deliveredTo,
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
  };
}

/** `fn` over `items`, in order, with at most `concurrency` calls in flight. */
async function mapBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** The names of the stored messages, newest first; one directory read, no file opened. */
async function messageFiles(stateDir: string): Promise<string[]> {
  let files: string[];
  try {
    files = await readdir(outboxDir(stateDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  // File names start with the ISO time they were written, so name order is time order.
  return files.filter((file) => EML_FILE.test(file)).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
}

function readMessages(stateDir: string, files: readonly string[]): Promise<OutboxMessage[]> {
  return mapBounded(files, OUTBOX_READ_CONCURRENCY, (file) => readMessage(stateDir, file));
}

/** Every message in `<stateDir>/outbox/`, newest first. */
export async function readOutbox(stateDir: string): Promise<OutboxMessage[]> {
  return readMessages(stateDir, await messageFiles(stateDir));
}

export interface OutboxPageQuery {
  /** At most this many messages. @default OUTBOX_DEFAULT_PAGE_SIZE */
  readonly limit?: number;
  /** Only messages older than this file (the last `file` of the previous page). @default the newest */
  readonly before?: string;
}

export interface OutboxPage {
  /** Newest first. */
  readonly messages: OutboxMessage[];
  /** The `before` of the next page; absent on the last page. */
  readonly next?: string;
}

/** One page of the outbox, newest first: only the page's files are read. */
export async function readOutboxPage(stateDir: string, query: OutboxPageQuery = {}): Promise<OutboxPage> {
  const { limit = OUTBOX_DEFAULT_PAGE_SIZE, before } = query;
  if (!Number.isInteger(limit) || limit < 1 || limit > OUTBOX_MAX_PAGE_SIZE) {
    throw new OutboxBadRequestError(`limit must be a whole number from 1 to ${OUTBOX_MAX_PAGE_SIZE}`);
  }
  if (before !== undefined && !EML_FILE.test(before)) {
    throw new OutboxBadRequestError('before must name an outbox file');
  }
  const files = await messageFiles(stateDir);
  // Names sort as times, so "older than `before`" holds even if that file is gone.
  const start = before === undefined ? 0 : files.findIndex((file) => file < before);
  const page = start < 0 ? [] : files.slice(start, start + limit);
  const messages = await readMessages(stateDir, page);
  const last = page.at(-1);
  const more = start >= 0 && start + limit < files.length;
  return more && last !== undefined ? { messages, next: last } : { messages };
}

/** `?limit=&before=` of a listing URL; `undefined` when it asks for no page. */
function pageQuery(search: URLSearchParams): OutboxPageQuery | undefined {
  const limit = search.get('limit');
  const before = search.get('before');
  if (limit === null && before === null) return undefined;
  if (limit !== null && !/^\d{1,7}$/.test(limit)) {
    throw new OutboxBadRequestError(`limit must be a whole number from 1 to ${OUTBOX_MAX_PAGE_SIZE}`);
  }
  return {
    ...(limit === null ? {} : { limit: Number(limit) }),
    ...(before === null || before === '' ? {} : { before }),
  };
}

/** The URL of the page after `page`, for a `Link` header or the HTML page's "older" link. */
function nextPageUrl(path: string, limit: number, next: string): string {
  return `${path}?${new URLSearchParams({ limit: String(limit), before: next }).toString()}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** The page a developer opens to see what the pipeline sent; `olderUrl` links the next page. */
export function renderOutboxPage(messages: readonly OutboxMessage[], olderUrl?: string): string {
  const rows = messages
    .map((message) => {
      const link = encodeURIComponent(message.file);
      const text = encodeURIComponent(message.file.replace(/\.eml$/, '.txt'));
      return (
        `<tr><td>${escapeHtml(message.date)}</td><td>${escapeHtml(message.to.join(', '))}</td>` +
        `<td>${escapeHtml(message.subject)}</td>` +
        `<td><a href="/outbox/${text}">text</a> · <a href="/outbox/${link}">.eml</a></td></tr>`
      );
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Local outbox</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}
td,th{border-bottom:1px solid #ddd;padding:.4rem .8rem;text-align:left}</style></head>
<body><h1>Local outbox</h1><p>${messages.length} message(s), newest first. Nothing here was sent.</p>
<table><thead><tr><th>Sent</th><th>To</th><th>Subject</th><th></th></tr></thead><tbody>
${rows}
</tbody></table>${olderUrl === undefined ? '' : `\n<p><a href="${escapeHtml(olderUrl)}">Older messages</a></p>`}</body></html>
`;
}

function renderText(message: OutboxMessage): string {
  return `From: ${message.from}\nTo: ${message.to.join(', ')}\nDate: ${message.date}\nSubject: ${message.subject}\n\n${message.text}`;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_REQUEST_BYTES) throw new OutboxBadRequestError('The message is larger than 40 MB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function sendJson(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const json = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(json),
    ...(errorType === undefined ? {} : { 'x-amzn-ErrorType': errorType }),
  });
  response.end(json);
}

function send(response: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

const MailFaultSchema = z.strictObject({
  to: z.email(),
  subjectContains: z.string().default(''),
  failures: z.number().int().min(0),
});

async function route(
  stateDir: string,
  nameFile: (now: Date, messageId: string) => string,
  faults: MailFault[],
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (await routeSmsOutbox(stateDir, request, response)) return;
  const url = new URL(request.url ?? '/', 'http://outbox.invalid');
  const path = safeDecode((request.url ?? '/').split('?')[0] ?? '/');
  if (request.method === 'POST' && path === '/_control/faults') {
    let body: unknown;
    try {
      body = JSON.parse((await readBody(request)).toString('utf8'));
    } catch {
      throw new OutboxBadRequestError('The request body is not JSON');
    }
    const parsed = MailFaultSchema.safeParse(body);
    if (!parsed.success) throw new OutboxBadRequestError('Expected { to, subjectContains?, failures }');
    const to = parsed.data.to.toLowerCase();
    const kept = faults.filter(
      (fault) => !(fault.to === to && fault.subjectContains === parsed.data.subjectContains),
    );
    faults.splice(0, faults.length, ...kept);
    if (parsed.data.failures > 0) {
      faults.push({ to, subjectContains: parsed.data.subjectContains, remaining: parsed.data.failures });
    }
    sendJson(response, 200, { faults: faults.length });
    return;
  }
  if (request.method === 'POST' && path === '/v2/email/outbound-emails') {
    const body = await readBody(request);
    let parsed: SendEmailRequest;
    try {
      parsed = JSON.parse(body.toString('utf8')) as SendEmailRequest;
    } catch {
      throw new OutboxBadRequestError('The request body is not JSON');
    }
    sendJson(response, 200, { MessageId: await sendEmail(stateDir, parsed, nameFile, faults) });
    return;
  }
  if (request.method === 'GET' && (path === '/outbox' || path === '/outbox/')) {
    const query = pageQuery(url.searchParams) ?? {};
    const page = await readOutboxPage(stateDir, query);
    const limit = query.limit ?? OUTBOX_DEFAULT_PAGE_SIZE;
    const older = page.next === undefined ? undefined : nextPageUrl('/outbox', limit, page.next);
    send(response, 200, 'text/html; charset=utf-8', renderOutboxPage(page.messages, older));
    return;
  }
  if (request.method === 'GET' && path === '/outbox.json') {
    const query = pageQuery(url.searchParams);
    if (query === undefined) {
      // Every message, as callers before paging expect (test/local/support/pipeline.ts).
      sendJson(response, 200, await readOutbox(stateDir));
      return;
    }
    const page = await readOutboxPage(stateDir, query);
    const limit = query.limit ?? OUTBOX_DEFAULT_PAGE_SIZE;
    if (page.next !== undefined) {
      response.setHeader('Link', `<${nextPageUrl('/outbox.json', limit, page.next)}>; rel="next"`);
    }
    sendJson(response, 200, page.messages);
    return;
  }
  const file = /^\/outbox\/([^/]+)$/.exec(path)?.[1];
  if (request.method === 'GET' && file !== undefined) {
    const eml = file.replace(/\.txt$/, '.eml');
    if (EML_FILE.test(eml)) {
      try {
        if (file.endsWith('.txt')) {
          send(response, 200, 'text/plain; charset=utf-8', renderText(await readMessage(stateDir, eml)));
        } else {
          send(response, 200, 'message/rfc822', await readFile(join(outboxDir(stateDir), eml)));
        }
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }
  sendJson(response, 404, { message: 'Not found in the local outbox' }, 'NotFoundException');
}

/** Starts the outbox on 127.0.0.1. */
export async function startOutbox(options: OutboxOptions): Promise<Outbox> {
  const { stateDir, port = 0 } = options;
  await mkdir(outboxDir(stateDir), { recursive: true });
  await prepareSmsOutbox(stateDir);
  const nameFile = fileNamer();
  const faults: MailFault[] = [];
  const server = createServer((request, response) => {
    route(stateDir, nameFile, faults, request, response).catch((error: unknown) => {
      if (error instanceof OutboxBadRequestError) {
        sendJson(response, 400, { message: error.message }, 'BadRequestException');
      } else if (error instanceof OutboxFaultInjected) {
        sendJson(response, 503, { message: error.message }, 'ServiceUnavailable');
      } else {
        // The error name only: messages may quote addresses.
        console.error(`[outbox] request failed: ${error instanceof Error ? error.name : 'UnknownError'}`);
        if (!response.headersSent) sendJson(response, 500, { message: 'Internal error' }, 'InternalFailure');
      }
    });
  });
  const boundPort = await listenOnLoopback(server, port);
  return {
    endpoint: `http://${LOOPBACK_HOST}:${boundPort}`,
    port: boundPort,
    stop: () => closeServer(server),
  };
}
