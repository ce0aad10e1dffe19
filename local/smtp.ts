/**
 * SES inbound mail for local mode: an SMTP listener that does what an SES
 * receipt rule with an S3 action does.
 *
 * Why it exists: on AWS, requests sent by email arrive through SES, which
 * stores the raw message in the inbound bucket and hands the intake function
 * an `aws:ses` event. Locally, any mail client (or nodemailer in tests) sends
 * to this listener instead, and the same intake function receives the same
 * kind of event through the ordinary Lambda Invoke API (LambdaClient, whose
 * endpoint comes from AWS_ENDPOINT_URL_LAMBDA in local mode).
 *
 * What it reproduces: recipient filtering like a receipt rule (550 for an
 * address it does not accept), SES's receiving size limit of 40 MB measured on
 * the whole message as received, header section included (552), storing the
 * raw message under `<objectKeyPrefix><messageId>` with the Return-Path and
 * Received headers SES adds at the top, and an asynchronous (`Event`)
 * invocation with SES's event shape: Records[].ses.mail (timestamp, source,
 * messageId, destination, headersTruncated, headers, commonHeaders) and
 * ses.receipt (recipients, verdicts, processingTimeMillis, action of type S3
 * with bucketName, objectKeyPrefix, objectKey). As SES does, the event carries
 * the header fields only up to 10 KB and then says `headersTruncated: true`
 * (the stored message keeps them all), so a mail with huge headers still fits
 * the 256 KB asynchronous Invoke payload.
 *
 * Refusals: a mail that is stored and then not delivered leaves its object
 * tagged `dsar-refused=<reason>`, never untagged. A failure that a retry may
 * cure (S3 or Lambda unreachable, throttled) answers 451 and the sender
 * retries, as SES's own temporary failures do; one that no retry can cure
 * (Invoke refuses the event as too large or malformed) answers 554, so the
 * sender gives up instead of retrying without end.
 *
 * Optionally (`tls`, `auth`) it also stands in for an SMTP relay of the kind
 * the pipeline sends through where SES is not offered: STARTTLS with the given
 * certificate, and AUTH PLAIN/LOGIN only after TLS.
 *
 * What it does not: spam, virus, SPF,
 * DKIM and DMARC checks (verdicts are DISABLED or GRAY unless configured), or
 * the X-SES-* headers. So that a test can fake a failed check, a mail may
 * carry `X-Local-SES-Verdicts: spf=FAIL; dmarc=FAIL` (see VERDICTS_HEADER):
 * local mode only; on AWS, SES computes the verdicts itself and such a header
 * is just a header. Which header fields SES keeps when it truncates is not
 * documented; here the fields are kept in order up to the first that would
 * pass 10 KB, and commonHeaders is then read from the kept fields only.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, PutObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SESEvent, SESMailHeader, SESReceiptStatus } from 'aws-lambda';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { ASYNC_PAYLOAD_LIMIT_BYTES } from './lambda';
import { LOOPBACK_HOST } from './ports';

/** The message could not be stored or announced; the sender should retry. */
export class InboundMailDeliveryError extends Error {
  override name = 'InboundMailDeliveryError' as const;
}

/** The message can never be announced as it is; the sender must not retry. */
export class InboundMailRefusedError extends Error {
  override name = 'InboundMailRefusedError' as const;
  constructor(readonly reason: RefusalReason) {
    super(`Inbound mail refused: ${reason}`);
  }
}

/** The S3 object tag a stored but undelivered message carries; its value is the reason. */
export const REFUSAL_TAG = 'dsar-refused';

/**
 * Why a stored message was not delivered: `event-too-large` and
 * `invoke-refused` are permanent (554), `invoke-failed` temporary (451).
 */
export type RefusalReason = 'event-too-large' | 'invoke-refused' | 'invoke-failed';

type VerdictStatus = SESReceiptStatus['status'];

export interface ReceiptVerdicts {
  readonly spam: VerdictStatus;
  readonly virus: VerdictStatus;
  readonly spf: VerdictStatus;
  readonly dkim: VerdictStatus;
  readonly dmarc: VerdictStatus;
}

/**
 * What the local listener can honestly say: scanning is off, and sender
 * authentication was not checked. Handlers must not treat GRAY as PASS.
 */
export const LOCAL_VERDICTS: ReceiptVerdicts = {
  spam: 'DISABLED',
  virus: 'DISABLED',
  spf: 'GRAY',
  dkim: 'GRAY',
  dmarc: 'GRAY',
};

/**
 * Local-only test hook: `X-Local-SES-Verdicts: spf=FAIL; dmarc=FAIL` in a
 * mail sets those verdicts in its event (names spam, virus, spf, dkim, dmarc;
 * statuses as SES gives them). Anything else in it is ignored. On AWS nothing
 * reads it: SES computes its verdicts itself.
 */
export const VERDICTS_HEADER = 'X-Local-SES-Verdicts';

const VERDICT_STATUSES: readonly VerdictStatus[] = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED'];

/** `verdicts`, with what the mail's X-Local-SES-Verdicts fields say in place of each named one. */
export function verdictsFromHeaders(
  headers: readonly SESMailHeader[],
  verdicts: ReceiptVerdicts,
): ReceiptVerdicts {
  const result: Record<string, VerdictStatus> = { ...verdicts };
  for (const header of headers) {
    if (header.name.toLowerCase() !== VERDICTS_HEADER.toLowerCase()) continue;
    for (const part of header.value.split(';')) {
      const [name = '', status = ''] = part.split('=').map((text) => text.trim());
      const verdict = name.toLowerCase();
      const given = VERDICT_STATUSES.find((known) => known === status.toUpperCase());
      if (given !== undefined && Object.hasOwn(verdicts, verdict)) result[verdict] = given;
    }
  }
  return result as unknown as ReceiptVerdicts;
}

/**
 * SES's receiving limit: 40 MB per message as received, header section and
 * encoded attachments included (read, like local/outbox.ts does, as MiB).
 * The pipeline's own, smaller limit is EmailIntake's, applied to the stored
 * object as on AWS (docs/limits.md).
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

/** SES puts header fields in the event only up to this size, then sets headersTruncated. */
export const SES_EVENT_HEADER_BYTES = 10 * 1024;

export interface SmtpIntakeOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  readonly s3: S3Client;
  readonly inboundBucket: string;
  /** Key prefix for stored messages, like the S3 action's ObjectKeyPrefix. @default 'inbound/' */
  readonly objectKeyPrefix?: string;
  readonly lambda: LambdaClient;
  /** The function the receipt rule invokes, e.g. the email intake handler. */
  readonly functionName: string;
  /** Larger messages are refused with 552. @default 40 MiB, as SES */
  readonly maxMessageBytes?: number;
  /**
   * Accepted recipients, as in a receipt rule: a full address, or a domain
   * that accepts every address at it. Omit to accept every recipient.
   */
  readonly recipients?: readonly string[];
  /** @default LOCAL_VERDICTS */
  readonly verdicts?: ReceiptVerdicts;
  /** Offer STARTTLS with this key and certificate (PEM). @default no TLS */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** Require AUTH with these credentials (needs `tls`: credentials never cross in clear). @default no AUTH */
  readonly auth?: { readonly username: string; readonly password: string };
}

export interface SmtpIntake {
  /** `smtp://127.0.0.1:<port>` */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops accepting connections and closes open ones. */
  stop(): Promise<void>;
}

/** True when a receipt rule with `recipients` would accept `address`. */
export function acceptsRecipient(recipients: readonly string[] | undefined, address: string): boolean {
  if (recipients === undefined) return true;
  const normalised = address.trim().toLowerCase();
  const domain = normalised.slice(normalised.lastIndexOf('@') + 1);
  return recipients.some((entry) => {
    const rule = entry.trim().toLowerCase();
    return rule.includes('@') ? rule === normalised : rule === domain;
  });
}

/**
 * The header fields of a raw message, in order, unfolded. Stops at the
 * first empty line (the end of the header section).
 */
export function parseHeaderBlock(raw: Buffer): SESMailHeader[] {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const block = end < 0 ? text : text.slice(0, end);
  const headers: SESMailHeader[] = [];
  for (const line of block.split(/\r?\n/)) {
    const last = headers.at(-1);
    if (/^[ \t]/.test(line) && last !== undefined) {
      last.value += line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  // Header bytes are read as latin1 so that no byte is lost; raw UTF-8 (RFC 6532) is decoded here.
  return headers.map(({ name, value }) => ({ name, value: Buffer.from(value, 'latin1').toString('utf8') }));
}

/** Decodes RFC 2047 encoded words (`=?utf-8?B?...?=`, `=?gb2312?Q?...?=`) in a header value. */
export function decodeMimeWords(value: string): string {
  const encodedWord = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;
  // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 section 6.2).
  const joined = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  return joined.replace(encodedWord, (word, charset: string, encoding: string, text: string) => {
    const bytes =
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) =>
                String.fromCharCode(Number.parseInt(hex, 16)),
              ),
            'latin1',
          );
    try {
      return new TextDecoder(charset.split('*')[0]).decode(bytes);
    } catch {
      return word;
    }
  });
}

export interface ReceivedMail {
  readonly messageId: string;
  readonly receivedAt: Date;
  /** Envelope sender (MAIL FROM). */
  readonly source: string;
  /** Envelope recipients accepted (RCPT TO). */
  readonly recipients: readonly string[];
  /** Header fields of the stored message, in order. */
  readonly headers: readonly SESMailHeader[];
  readonly bucketName: string;
  readonly objectKeyPrefix: string;
  readonly processingTimeMillis: number;
  readonly verdicts: ReceiptVerdicts;
}

/** The header fields SES puts in the event: in order, while they fit in SES_EVENT_HEADER_BYTES. */
export function eventHeaders(headers: readonly SESMailHeader[]): {
  readonly headers: SESMailHeader[];
  readonly truncated: boolean;
} {
  const kept: SESMailHeader[] = [];
  let bytes = 0;
  for (const header of headers) {
    bytes += Buffer.byteLength(`${header.name}: ${header.value}\r\n`, 'utf8');
    if (bytes > SES_EVENT_HEADER_BYTES) return { headers: kept, truncated: true };
    kept.push({ ...header });
  }
  return { headers: kept, truncated: false };
}

/** The event an SES receipt rule's S3 action describes, for one received message. */
export function buildSesReceiptEvent(mail: ReceivedMail): SESEvent {
  const { headers, truncated } = eventHeaders(mail.headers);
  const all = (name: string) =>
    headers
      .filter((header) => header.name.toLowerCase() === name)
      .map((header) => decodeMimeWords(header.value));
  const first = (name: string) => all(name)[0];
  const optionalList = (name: string) => {
    const values = all(name);
    return values.length === 0 ? {} : { [name === 'reply-to' ? 'replyTo' : name]: values };
  };
  const timestamp = mail.receivedAt.toISOString();
  const subject = first('subject');
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp,
            source: mail.source,
            messageId: mail.messageId,
            destination: [...mail.recipients],
            headersTruncated: truncated,
            headers,
            commonHeaders: {
              returnPath: mail.source,
              ...optionalList('from'),
              date: first('date') ?? '',
              ...optionalList('to'),
              ...optionalList('cc'),
              ...optionalList('reply-to'),
              messageId: first('message-id') ?? '',
              ...(subject === undefined ? {} : { subject }),
            },
          },
          receipt: {
            timestamp,
            processingTimeMillis: mail.processingTimeMillis,
            recipients: [...mail.recipients],
            spamVerdict: { status: mail.verdicts.spam },
            virusVerdict: { status: mail.verdicts.virus },
            spfVerdict: { status: mail.verdicts.spf },
            dkimVerdict: { status: mail.verdicts.dkim },
            dmarcVerdict: { status: mail.verdicts.dmarc },
            action: {
              type: 'S3',
              bucketName: mail.bucketName,
              objectKeyPrefix: mail.objectKeyPrefix,
              objectKey: `${mail.objectKeyPrefix}${mail.messageId}`,
            } as SesS3ActionWithPrefix,
          },
        },
      },
    ],
  };
}

/** SES sends objectKeyPrefix in the S3 action; @types/aws-lambda leaves it out. */
type SesS3ActionWithPrefix = { type: 'S3'; bucketName: string; objectKeyPrefix: string; objectKey: string };

/** The header lines SES puts above a received message before storing it. */
export function receptionHeaders(input: {
  readonly source: string;
  readonly recipients: readonly string[];
  readonly clientHostname: string;
  readonly remoteAddress: string;
  readonly messageId: string;
  readonly receivedAt: Date;
}): string {
  const date = input.receivedAt.toUTCString().replace('GMT', '+0000 (UTC)');
  const recipient = input.recipients.length === 1 ? ` for ${input.recipients[0]}` : '';
  return (
    `Return-Path: <${input.source}>\r\n` +
    `Received: from ${input.clientHostname} (${input.clientHostname} [${input.remoteAddress}])\r\n` +
    ` by local-ses-intake with SMTP id ${input.messageId}${recipient};\r\n` +
    ` ${date}\r\n`
  );
}

/** Constant-time comparison of two strings (of any lengths). */
function sameText(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

async function readMessage(stream: Readable & { sizeExceeded: boolean }, maxBytes: number) {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    // Keep draining an oversized message so the SMTP dialogue can continue, but stop keeping it.
    if (length + chunk.length <= maxBytes) chunks.push(chunk);
    length += chunk.length;
  }
  return { raw: Buffer.concat(chunks), oversized: stream.sizeExceeded || length > maxBytes };
}

/** Starts the SMTP listener on 127.0.0.1. */
export async function startSmtpIntake(options: SmtpIntakeOptions): Promise<SmtpIntake> {
  const {
    port = 0,
    s3,
    inboundBucket,
    objectKeyPrefix = 'inbound/',
    lambda,
    functionName,
    maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
    recipients,
    verdicts = LOCAL_VERDICTS,
    tls,
    auth,
  } = options;
  if (auth !== undefined && tls === undefined) {
    throw new TypeError('An SMTP listener that requires AUTH must offer TLS');
  }

  const deliver = async (raw: Buffer, session: SMTPServerSession) => {
    const receivedAt = new Date();
    const messageId = randomBytes(20).toString('hex');
    const source = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
    const accepted = session.envelope.rcptTo.map((recipient) => recipient.address);
    const stored = Buffer.concat([
      Buffer.from(
        receptionHeaders({
          source,
          recipients: accepted,
          clientHostname: session.clientHostname,
          remoteAddress: session.remoteAddress,
          messageId,
          receivedAt,
        }),
        'utf8',
      ),
      raw,
    ]);
    const key = `${objectKeyPrefix}${messageId}`;
    try {
      await s3.send(new PutObjectCommand({ Bucket: inboundBucket, Key: key, Body: stored }));
    } catch (error) {
      // Nothing was stored, so nothing is left behind; the sender retries.
      const name = error instanceof Error ? error.name : 'UnknownError';
      console.error(`[smtp-intake] message ${messageId} not stored: ${name}`);
      throw smtpError('Temporary failure, please try again later', 451);
    }
    try {
      const headers = parseHeaderBlock(stored);
      const event = buildSesReceiptEvent({
        messageId,
        receivedAt,
        source,
        recipients: accepted,
        headers,
        bucketName: inboundBucket,
        objectKeyPrefix,
        processingTimeMillis: Date.now() - receivedAt.getTime(),
        verdicts: verdictsFromHeaders(headers, verdicts),
      });
      const payload = Buffer.from(JSON.stringify(event), 'utf8');
      if (payload.length > ASYNC_PAYLOAD_LIMIT_BYTES) throw new InboundMailRefusedError('event-too-large');
      let result: { StatusCode?: number | undefined };
      try {
        result = await lambda.send(
          new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: payload }),
        );
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        // 400 (InvalidRequestContent, InvalidParameterValue) and 413 (RequestEntityTooLarge) refuse
        // the event itself: the same event would be refused again. Anything else may pass later.
        if (status === 400 || status === 413) throw new InboundMailRefusedError('invoke-refused');
        throw error;
      }
      if (result.StatusCode !== 202) {
        throw new InboundMailDeliveryError(`Invoke answered ${result.StatusCode} instead of 202`);
      }
    } catch (error) {
      const reason: RefusalReason = error instanceof InboundMailRefusedError ? error.reason : 'invoke-failed';
      // Message ids, reasons and error names only: addresses and subjects are personal data.
      const name = error instanceof Error ? error.name : 'UnknownError';
      console.error(`[smtp-intake] message ${messageId} not delivered (${reason}): ${name}`);
      await tagRefused(key, reason);
      if (error instanceof InboundMailRefusedError) {
        throw smtpError('Transaction failed: the message cannot be delivered', 554);
      }
      throw smtpError('Temporary failure, please try again later', 451);
    }
    return messageId;
  };

  /** Marks a stored message that was not delivered, so no untagged object is left behind. */
  const tagRefused = async (key: string, reason: RefusalReason) => {
    try {
      await s3.send(
        new PutObjectTaggingCommand({
          Bucket: inboundBucket,
          Key: key,
          Tagging: { TagSet: [{ Key: REFUSAL_TAG, Value: reason }] },
        }),
      );
    } catch (error) {
      const name = error instanceof Error ? error.name : 'UnknownError';
      console.error(`[smtp-intake] object ${key} not tagged ${REFUSAL_TAG}=${reason}: ${name}`);
    }
  };

  const server = new SMTPServer({
    banner: 'DSAR local SES intake',
    authOptional: auth === undefined,
    disabledCommands: [...(tls === undefined ? ['STARTTLS'] : []), ...(auth === undefined ? ['AUTH'] : [])],
    ...(tls === undefined ? {} : { key: tls.key, cert: tls.cert, minVersion: 'TLSv1.2' as const }),
    allowInsecureAuth: false,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(credentials, _session, callback) {
      const accepted =
        auth !== undefined &&
        sameText(credentials.username ?? '', auth.username) &&
        sameText(credentials.password ?? '', auth.password);
      if (accepted) callback(null, { user: credentials.username });
      else callback(smtpError('Authentication credentials invalid', 535));
    },
    disableReverseLookup: true,
    size: maxMessageBytes,
    logger: false,
    closeTimeout: 2_000,
    onRcptTo(address, _session, callback) {
      if (acceptsRecipient(recipients, address.address)) {
        callback();
      } else {
        callback(smtpError('Mailbox unavailable', 550));
      }
    },
    onData(stream, session, callback) {
      readMessage(stream, maxMessageBytes)
        .then(async ({ raw, oversized }) => {
          if (oversized) throw smtpError('Message exceeds the fixed maximum message size', 552);
          const messageId = await deliver(raw, session);
          callback(null, `Ok ${messageId}`);
        })
        .catch((error: Error) => callback(error));
    },
  });

  const boundPort = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK_HOST, () => {
      server.off('error', reject);
      const address = server.server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('SMTP listener is not on a TCP port'));
      } else {
        resolve(address.port);
      }
    });
  });
  return {
    url: `smtp://${LOOPBACK_HOST}:${boundPort}`,
    host: LOOPBACK_HOST,
    port: boundPort,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
