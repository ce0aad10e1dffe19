/**
 * Requests by email, sent as a requester would: nodemailer over SMTP to the
 * stack's intake port, which stores the raw mail and invokes EmailIntake as
 * SES does. What came of it is read from the outbox (the code mailed back),
 * the Requests table and the buckets, with the local credentials.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { describe, expect, inject, it } from 'vitest';
import { requestIdForMessage } from '../../../app/intake/email-intake';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/credentials';
import { localBucketNames, localS3Client } from '../../../local/s3';
import { buildSesReceiptEvent, LOCAL_VERDICTS, parseHeaderBlock } from '../../../local/smtp';
import { codeIn, eventually, mailTo, pipelineTables, uniqueEmail, waitForMail } from '../support/pipeline';

const PRIVACY_MAILBOX = 'privacy@demo-shop.local';
const buckets = localBucketNames();

/** Sends one mail to the intake port; returns the SES-style message id from the `250 Ok <id>` reply. */
async function sendToIntake(mail: Mail.Options): Promise<string> {
  const { smtpPort } = inject('stack');
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  try {
    const info = await transport.sendMail({ to: PRIVACY_MAILBOX, ...mail });
    const messageId = /^250 Ok ([0-9a-f]+)/.exec(info.response)?.[1];
    if (!messageId) throw new Error(`Unexpected SMTP reply: ${info.response}`);
    return messageId;
  } finally {
    transport.close();
  }
}

/** Waits until EmailIntake has stored the request made from message `messageId`. */
async function storedRequestFor(messageId: string) {
  const tables = pipelineTables(inject('stack'));
  const requestId = requestIdForMessage(messageId);
  return eventually(() => tables.request(requestId), 'the request made from a mail');
}

describe('email intake', () => {
  it('turns a Chinese deletion mail into a deletion request and mails a code to the sender', async () => {
    const stack = inject('stack');
    const sender = uniqueEmail('mail-zh');
    const messageId = await sendToIntake({
      from: `王小明 <${sender}>`,
      subject: '删除我的个人信息',
      text: '您好，请删除我在贵公司的所有个人信息。谢谢。',
    });

    const record = await storedRequestFor(messageId);
    expect(record).toMatchObject({
      type: 'deletion',
      needsTriage: false,
      channel: 'email',
      status: 'pending-verification',
      locale: 'zh-CN',
      identifiers: [{ kind: 'email', value: sender, verified: false }],
    });
    const mail = await waitForMail(stack, sender);
    expect(codeIn(mail)).toMatch(/^\d{8}$/);
    expect(mail.text).toContain(record.requestId);
  });

  it('turns an English "copy of my data" mail into a copy request', async () => {
    const sender = uniqueEmail('mail-en');
    const messageId = await sendToIntake({
      from: sender,
      subject: 'Request for a copy of my data',
      text: 'Hello, please send me a copy of my personal data. Regards',
    });

    expect(await storedRequestFor(messageId)).toMatchObject({
      type: 'copy',
      needsTriage: false,
      locale: 'en',
    });
  });

  it('keeps a mail it cannot classify as a request that needs triage', async () => {
    const sender = uniqueEmail('mail-triage');
    const messageId = await sendToIntake({
      from: sender,
      subject: 'Hello',
      text: 'I have a question about the parcel I ordered last week.',
    });

    const record = await storedRequestFor(messageId);
    expect(record.needsTriage).toBe(true);
    expect(record.type).toBeUndefined();
    expect(record.status).toBe('pending-verification');
  });

  it('takes in a mail with a forged From: (DMARC FAIL) and an attached ID for triage, marked suspected spoofing, and mails no code', async () => {
    const stack = inject('stack');
    const victim = uniqueEmail('mail-spoofed');
    const messageId = await sendToIntake({
      from: victim,
      subject: 'Please delete my data',
      text: 'Please delete all of my personal data. My ID card is attached.',
      attachments: [{ filename: 'id.png', content: Buffer.from('a forged id'), contentType: 'image/png' }],
      // Local only: the SMTP listener puts these verdicts in the event, as SES would for a forged From:.
      headers: { 'X-Local-SES-Verdicts': 'spf=FAIL; dmarc=FAIL' },
    });

    const record = await storedRequestFor(messageId);
    expect(record).toMatchObject({
      needsTriage: true,
      triageCandidates: ['deletion'],
      mailFlags: ['suspected-spoofing'],
      status: 'received',
      evidenceKeys: [`${record.requestId}/attachment-1`],
    });
    expect(record.type).toBeUndefined();
    // No code was made, so none can be on its way.
    expect(record.verification).toBeUndefined();
    const trail = await pipelineTables(stack).auditTrail(record.requestId);
    expect(trail.map((event) => event.type)).toEqual(['request-received']);
    expect(trail[0]?.details).toMatchObject({
      type: 'needs-triage',
      mailFlags: ['suspected-spoofing'],
      failedChecks: ['spf', 'dmarc'],
    });
    expect(await mailTo(stack, victim)).toHaveLength(0);
  });

  it('stores an attached ID document in the evidence bucket under the request id, and never logs it', async () => {
    const stack = inject('stack');
    const sender = uniqueEmail('mail-evidence');
    const document = `FAKE-ID-DOCUMENT-${randomBytes(8).toString('hex')}`;
    const fileName = `id-card-${randomBytes(4).toString('hex')}.png`;
    const messageId = await sendToIntake({
      from: sender,
      subject: '查阅我的个人信息',
      text: '附件是我的身份证。',
      attachments: [{ filename: fileName, content: Buffer.from(document), contentType: 'image/png' }],
    });

    const record = await storedRequestFor(messageId);
    const s3 = localS3Client(stack.s3);
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: buckets.EVIDENCE_BUCKET, Prefix: `${record.requestId}/` }),
    );
    expect(listed.Contents?.map((object) => object.Key)).toEqual(record.evidenceKeys);
    const stored = await s3.send(
      new GetObjectCommand({ Bucket: buckets.EVIDENCE_BUCKET, Key: record.evidenceKeys![0] }),
    );
    expect(await stored.Body!.transformToString()).toBe(document);

    const log = await readFile(stack.logFile, 'utf8');
    expect(log).not.toContain(document);
    expect(log).not.toContain(fileName);
    expect(log).not.toContain(sender);
  });

  it('makes no request of an auto-reply and tags the stored mail dsar-rejected', async () => {
    const stack = inject('stack');
    const sender = uniqueEmail('mail-auto');
    const messageId = await sendToIntake({
      from: sender,
      subject: 'Out of office: 删除我的个人信息',
      text: 'I am away until Monday.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });

    const s3 = localS3Client(stack.s3);
    const tags = await eventually(async () => {
      const { TagSet } = await s3.send(
        new GetObjectTaggingCommand({ Bucket: buckets.INBOUND_BUCKET, Key: `inbound/${messageId}` }),
      );
      return TagSet && TagSet.length > 0 ? TagSet : undefined;
    }, 'the rejection tag');
    expect(tags).toEqual([{ Key: 'dsar-rejected', Value: 'auto-submitted' }]);
    expect(await pipelineTables(stack).request(requestIdForMessage(messageId))).toBeUndefined();
    expect(await mailTo(stack, sender)).toHaveLength(0);
  });

  /** The tags of the stored mail, once it has any. */
  async function tagsOf(messageId: string) {
    const s3 = localS3Client(inject('stack').s3);
    return eventually(async () => {
      const { TagSet } = await s3.send(
        new GetObjectTaggingCommand({ Bucket: buckets.INBOUND_BUCKET, Key: `inbound/${messageId}` }),
      );
      return TagSet && TagSet.length > 0 ? TagSet : undefined;
    }, 'a tag on the stored mail');
  }

  it('takes an 8 MB photo through SMTP as SES would, then rejects the mail as oversize with a tag', async () => {
    const stack = inject('stack');
    const sender = uniqueEmail('mail-photo');
    // 8 MB of photo is about 11 MB once base64-encoded: under SES's 40 MB, over the intake's 10 MiB.
    const messageId = await sendToIntake({
      from: sender,
      subject: 'Delete my data',
      text: 'A photo of my ID card is attached.',
      attachments: [
        { filename: 'id.jpg', content: Buffer.alloc(8 * 1000 * 1000, 7), contentType: 'image/jpeg' },
      ],
    });

    expect(await tagsOf(messageId)).toEqual([{ Key: 'dsar-rejected', Value: 'oversize' }]);
    expect(await pipelineTables(stack).request(requestIdForMessage(messageId))).toBeUndefined();
    expect(await mailTo(stack, sender)).toHaveLength(0);
  });

  it("refuses a mail over SES's 40 MB at SMTP with 552", async () => {
    const sending = sendToIntake({
      from: uniqueEmail('mail-huge'),
      subject: 'A copy of my data',
      text: 'Attached, everything.',
      // 30 MiB is 40.5 MiB once base64-encoded with line breaks.
      attachments: [{ filename: 'big.bin', content: Buffer.alloc(30 * 1024 * 1024, 1) }],
    });

    await expect(sending).rejects.toMatchObject({ responseCode: 552 });
  });

  it('takes in a mail with 300 KB of headers and tags it dsar-headers-truncated, where it used to get 451 forever', async () => {
    const stack = inject('stack');
    const sender = uniqueEmail('mail-long-headers');
    const messageId = await sendToIntake({
      from: sender,
      subject: 'Please erase my personal data',
      text: 'Erase all of my personal data, please.',
      headers: Object.fromEntries(
        Array.from({ length: 300 }, (_, hop) => [`X-Trace-${hop}`, `hop ${hop} ${'t'.repeat(1000)}`]),
      ),
    });

    const record = await storedRequestFor(messageId);
    expect(record).toMatchObject({ type: 'deletion', channel: 'email', status: 'pending-verification' });
    expect(await tagsOf(messageId)).toEqual([{ Key: 'dsar-headers-truncated', Value: 'true' }]);
    expect(codeIn(await waitForMail(stack, sender))).toMatch(/^\d{8}$/);
  });

  it('reads the mail of an event shaped like the one SES sends a Lambda action: <prefix><messageId>', async () => {
    const stack = inject('stack');
    const sender = uniqueEmail('mail-lambda-action');
    const messageId = randomBytes(20).toString('hex');
    const raw = await new MailComposer({
      from: sender,
      to: PRIVACY_MAILBOX,
      subject: 'Access request',
      text: 'Please send me a copy of my personal data.',
    })
      .compile()
      .build();
    // What the receipt rule's S3 action does: ObjectKeyPrefix + SES message id.
    await localS3Client(stack.s3).send(
      new PutObjectCommand({ Bucket: buckets.INBOUND_BUCKET, Key: `inbound/${messageId}`, Body: raw }),
    );
    const event = buildSesReceiptEvent({
      messageId,
      receivedAt: new Date(),
      source: sender,
      recipients: [PRIVACY_MAILBOX],
      headers: parseHeaderBlock(raw),
      bucketName: buckets.INBOUND_BUCKET!,
      objectKeyPrefix: 'inbound/',
      processingTimeMillis: 1,
      verdicts: LOCAL_VERDICTS,
    });
    // The Lambda action's event names the Lambda action, not where the S3 action stored the mail.
    (event.Records[0]!.ses.receipt as { action: unknown }).action = {
      type: 'Lambda',
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:EmailIntake',
      invocationType: 'Event',
    };
    const lambda = new LambdaClient({
      endpoint: stack.lambda,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: 'EmailIntake', Payload: Buffer.from(JSON.stringify(event)) }),
    );
    expect(result.FunctionError).toBeUndefined();
    const requestId = requestIdForMessage(messageId);
    expect(JSON.parse(Buffer.from(result.Payload!).toString('utf8'))).toEqual({
      outcomes: [{ outcome: 'created', requestId, needsTriage: false }],
    });
    expect((await pipelineTables(stack).request(requestId))?.inboundMessageKey).toBe(`inbound/${messageId}`);
  });

  it('makes one request of the same SES message delivered twice', async () => {
    const stack = inject('stack');
    const sender = uniqueEmail('mail-twice');
    const messageId = randomBytes(20).toString('hex');
    const raw = await new MailComposer({
      from: sender,
      to: PRIVACY_MAILBOX,
      subject: 'Please erase my personal data',
      text: 'Erase all of my personal data, please.',
    })
      .compile()
      .build();
    const s3 = localS3Client(stack.s3);
    await s3.send(
      new PutObjectCommand({ Bucket: buckets.INBOUND_BUCKET, Key: `inbound/${messageId}`, Body: raw }),
    );
    const event = buildSesReceiptEvent({
      messageId,
      receivedAt: new Date(),
      source: sender,
      recipients: [PRIVACY_MAILBOX],
      headers: parseHeaderBlock(raw),
      bucketName: buckets.INBOUND_BUCKET!,
      objectKeyPrefix: 'inbound/',
      processingTimeMillis: 1,
      verdicts: LOCAL_VERDICTS,
    });
    const lambda = new LambdaClient({
      endpoint: stack.lambda,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const invoke = async () => {
      const result = await lambda.send(
        new InvokeCommand({ FunctionName: 'EmailIntake', Payload: Buffer.from(JSON.stringify(event)) }),
      );
      expect(result.FunctionError).toBeUndefined();
      return JSON.parse(Buffer.from(result.Payload!).toString('utf8')) as { outcomes: { outcome: string }[] };
    };

    const first = await invoke();
    const second = await invoke();

    const requestId = requestIdForMessage(messageId);
    expect(first.outcomes).toEqual([{ outcome: 'created', requestId, needsTriage: false }]);
    expect(second.outcomes).toEqual([{ outcome: 'duplicate', requestId }]);
    expect(await pipelineTables(stack).request(requestId)).toMatchObject({ type: 'deletion' });
    expect(await mailTo(stack, sender)).toHaveLength(1);
  });
});
