import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, GetObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SESEvent } from 'aws-lambda';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { INBOUND_MAIL_BUCKET } from '../../../definitions/buckets';
import { ASYNC_PAYLOAD_LIMIT_BYTES } from '../../../local/lambda';
import {
  createBuckets,
  localBucketNames,
  localS3Client,
  type S3Server,
  startS3Server,
} from '../../../local/s3';
import { REFUSAL_TAG, type SmtpIntake, startSmtpIntake } from '../../../local/smtp';
import { type LambdaInvokePeer, startLambdaInvokePeer } from './lambda-invoke-peer';

/** Sends each command and collects the final reply line to each, like a bare SMTP client. */
async function rawSmtpDialogue(port: number, commands: readonly string[]): Promise<string[]> {
  const socket = connect(port, '127.0.0.1');
  const lines: string[] = [];
  let pending = '';
  let waiting: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    let newline = pending.indexOf('\r\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 2);
      // "250-..." continues a multi-line reply; "250 ..." ends it.
      if (/^\d{3} /.test(line)) {
        lines.push(line);
        waiting?.();
      }
      newline = pending.indexOf('\r\n');
    }
  });
  const nextReply = (count: number) =>
    new Promise<void>((resolve) => {
      if (lines.length >= count) return resolve();
      waiting = () => lines.length >= count && resolve();
    });
  await nextReply(1);
  for (const command of commands) {
    const expected = lines.length + 1;
    socket.write(`${command}\r\n`);
    await nextReply(expected);
  }
  socket.destroy();
  return lines.slice(1);
}

const inboundBucket = localBucketNames('dsar', [INBOUND_MAIL_BUCKET]).INBOUND_BUCKET!;

describe('the SMTP intake', () => {
  let stateDir: string;
  let s3Server: S3Server;
  let s3: S3Client;
  let lambda: LambdaInvokePeer;
  let intake: SmtpIntake;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'dsar-smtp-'));
    s3Server = await startS3Server({ stateDir });
    s3 = localS3Client(s3Server.endpoint);
    await createBuckets(s3, [INBOUND_MAIL_BUCKET], { INBOUND_BUCKET: inboundBucket });
    lambda = await startLambdaInvokePeer();
    intake = await startSmtpIntake({
      s3,
      inboundBucket,
      lambda: lambda.client,
      functionName: 'ReceiveEmailRequest',
      maxMessageBytes: 512 * 1024,
      recipients: ['privacy@example.com', 'dsar.example.org'],
    });
  });

  afterAll(async () => {
    await intake?.stop();
    await lambda?.stop();
    s3?.destroy();
    await s3Server?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    lambda.invocations.length = 0;
    lambda.answerWith(202);
  });

  const send = (message: Parameters<ReturnType<typeof createTransport>['sendMail']>[0]) =>
    createTransport({ host: intake.host, port: intake.port, secure: false, ignoreTLS: true }).sendMail(
      message,
    );

  it('stores the raw message in the inbound bucket and invokes the function with an SES event', async () => {
    const info = await send({
      from: 'Li Lei <li.lei@example.net>',
      to: 'privacy@example.com',
      subject: '查阅我的个人信息',
      text: '请提供我的个人信息副本。',
      messageId: '<request-1@example.net>',
    });
    expect(info.accepted).toEqual(['privacy@example.com']);

    expect(lambda.invocations).toHaveLength(1);
    const [invocation] = lambda.invocations;
    expect(invocation?.functionName).toBe('ReceiveEmailRequest');
    expect(invocation?.invocationType).toBe('Event');

    const event = invocation?.payload as SESEvent;
    expect(event.Records).toHaveLength(1);
    const record = event.Records[0]!;
    expect(record).toMatchObject({ eventSource: 'aws:ses', eventVersion: '1.0' });
    const { mail, receipt } = record.ses;
    expect(mail).toMatchObject({
      source: 'li.lei@example.net',
      destination: ['privacy@example.com'],
      headersTruncated: false,
      commonHeaders: {
        returnPath: 'li.lei@example.net',
        from: ['Li Lei <li.lei@example.net>'],
        to: ['privacy@example.com'],
        subject: '查阅我的个人信息',
        messageId: '<request-1@example.net>',
      },
    });
    expect(mail.messageId).toMatch(/^[0-9a-z]{40}$/);
    expect(new Date(mail.timestamp).toISOString()).toBe(mail.timestamp);
    expect(mail.commonHeaders.date).not.toBe('');
    expect(mail.headers.slice(0, 2).map((header) => header.name)).toEqual(['Return-Path', 'Received']);
    expect(mail.headers).toContainEqual({ name: 'Message-ID', value: '<request-1@example.net>' });
    expect(receipt).toMatchObject({
      recipients: ['privacy@example.com'],
      spamVerdict: { status: 'DISABLED' },
      virusVerdict: { status: 'DISABLED' },
      spfVerdict: { status: 'GRAY' },
      dkimVerdict: { status: 'GRAY' },
      dmarcVerdict: { status: 'GRAY' },
      action: {
        type: 'S3',
        bucketName: inboundBucket,
        objectKeyPrefix: 'inbound/',
        objectKey: `inbound/${mail.messageId}`,
      },
    });
    expect(receipt.processingTimeMillis).toBeGreaterThanOrEqual(0);

    const action = receipt.action as { bucketName: string; objectKey: string };
    const object = await s3.send(new GetObjectCommand({ Bucket: action.bucketName, Key: action.objectKey }));
    const raw = await object.Body!.transformToString();
    expect(raw.startsWith('Return-Path: <li.lei@example.net>\r\nReceived: from ')).toBe(true);
    expect(raw).toContain('Message-ID: <request-1@example.net>');
    expect(raw).toContain('Content-Transfer-Encoding');
  });

  it('accepts any address at a domain the rule lists', async () => {
    const info = await send({
      from: 'a@example.net',
      to: 'anyone@dsar.example.org',
      subject: 'x',
      text: 'y',
    });
    expect(info.accepted).toEqual(['anyone@dsar.example.org']);
    expect(lambda.invocations).toHaveLength(1);
  });

  it('refuses a recipient the rule does not list with 550 and invokes nothing', async () => {
    await expect(
      send({ from: 'a@example.net', to: 'someone@elsewhere.example', subject: 'x', text: 'y' }),
    ).rejects.toMatchObject({ responseCode: 550 });
    expect(lambda.invocations).toHaveLength(0);
  });

  it('refuses a message over the size limit with 552 and invokes nothing', async () => {
    await expect(
      send({
        from: 'a@example.net',
        to: 'privacy@example.com',
        subject: 'big',
        text: 'x'.repeat(600 * 1024),
      }),
    ).rejects.toMatchObject({ responseCode: 552 });
    expect(lambda.invocations).toHaveLength(0);
  });

  it('refuses with 552 a message that grows past the limit without declaring its size', async () => {
    const replies = await rawSmtpDialogue(intake.port, [
      'EHLO client.example',
      'MAIL FROM:<a@example.net>',
      'RCPT TO:<privacy@example.com>',
      'DATA',
      `Subject: big\r\n\r\n${'x'.repeat(600 * 1024)}\r\n.`,
      'QUIT',
    ]);
    expect(replies.at(-2)).toMatch(/^552 /);
    expect(lambda.invocations).toHaveLength(0);
  });

  /** The tags of the object the last invocation named. */
  async function tagsOfLastInvocation() {
    const event = lambda.invocations.at(-1)?.payload as SESEvent;
    const action = event.Records[0]!.ses.receipt.action as { bucketName: string; objectKey: string };
    const { TagSet } = await s3.send(
      new GetObjectTaggingCommand({ Bucket: action.bucketName, Key: action.objectKey }),
    );
    return TagSet;
  }

  it('answers 451 so the sender retries when the function cannot be invoked, and tags the stored mail', async () => {
    lambda.answerWith(500);
    await expect(
      send({ from: 'a@example.net', to: 'privacy@example.com', subject: 'x', text: 'y' }),
    ).rejects.toMatchObject({ responseCode: 451 });

    expect(await tagsOfLastInvocation()).toEqual([{ Key: REFUSAL_TAG, Value: 'invoke-failed' }]);
  });

  it('answers 554, not 451, when Invoke refuses the event itself, and tags the stored mail', async () => {
    lambda.answerWith(413);
    await expect(
      send({ from: 'a@example.net', to: 'privacy@example.com', subject: 'x', text: 'y' }),
    ).rejects.toMatchObject({ responseCode: 554 });

    expect(lambda.invocations).toHaveLength(1);
    expect(await tagsOfLastInvocation()).toEqual([{ Key: REFUSAL_TAG, Value: 'invoke-refused' }]);
  });

  it('accepts a mail with 300 KB of headers and hands the function an event with headersTruncated', async () => {
    const trace = Object.fromEntries(
      Array.from({ length: 300 }, (_, hop) => [`X-Trace-${hop}`, `hop ${hop} ${'t'.repeat(1000)}`]),
    );
    const info = await send({
      from: 'a@example.net',
      to: 'privacy@example.com',
      subject: 'Delete my data',
      text: 'Please delete my data.',
      headers: trace,
    });
    expect(info.accepted).toEqual(['privacy@example.com']);

    expect(lambda.invocations).toHaveLength(1);
    const payload = lambda.invocations[0]!.payload as SESEvent;
    expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThan(ASYNC_PAYLOAD_LIMIT_BYTES);
    const { mail, receipt } = payload.Records[0]!.ses;
    expect(mail.headersTruncated).toBe(true);
    expect(mail.headers.length).toBeLessThan(300);
    // The stored message keeps every header field.
    const action = receipt.action as { bucketName: string; objectKey: string };
    const object = await s3.send(new GetObjectCommand({ Bucket: action.bucketName, Key: action.objectKey }));
    const raw = await object.Body!.transformToString();
    expect(raw).toContain('X-Trace-299: hop 299');
    expect(Buffer.byteLength(raw)).toBeGreaterThan(300 * 1000);
    expect(await tagsOfLastInvocation()).toEqual([]);
  });
});
