/**
 * The production ports of email intake (app/intake/ports.ts): the stored mail in the inbound bucket, the
 * evidence bucket, Powertools logs and metrics, and where an SES event says the mail is.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import type { SESEventRecord, SESReceipt } from 'aws-lambda';
import type { ReceivedMail } from '../../app/intake/email-intake';
import type { EvidenceStore, InboundMailStore, InboundMailTelemetry } from '../../app/intake/ports';
import type { MailVerdicts } from '../../domain/mail-authenticity';
import { s3 } from './clients/s3';
import { logger, metrics, requiredEnv } from './runtime';

export const inboundMailStore: InboundMailStore = {
  async size({ bucket, key }) {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.ContentLength ?? 0;
  },
  async read({ bucket, key }) {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return object.Body!.transformToByteArray();
  },
  async tag({ bucket, key }, tags) {
    const TagSet = tags.map((tag) => ({ Key: tag.key, Value: tag.value }));
    await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet } }));
  },
};

/** Evidence in the evidence bucket, encrypted by the bucket's KMS key on AWS. */
export const evidenceStore: EvidenceStore = {
  async put({ key, content, contentType, source }) {
    await s3.send(
      new PutObjectCommand({
        Bucket: requiredEnv('EVIDENCE_BUCKET'),
        Key: key,
        Body: content,
        ContentType: contentType,
        Metadata: { source },
      }),
    );
  },
};

export const inboundMailTelemetry: InboundMailTelemetry = {
  count: (metric) => metrics.addMetric(metric, MetricUnit.Count, 1),
  error: (message, fields) => logger.error(message, fields),
  warn: (message, fields) => logger.warn(message, fields),
  info: (message, fields) => logger.info(message, fields),
};

/**
 * Where the receipt rule's S3 action stored the message. SES invokes EmailIntake
 * through the rule's Lambda action, whose event names that action
 * (`type: 'Lambda'`), not the S3 one: the object is the S3 action's
 * `<ObjectKeyPrefix><messageId>` in the inbound bucket, the prefix given to
 * the function as INBOUND_MAIL_PREFIX by the same construct that sets it on
 * the S3 action. An event that carries an S3 action (an SNS-delivered one)
 * names the object itself.
 */
export function receivedMailOf(record: SESEventRecord): ReceivedMail {
  const { mail, receipt } = record.ses;
  const action = receipt.action as { type?: string; bucketName?: string; objectKey?: string };
  const stored =
    action.type === 'S3' && action.bucketName !== undefined && action.objectKey !== undefined
      ? { bucket: action.bucketName, key: action.objectKey }
      : {
          bucket: requiredEnv('INBOUND_BUCKET'),
          key: `${requiredEnv('INBOUND_MAIL_PREFIX')}${mail.messageId}`,
        };
  return {
    messageId: mail.messageId,
    stored,
    headersTruncated: mail.headersTruncated === true,
    verdicts: verdictsOf(receipt),
  };
}

/** Every verdict the receipt gives, by name; one the receipt leaves out stays absent (never PASS). */
function verdictsOf(receipt: SESReceipt): MailVerdicts {
  const given = {
    spf: receipt.spfVerdict?.status,
    dkim: receipt.dkimVerdict?.status,
    dmarc: receipt.dmarcVerdict?.status,
    spam: receipt.spamVerdict?.status,
    virus: receipt.virusVerdict?.status,
  };
  return Object.fromEntries(Object.entries(given).filter((entry) => typeof entry[1] === 'string'));
}
