/**
 * Email intake: SES receives the mail, its S3 action stores the raw MIME in the
 * inbound bucket and invokes this function (local mode: the SMTP listener does
 * the same). The sender's address is the identity to verify; the request type
 * is read from the subject and body in Chinese or English, and a mail it cannot
 * classify becomes a request that needs triage in the console.
 *
 * Malformed, oversize, bounced and auto-replied mail is rejected with a
 * recorded reason (an S3 object tag, a metric and a log line without PII);
 * it never throws, because SES/Lambda retries would not make it any better.
 *
 * SES puts at most 10 KB of header fields in the event and then sets
 * `headersTruncated`. Nothing here reads them from the event (the stored
 * message has them all), but the fact is recorded the same way: the object is
 * tagged `dsar-headers-truncated=true` (next to `dsar-rejected` if it is
 * rejected too), with a metric and a log line.
 */
import { createHash } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { SESEvent, SESEventRecord } from 'aws-lambda';
import { type ParsedMail, simpleParser } from 'mailparser';
import { s3 } from '../../adapters/aws/clients/s3';
import { intakePorts } from '../../adapters/aws/intake-ports';
import { StaleRequest } from '../../adapters/aws/request-store';
import { logger, metrics, requiredEnv } from '../../adapters/aws/runtime';
import { newBearerToken } from '../../adapters/aws/secrets';
import { takeInRequest } from '../../app/intake/request-intake';
import { classifyRequestEmail } from '../../domain/email-classifier';
import { InvalidIdentifier, normaliseEmail } from '../../domain/identifiers';
import { getPolicy } from '../../domain/policy/registry';

/**
 * Larger mail is not a request someone typed; SES itself accepts up to 40 MB.
 * Measured, as SES measures its own limit, on the whole message as stored
 * (header section included).
 */
export const MAX_REQUEST_MAIL_BYTES = 10 * 1024 * 1024;
const MAX_DETAILS_CHARS = 5000;

export type EmailOutcome =
  | { readonly outcome: 'created'; readonly requestId: string; readonly needsTriage: boolean }
  | { readonly outcome: 'duplicate'; readonly requestId: string }
  | { readonly outcome: 'rejected'; readonly reason: string };

/** Same SES message, same request id: a redelivered mail finds the request it already made. */
export function requestIdForMessage(messageId: string): string {
  const hex = createHash('sha256').update(`ses:${messageId}`).digest('hex');
  return `dsr-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function rejectionReason(record: SESEventRecord, mail: ParsedMail): string | undefined {
  const autoSubmitted = mail.headers.get('auto-submitted');
  if (typeof autoSubmitted === 'string' && autoSubmitted.toLowerCase() !== 'no') return 'auto-submitted';
  if (
    mail.headers.get('content-type') &&
    /multipart\/report/i.test(String(mail.headers.get('content-type')))
  ) {
    return 'delivery-report';
  }
  if (record.ses.receipt.virusVerdict?.status === 'FAIL') return 'virus';
  if (!mail.from?.value[0]?.address) return 'no-sender';
  return undefined;
}

type ObjectTag = { readonly Key: string; readonly Value: string };

/** The tag of a stored mail whose headers SES truncated in the event. */
export const HEADERS_TRUNCATED_TAG: ObjectTag = { Key: 'dsar-headers-truncated', Value: 'true' };

/** Replaces the stored mail's tags; a failure is logged, never thrown (the outcome stands). */
async function tagInbound(bucket: string, key: string, tags: readonly ObjectTag[]): Promise<void> {
  await s3
    .send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: [...tags] } }))
    .catch((error: Error) => logger.warn('Could not tag inbound email', { errorName: error.name }));
}

async function rejectWithNotes(
  bucket: string,
  key: string,
  reason: string,
  notes: readonly ObjectTag[],
): Promise<EmailOutcome> {
  metrics.addMetric('RejectedEmail', MetricUnit.Count, 1);
  logger.warn('Rejected inbound email', { reason, objectKey: key });
  await tagInbound(bucket, key, [{ Key: 'dsar-rejected', Value: reason }, ...notes]);
  return { outcome: 'rejected', reason };
}

/**
 * Where the receipt rule's S3 action stored the message. SES invokes this
 * function through the rule's Lambda action, whose event names that action
 * (`type: 'Lambda'`), not the S3 one: the object is the S3 action's
 * `<ObjectKeyPrefix><messageId>` in the inbound bucket, the prefix given to
 * this function as INBOUND_MAIL_PREFIX by the same construct that sets it on
 * the S3 action. An event that carries an S3 action (an SNS-delivered one)
 * names the object itself.
 */
export function inboundObjectOf(record: SESEventRecord): { bucket: string; key: string } {
  const action = record.ses.receipt.action as { type?: string; bucketName?: string; objectKey?: string };
  if (action.type === 'S3' && action.bucketName !== undefined && action.objectKey !== undefined) {
    return { bucket: action.bucketName, key: action.objectKey };
  }
  return {
    bucket: requiredEnv('INBOUND_BUCKET'),
    key: `${requiredEnv('INBOUND_MAIL_PREFIX')}${record.ses.mail.messageId}`,
  };
}

export async function processRecord(record: SESEventRecord, now: Date): Promise<EmailOutcome> {
  const { bucket, key } = inboundObjectOf(record);
  const notes: ObjectTag[] = [];
  if (record.ses.mail.headersTruncated) {
    notes.push(HEADERS_TRUNCATED_TAG);
    metrics.addMetric('EmailHeadersTruncated', MetricUnit.Count, 1);
    logger.info('Inbound email headers were truncated in the SES event', { objectKey: key });
    await tagInbound(bucket, key, notes);
  }
  const reject = (reason: string) => rejectWithNotes(bucket, key, reason, notes);

  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  if ((head.ContentLength ?? 0) > MAX_REQUEST_MAIL_BYTES) return reject('oversize');

  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  let mail: ParsedMail;
  try {
    mail = await simpleParser(Buffer.from(await object.Body!.transformToByteArray()));
  } catch {
    return reject('malformed');
  }
  const reason = rejectionReason(record, mail);
  if (reason) return reject(reason);

  let sender: string;
  try {
    sender = normaliseEmail(mail.from!.value[0]!.address!);
  } catch (error) {
    if (error instanceof InvalidIdentifier) return reject('invalid-sender');
    throw error;
  }

  const requestId = requestIdForMessage(record.ses.mail.messageId);
  const evidenceBucket = requiredEnv('EVIDENCE_BUCKET');
  // Attachments (typically ID documents) go to the evidence bucket, encrypted by
  // the bucket's KMS key on AWS; their names and contents are never logged.
  const evidenceKeys: string[] = [];
  for (const [index, attachment] of mail.attachments.entries()) {
    const evidenceKey = `${requestId}/attachment-${index + 1}`;
    await s3.send(
      new PutObjectCommand({
        Bucket: evidenceBucket,
        Key: evidenceKey,
        Body: attachment.content,
        ContentType: attachment.contentType,
        Metadata: { source: 'email' },
      }),
    );
    evidenceKeys.push(evidenceKey);
  }

  const subject = mail.subject ?? '';
  const body = mail.text ?? '';
  const classification = classifyRequestEmail(subject, body);
  try {
    await takeInRequest(intakePorts, {
      requestId,
      policy: getPolicy(requiredEnv('DEFAULT_POLICY_ID')),
      channel: 'email',
      type: classification.type,
      triageCandidates: classification.candidates,
      identifiers: { email: sender },
      requester: { role: 'self' },
      details: `${subject}\n\n${body}`.slice(0, MAX_DETAILS_CHARS),
      locale: /[\u4e00-\u9fff]/.test(subject + body) ? 'zh-CN' : 'en',
      ...(evidenceKeys.length > 0 ? { evidenceKeys } : {}),
      inboundMessageKey: key,
      actor: { kind: 'requester', id: 'email' },
      now,
      statusToken: newBearerToken(),
    });
  } catch (error) {
    if (error instanceof StaleRequest) return { outcome: 'duplicate', requestId };
    throw error;
  }
  metrics.addMetric('EmailRequest', MetricUnit.Count, 1);
  return { outcome: 'created', requestId, needsTriage: classification.type === undefined };
}

async function lambdaHandler(event: SESEvent) {
  const outcomes: EmailOutcome[] = [];
  for (const record of event.Records) outcomes.push(await processRecord(record, new Date()));
  return { outcomes };
}

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics));
