/**
 * Outbound mail through an SMTP relay (regions without SES), for real: the
 * mailer reads the relay's credentials from the local Secrets Manager through
 * Powertools Parameters and sends to the local SMTP listener, which here
 * offers STARTTLS with a throw-away certificate and requires AUTH.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SESEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMail } from '../../../adapters/aws/mailer';
import { INBOUND_MAIL_BUCKET } from '../../../definitions/buckets';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/credentials';
import {
  createBuckets,
  localBucketNames,
  localS3Client,
  type S3Server,
  startS3Server,
} from '../../../local/s3';
import { type LocalSecretsManager, startSecretsManager } from '../../../local/secrets-manager';
import { type SmtpIntake, startSmtpIntake } from '../../../local/smtp';
import { type LambdaInvokePeer, startLambdaInvokePeer } from './lambda-invoke-peer';

const run = promisify(execFile);
const inboundBucket = localBucketNames('relay', [INBOUND_MAIL_BUCKET]).INBOUND_BUCKET!;
const RELAY_USER = { username: 'dsar-pipeline', password: 'correct horse battery staple' };

/** A self-signed certificate for 127.0.0.1, valid for a day. */
async function throwAwayCertificate(dir: string): Promise<{ key: string; cert: string }> {
  const keyFile = join(dir, 'relay-key.pem');
  const certFile = join(dir, 'relay-cert.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  return { key: await readFile(keyFile, 'utf8'), cert: await readFile(certFile, 'utf8') };
}

describe('sending through an SMTP relay', () => {
  let stateDir: string;
  let s3Server: S3Server;
  let s3: S3Client;
  let lambda: LambdaInvokePeer;
  let relay: SmtpIntake;
  let plainRelay: SmtpIntake;
  let secrets: LocalSecretsManager;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'dsar-relay-'));
    const certificate = await throwAwayCertificate(stateDir);
    s3Server = await startS3Server({ stateDir });
    s3 = localS3Client(s3Server.endpoint);
    await createBuckets(s3, [INBOUND_MAIL_BUCKET], { INBOUND_BUCKET: inboundBucket });
    lambda = await startLambdaInvokePeer();
    const listener = { s3, inboundBucket, lambda: lambda.client, functionName: 'RelayedMail' };
    relay = await startSmtpIntake({ ...listener, tls: certificate, auth: RELAY_USER });
    plainRelay = await startSmtpIntake(listener);
    secrets = await startSecretsManager({
      secrets: [
        { name: 'relay/trusted', value: JSON.stringify({ ...RELAY_USER, ca: certificate.cert }) },
        { name: 'relay/untrusted-certificate', value: JSON.stringify(RELAY_USER) },
        {
          name: 'relay/wrong-password',
          value: JSON.stringify({ ...RELAY_USER, password: 'wrong', ca: certificate.cert }),
        },
        { name: 'relay/not-credentials', value: JSON.stringify({ user: 'x' }) },
      ],
    });
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      SENDER_ADDRESS: 'privacy@demo-shop.example.cn',
      SMTP_RELAY_HOST: relay.host,
    });
  });

  afterAll(async () => {
    await relay?.stop();
    await plainRelay?.stop();
    await secrets?.stop();
    await lambda?.stop();
    await s3Server?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  function useRelay(listener: SmtpIntake, secretName: string) {
    process.env.SMTP_RELAY_PORT = String(listener.port);
    process.env.SMTP_RELAY_SECRET_ARN = secrets.arnOf(secretName);
  }

  const message = {
    to: 'li.lei@example.net',
    subject: '您的验证码 / Your verification code',
    text: '验证码：123456',
    messageId: '<relay-test@dsar>',
  };

  it('delivers the message over STARTTLS with the credentials from Secrets Manager', async () => {
    useRelay(relay, 'relay/trusted');
    const before = lambda.invocations.length;
    await sendMail(message);

    expect(lambda.invocations).toHaveLength(before + 1);
    const mail = (lambda.invocations[before]!.payload as SESEvent).Records[0]!.ses;
    expect(mail.mail.source).toBe('privacy@demo-shop.example.cn');
    expect(mail.mail.destination).toEqual(['li.lei@example.net']);
    expect(mail.mail.commonHeaders.subject).toBe(message.subject);
    const stored = await s3.send(
      new GetObjectCommand({ Bucket: inboundBucket, Key: `inbound/${mail.mail.messageId}` }),
    );
    const raw = await stored.Body!.transformToString('utf8');
    expect(raw).toContain('Message-ID: <relay-test@dsar>');
  });

  it.each([
    ['a wrong password', 'relay/wrong-password'],
    ['a relay certificate no trusted CA signed', 'relay/untrusted-certificate'],
  ])('refuses to send with %s, as a permanent failure', async (_, secretName) => {
    useRelay(relay, secretName);
    await expect(sendMail(message)).rejects.toMatchObject({ name: 'SmtpRelayRefused' });
  });

  it('never sends credentials or mail to a relay that offers no TLS', async () => {
    useRelay(plainRelay, 'relay/trusted');
    const before = lambda.invocations.length;
    await expect(sendMail(message)).rejects.toMatchObject({ name: 'SmtpRelayRefused' });
    expect(lambda.invocations).toHaveLength(before);
  });

  it('names a relay secret that is not { username, password } without echoing its values', async () => {
    useRelay(relay, 'relay/not-credentials');
    const failure = sendMail(message);
    await expect(failure).rejects.toMatchObject({ name: 'InvalidSmtpRelayConfiguration' });
    await expect(failure).rejects.not.toThrow(/"x"/);
  });

  it('reports a relay that cannot be reached as a transient failure', async () => {
    process.env.SMTP_RELAY_PORT = '9';
    process.env.SMTP_RELAY_SECRET_ARN = secrets.arnOf('relay/trusted');
    await expect(sendMail(message)).rejects.toMatchObject({ name: 'SmtpRelayUnavailable' });
  });
});
