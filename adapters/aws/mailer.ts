/**
 * Outbound mail. The MIME message is built by nodemailer's MailComposer (UTF-8
 * headers for Chinese subjects, multipart text + HTML) and sent raw, so what
 * the requester receives is exactly what we built, whichever way it goes:
 *
 * - SES v2 (the default). Local mode points AWS_ENDPOINT_URL_SESV2 at the
 *   outbox catcher.
 * - An SMTP relay, where SES is not offered (the AWS China regions): set
 *   SMTP_RELAY_HOST (and SMTP_RELAY_PORT, default 587) and
 *   SMTP_RELAY_SECRET_ARN, a Secrets Manager secret holding
 *   `{ "username": …, "password": … }` (and optionally `"ca"`, the PEM of a
 *   private CA that signed the relay's certificate). TLS is required: implicit
 *   TLS on port 465, STARTTLS on any other port, TLS 1.2 or later, and the
 *   relay's certificate must verify; a relay that offers no TLS is never sent
 *   credentials or mail.
 */
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { z } from 'zod';
import type { Mailer } from '../../app/ports';
import { PermanentError, TransientError } from '../../domain/errors';
import { ses } from './clients/ses';
import { requiredEnv } from './runtime';
import { readSecret } from './secrets';

export interface OutboundMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** Stable id for de-duplication by the recipient's mail client and our own retries. */
  readonly messageId?: string;
}

/** The environment variables that switch sending from SES to an SMTP relay. */
export const SMTP_RELAY_VARIABLES = {
  host: 'SMTP_RELAY_HOST',
  port: 'SMTP_RELAY_PORT',
  secretArn: 'SMTP_RELAY_SECRET_ARN',
} as const;

/** Submission with STARTTLS, the port relays offer to authenticated senders. */
export const DEFAULT_SMTP_RELAY_PORT = 587;

/** The port on which SMTP speaks TLS from the first byte (RFC 8314). */
const IMPLICIT_TLS_PORT = 465;

const SMTP_TIMEOUT_MS = 10_000;

const RelayCredentialsSchema = z.strictObject({
  username: z.string().min(1),
  password: z.string().min(1),
  ca: z.string().includes('BEGIN CERTIFICATE').optional(),
});

/** The relay port or secret is unusable (not a port; not `{ username, password[, ca] }`): a deployment mistake, never retried. */
export class InvalidSmtpRelayConfiguration extends PermanentError {
  override readonly name = 'InvalidSmtpRelayConfiguration' as const;
  readonly code = 'invalid-smtp-relay-configuration';
}

/** The relay could not be reached or answered 4xx: worth trying again later. */
export class SmtpRelayUnavailable extends TransientError {
  override readonly name = 'SmtpRelayUnavailable' as const;
  readonly code = 'smtp-relay-unavailable';
}

/** The relay refused the credentials, the TLS handshake or the message (5xx): a retry would fail the same way. */
export class SmtpRelayRefused extends PermanentError {
  override readonly name = 'SmtpRelayRefused' as const;
  readonly code = 'smtp-relay-refused';
}

interface SmtpRelay {
  readonly host: string;
  readonly port: number;
  readonly secretArn: string;
}

/** The configured relay, or undefined when mail goes through SES. */
export function smtpRelayFromEnv(env: NodeJS.ProcessEnv = process.env): SmtpRelay | undefined {
  const host = env[SMTP_RELAY_VARIABLES.host];
  if (host === undefined || host === '') return undefined;
  const port = Number(env[SMTP_RELAY_VARIABLES.port] ?? DEFAULT_SMTP_RELAY_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new InvalidSmtpRelayConfiguration(`${SMTP_RELAY_VARIABLES.port} is not a TCP port`);
  }
  return { host, port, secretArn: requiredEnv(SMTP_RELAY_VARIABLES.secretArn) };
}

export async function sendMail(message: OutboundMessage): Promise<string | undefined> {
  const from = requiredEnv('SENDER_ADDRESS');
  const raw = await new MailComposer({
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    ...(message.messageId ? { messageId: message.messageId } : {}),
  })
    .compile()
    .build();
  const relay = smtpRelayFromEnv();
  if (relay !== undefined) return sendThroughRelay(relay, from, message.to, raw);
  const result = await ses.send(
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: [message.to] },
      Content: { Raw: { Data: raw } },
    }),
  );
  return result.MessageId;
}

async function relayCredentials(secretArn: string): Promise<z.output<typeof RelayCredentialsSchema>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readSecret(secretArn));
  } catch (cause) {
    if (!(cause instanceof SyntaxError)) throw cause;
    throw new InvalidSmtpRelayConfiguration('The SMTP relay secret is not JSON', { cause });
  }
  const result = RelayCredentialsSchema.safeParse(parsed);
  if (!result.success) {
    // Field names only: the values are credentials.
    const fields = result.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    throw new InvalidSmtpRelayConfiguration(
      `The SMTP relay secret is not { username, password[, ca] }: ${fields}`,
    );
  }
  return result.data;
}

/**
 * One connection per message: a Lambda container may be frozen between
 * invocations, which would leave a pooled connection dead. Returns the
 * relay's queue id line (e.g. `250 2.0.0 Ok: queued as 4Xy…`).
 */
async function sendThroughRelay(relay: SmtpRelay, from: string, to: string, raw: Buffer): Promise<string> {
  const credentials = await relayCredentials(relay.secretArn);
  const implicitTls = relay.port === IMPLICIT_TLS_PORT;
  const transport = nodemailer.createTransport({
    host: relay.host,
    port: relay.port,
    secure: implicitTls,
    requireTLS: !implicitTls,
    auth: { user: credentials.username, pass: credentials.password },
    tls: {
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
      ...(credentials.ca === undefined ? {} : { ca: credentials.ca }),
    },
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
  try {
    const info = await transport.sendMail({ envelope: { from, to: [to] }, raw });
    return info.response;
  } catch (error) {
    throw relayError(error);
  } finally {
    transport.close();
  }
}

/** Transient (connection, timeout, 4xx) and permanent (auth, TLS, 5xx) failures get different names. */
function relayError(error: unknown): Error {
  const { code, responseCode, message } = error as { code?: string; responseCode?: number; message?: string };
  const detail = `SMTP relay: ${code ?? 'error'}${responseCode === undefined ? '' : ` ${responseCode}`}`;
  const permanent =
    code === 'EAUTH' ||
    code === 'ETLS' ||
    code === 'EENVELOPE' ||
    (responseCode !== undefined && responseCode >= 500) ||
    /certificate|self.signed|TLS/i.test(message ?? '');
  return permanent
    ? new SmtpRelayRefused(detail, { cause: error })
    : new SmtpRelayUnavailable(detail, { cause: error });
}

/** sendMail as the use cases' Mailer port. */
export const mailer: Mailer = {
  send: async (mail) => {
    await sendMail(mail);
  },
};
