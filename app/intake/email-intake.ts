/**
 * Email intake: SES receives the mail, its S3 action stores the raw MIME in the
 * inbound bucket and invokes EmailIntake (local mode: the SMTP listener does
 * the same). The sender's address is the identity to verify; the request type
 * is read from the subject and body in Chinese or English, and a mail it cannot
 * classify becomes a request that needs triage in the console.
 *
 * SES's receipt verdicts are judged by domain/mail-authenticity.ts: a virus
 * FAIL is rejected; a DMARC or SPF FAIL (a From: that may be forged) or a spam
 * FAIL is taken in as a request that waits for triage, marked so on the record
 * and on its request-received event, and a suspected-spoofing one is sent no
 * code (it would go to the forged address's real owner).
 *
 * Malformed, oversize, bounced and auto-replied mail is rejected with a
 * recorded reason (a tag on the stored mail, a metric and a log line without
 * PII); it never throws, because SES/Lambda retries would not make it any better.
 *
 * SES puts at most 10 KB of header fields in the event and then sets
 * `headersTruncated`. Nothing here reads them from the event (the stored
 * message has them all), but the fact is recorded the same way: the mail is
 * tagged `dsar-headers-truncated=true` (next to `dsar-rejected` if it is
 * rejected too), with a metric and a log line.
 */
import { createHash } from 'node:crypto';
import { type ParsedMail, simpleParser } from 'mailparser';
import { classifyRequestEmail } from '../../domain/email-classifier';
import { InvalidIdentifier, normaliseEmail } from '../../domain/identifiers';
import { judgeMail, type MailFlag, type MailVerdicts } from '../../domain/mail-authenticity';
import { getPolicy } from '../../domain/policy/registry';
import { StaleRequest } from '../request-writes';
import type { EvidenceStore, InboundMailStore, InboundMailTelemetry, MailTag, StoredMail } from './ports';
import { type IntakeDeps, takeInRequest } from './request-intake';

/**
 * Larger mail is not a request someone typed; SES itself accepts up to 40 MB.
 * Measured, as SES measures its own limit, on the whole message as stored
 * (header section included).
 */
export const MAX_REQUEST_MAIL_BYTES = 10 * 1024 * 1024;
const MAX_DETAILS_CHARS = 5000;

/**
 * Attachments kept as evidence, at most. An identity check needs one or two
 * documents; every attachment is one write to the evidence bucket within the
 * function's time limit, and every one is a file an agent must open. A mail
 * with more (or a MIME bomb of tiny parts) still becomes a request: the first
 * ones are kept and the request-received event says how many were not.
 */
export const MAX_EVIDENCE_ATTACHMENTS = 10;
/**
 * Larger attachments are not kept as evidence: a phone photo or a scan of an
 * ID document is well under it, and agents open evidence in the browser.
 * (The whole mail is capped at MAX_REQUEST_MAIL_BYTES anyway.)
 */
export const MAX_EVIDENCE_ATTACHMENT_BYTES = 5 * 1024 * 1024;

export interface EmailIntakeDeps extends IntakeDeps {
  readonly inbound: InboundMailStore;
  readonly evidence: EvidenceStore;
  readonly telemetry: InboundMailTelemetry;
}

/** One mail SES received, as its event describes it. */
export interface ReceivedMail {
  /** SES's message id. */
  readonly messageId: string;
  readonly stored: StoredMail;
  /** SES cut the header fields in its event (they are all in the stored message). */
  readonly headersTruncated: boolean;
  /** SES's receipt verdicts (`PASS`, `FAIL`, `GRAY`, …) for spf, dkim, dmarc, spam and virus, where it gave them. */
  readonly verdicts: MailVerdicts;
}

export type EmailOutcome =
  | {
      readonly outcome: 'created';
      readonly requestId: string;
      readonly needsTriage: boolean;
      /** Present when the verdicts marked the request (domain/mail-authenticity.ts). */
      readonly mailFlags?: readonly MailFlag[];
    }
  | { readonly outcome: 'duplicate'; readonly requestId: string }
  | { readonly outcome: 'rejected'; readonly reason: string };

/** The tag of a stored mail whose headers SES truncated in the event. */
export const HEADERS_TRUNCATED_TAG: MailTag = { key: 'dsar-headers-truncated', value: 'true' };

/** Same SES message, same request id: a redelivered mail finds the request it already made. */
export function requestIdForMessage(messageId: string): string {
  const hex = createHash('sha256').update(`ses:${messageId}`).digest('hex');
  return `dsr-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function rejectionReason(received: ReceivedMail, mail: ParsedMail): string | undefined {
  const autoSubmitted = mail.headers.get('auto-submitted');
  if (typeof autoSubmitted === 'string' && autoSubmitted.toLowerCase() !== 'no') return 'auto-submitted';
  // mailparser gives structured headers as { value, params }: the media type is `value`.
  const contentType = mail.headers.get('content-type') as { value?: unknown } | string | undefined;
  const mediaType = typeof contentType === 'string' ? contentType : contentType?.value;
  if (typeof mediaType === 'string' && /^multipart\/report\b/i.test(mediaType)) return 'delivery-report';
  if (judgeMail(received.verdicts).verdict === 'rejected') return 'virus';
  if (!mail.from?.value[0]?.address) return 'no-sender';
  return undefined;
}

/** Replaces the stored mail's tags; a failure is logged, never thrown (the outcome stands). */
async function tagInbound(
  deps: EmailIntakeDeps,
  stored: StoredMail,
  tags: readonly MailTag[],
): Promise<void> {
  await deps.inbound
    .tag(stored, tags)
    .catch((error: Error) => deps.telemetry.warn('Could not tag inbound email', { errorName: error.name }));
}

/** Turns one received mail into a request, or rejects it with a recorded reason. */
export async function takeInEmail(
  deps: EmailIntakeDeps,
  received: ReceivedMail,
  defaultPolicyId: string,
): Promise<EmailOutcome> {
  const { stored } = received;
  const now = deps.clock.now();
  const notes: MailTag[] = [];
  if (received.headersTruncated) {
    notes.push(HEADERS_TRUNCATED_TAG);
    deps.telemetry.count('EmailHeadersTruncated');
    deps.telemetry.info('Inbound email headers were truncated in the SES event', { objectKey: stored.key });
    await tagInbound(deps, stored, notes);
  }
  const reject = async (reason: string): Promise<EmailOutcome> => {
    deps.telemetry.count('RejectedEmail');
    deps.telemetry.warn('Rejected inbound email', { reason, objectKey: stored.key });
    await tagInbound(deps, stored, [{ key: 'dsar-rejected', value: reason }, ...notes]);
    return { outcome: 'rejected', reason };
  };

  if ((await deps.inbound.size(stored)) > MAX_REQUEST_MAIL_BYTES) return reject('oversize');
  const raw = await deps.inbound.read(stored);
  let mail: ParsedMail;
  try {
    mail = await simpleParser(Buffer.from(raw));
  } catch {
    return reject('malformed');
  }
  const reason = rejectionReason(received, mail);
  if (reason) return reject(reason);

  let sender: string;
  try {
    sender = normaliseEmail(mail.from!.value[0]!.address!);
  } catch (error) {
    if (error instanceof InvalidIdentifier) return reject('invalid-sender');
    throw error;
  }

  const judgement = judgeMail(received.verdicts);
  const mailFlags = judgement.verdict === 'accepted' ? judgement.flags : [];
  const failedChecks = judgement.verdict === 'accepted' ? judgement.failedChecks : [];
  const requestId = requestIdForMessage(received.messageId);
  const evidenceKeys: string[] = [];
  const notStored = { tooMany: 0, tooLarge: 0 };
  for (const [index, attachment] of mail.attachments.entries()) {
    if (attachment.content.length > MAX_EVIDENCE_ATTACHMENT_BYTES) {
      notStored.tooLarge += 1;
      continue;
    }
    if (evidenceKeys.length >= MAX_EVIDENCE_ATTACHMENTS) {
      notStored.tooMany += 1;
      continue;
    }
    // Numbered by the attachment's place in the mail, so an agent can match it with the stored message.
    const key = `${requestId}/attachment-${index + 1}`;
    await deps.evidence.put({
      key,
      content: attachment.content,
      contentType: attachment.contentType,
      source: 'email',
    });
    evidenceKeys.push(key);
  }

  const attachmentsNotStored = notStored.tooMany + notStored.tooLarge;
  if (attachmentsNotStored > 0) {
    deps.telemetry.count('EmailAttachmentsNotStored');
    deps.telemetry.info('Inbound email attachments over the limits were not stored', {
      objectKey: stored.key,
      tooMany: String(notStored.tooMany),
      tooLarge: String(notStored.tooLarge),
    });
  }
  if (mailFlags.length > 0) {
    if (mailFlags.includes('suspected-spoofing')) deps.telemetry.count('SuspectedSpoofingEmail');
    if (mailFlags.includes('spam')) deps.telemetry.count('SpamEmail');
    deps.telemetry.warn('Inbound email marked for triage by its SES verdicts', {
      objectKey: stored.key,
      flags: mailFlags.join(','),
    });
  }

  const subject = mail.subject ?? '';
  const body = mail.text ?? '';
  const classification = classifyRequestEmail(subject, body);
  const receivedDetails = {
    ...(failedChecks.length > 0 ? { failedChecks } : {}),
    ...(attachmentsNotStored > 0
      ? {
          attachmentsNotStored: {
            ...notStored,
            limits: { count: MAX_EVIDENCE_ATTACHMENTS, bytes: MAX_EVIDENCE_ATTACHMENT_BYTES },
          },
        }
      : {}),
  };
  let needsTriage: boolean;
  try {
    const { record } = await takeInRequest(deps, {
      requestId,
      policy: getPolicy(defaultPolicyId),
      channel: 'email',
      type: classification.type,
      triageCandidates: classification.candidates,
      identifiers: { email: sender },
      requester: { role: 'self' },
      details: `${subject}\n\n${body}`.slice(0, MAX_DETAILS_CHARS),
      locale: /[\u4e00-\u9fff]/.test(subject + body) ? 'zh-CN' : 'en',
      ...(evidenceKeys.length > 0 ? { evidenceKeys } : {}),
      inboundMessageKey: stored.key,
      ...(mailFlags.length > 0 ? { mailFlags } : {}),
      ...(Object.keys(receivedDetails).length > 0 ? { receivedDetails } : {}),
      actor: { kind: 'requester', id: 'email' },
      now,
      statusToken: deps.oneTimeSecrets.bearerToken(),
    });
    needsTriage = record.needsTriage;
  } catch (error) {
    if (error instanceof StaleRequest) return { outcome: 'duplicate', requestId };
    throw error;
  }
  deps.telemetry.count('EmailRequest');
  return { outcome: 'created', requestId, needsTriage, ...(mailFlags.length > 0 ? { mailFlags } : {}) };
}
