/**
 * The SMS path end to end in one process: the SMS adapter (SNS Publish over the query protocol, signed)
 * against the local outbox's SNS endpoint, which keeps the message for `/sms.json`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publishBody, publishSms } from '../../../adapters/aws/clients/sns';
import { smsProviderFromEnv, smsSender } from '../../../adapters/aws/sms';
import { type Outbox, startOutbox } from '../../../local/outbox';
import { readSmsOutbox, renderSmsOutboxPage, type SmsMessage } from '../../../local/sms-outbox';

describe('SNS Publish to the local SMS outbox', () => {
  let stateDir: string;
  let outbox: Outbox;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'dsar-sms-'));
    outbox = await startOutbox({ stateDir });
    vi.stubEnv('AWS_ENDPOINT_URL_SNS', outbox.endpoint);
    vi.stubEnv('AWS_REGION', 'cn-north-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDLOCALTEST');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local-test-secret');
    vi.stubEnv('SMS_PROVIDER', 'sns');
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await outbox.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('keeps what the SMS sender publishes, newest first, and lists it at /sms.json', async () => {
    expect(smsSender.enabled).toBe(true);
    await smsSender.send({ to: '+8613800138000', text: '【示例】您的查阅请求验证码：12345678' });
    await smsSender.send({ to: '+8613800138001', text: 'second' });

    const messages = await readSmsOutbox(stateDir);
    expect(messages.map((message) => [message.to, message.text])).toEqual([
      ['+8613800138001', 'second'],
      ['+8613800138000', '【示例】您的查阅请求验证码：12345678'],
    ]);
    expect(messages[0]!.smsType).toBe('Transactional');
    const listed = (await (await fetch(`${outbox.endpoint}/sms.json`)).json()) as SmsMessage[];
    expect(listed).toEqual(messages);
    expect(await (await fetch(`${outbox.endpoint}/sms`)).text()).toContain('Local SMS outbox');
  });

  it('answers a number that is not E.164 as SNS does, and the error names neither number nor text', async () => {
    const failure = await publishSms({ phoneNumber: '13800138000', message: 'code 1234' }).catch(
      (error: unknown) => error as Error,
    );
    expect(failure).toMatchObject({ name: 'SnsRefused', message: 'SNS Publish: 400 InvalidParameter' });
  });

  it('still serves the mail outbox beside it', async () => {
    expect((await fetch(`${outbox.endpoint}/outbox.json`)).status).toBe(200);
  });
});

describe('SMS configuration of a function', () => {
  it('sends no SMS unless a provider is named, and refuses an unknown one', () => {
    expect(smsProviderFromEnv({})).toBe('disabled');
    expect(smsProviderFromEnv({ SMS_PROVIDER: 'http' })).toBe('http');
    expect(() => smsProviderFromEnv({ SMS_PROVIDER: 'carrier-pigeon' })).toThrow(
      /SMS_PROVIDER must be one of/,
    );
  });

  it('publishes a transactional SMS in the query protocol', () => {
    const form = new URLSearchParams(publishBody({ phoneNumber: '+8613800138000', message: 'x' }));
    expect(Object.fromEntries(form)).toMatchObject({
      Action: 'Publish',
      PhoneNumber: '+8613800138000',
      Message: 'x',
      'MessageAttributes.entry.1.Name': 'AWS.SNS.SMS.SMSType',
      'MessageAttributes.entry.1.Value.StringValue': 'Transactional',
    });
  });

  it('escapes what the SMS outbox page shows', () => {
    const page = renderSmsOutboxPage([
      { file: 'f.json', date: 'd', messageId: 'm', to: '+8613800138000', text: '<script>x</script>' },
    ]);
    expect(page).not.toContain('<script>');
  });
});
