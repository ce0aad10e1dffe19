/**
 * A request that gives only a phone number: the code goes by SMS, verifying it marks the phone
 * verified (`sms-code`), a new code goes by SMS again, and the subject's limits hold as for email.
 */
import { describe, expect, it } from 'vitest';
import { MemorySmsSender } from '../../../../adapters/memory/memory-sms-sender';
import { MemoryWorkflowStarter } from '../../../../adapters/memory/memory-workflow-starter';
import { resendVerificationCode } from '../../../../app/intake/resend-code';
import { submitRequest } from '../../../../app/intake/submit-request';
import { verifyRequest } from '../../../../app/intake/verify-request';
import { intakeLimitsFor } from '../../../../domain/intake-limits';
import { getPolicy } from '../../../../domain/policy/registry';
import { aSubmission, submitInput, submitPorts } from './builders';

const PHONE = '138 0013 8000';
const NORMALISED = '+8613800138000';

function phonePorts(sms = new MemorySmsSender()) {
  return { ...submitPorts(), sms, fulfilment: new MemoryWorkflowStarter() };
}

async function submitPhone(
  ports: ReturnType<typeof phonePorts>,
  overrides: Record<string, unknown> = {},
  key?: string,
) {
  const result = await submitRequest(
    ports,
    submitInput(aSubmission({ subject: { phone: PHONE }, ...overrides }), key),
  );
  if (result.outcome !== 'accepted') throw new Error(result.outcome);
  return result.receipt as Record<string, unknown> & { requestId: string };
}

describe('a request by phone number alone', () => {
  it('sends the code by SMS to the normalised number, and nothing by mail', async () => {
    const ports = phonePorts();
    const receipt = await submitPhone(ports);

    expect(receipt).toMatchObject({ status: 'pending-verification', verification: { method: 'sms-code' } });
    expect(ports.mailer.sent).toEqual([]);
    expect(ports.sms.sent).toHaveLength(1);
    expect(ports.sms.sent[0]!.to).toBe(NORMALISED);
    const record = await ports.requests.get(receipt.requestId);
    expect(record.subjectKey).toBe(record.identifiers[0]!.key);
    expect(record.subjectKey.startsWith('phone#')).toBe(true);
    const trail = await ports.requests.trail(receipt.requestId);
    expect(trail.at(-1)).toMatchObject({
      type: 'verification-code-sent',
      details: { to: '+86138****8000', method: 'sms-code' },
    });
  });

  it('says only the organisation, the request type and the code, the requester’s language first', async () => {
    const ports = phonePorts();
    await submitPhone(ports, { locale: 'zh-CN', type: 'deletion' });
    const [code] = ports.oneTimeSecrets.codes;
    const { text } = ports.sms.sent[0]!;
    expect(text).toBe(
      `【Qihong (Chongqing) Technologies Co., Ltd. (CAftrade)】您的删除请求验证码：${code} / ` +
        `Qihong (Chongqing) Technologies Co., Ltd. (CAftrade): Deletion request code ${code}`,
    );
    expect(text).not.toContain('dsr-');
    expect(text).not.toContain('http');
    expect(text).not.toContain('8000');

    const english = phonePorts();
    await submitPhone(english);
    expect(
      english.sms.sent[0]!.text.startsWith('Qihong (Chongqing) Technologies Co., Ltd. (CAftrade): Access'),
    ).toBe(true);
  });

  it('verifies the phone number (sms-code) with the right code and starts fulfilment', async () => {
    const ports = phonePorts();
    const { requestId } = await submitPhone(ports);
    ports.clock.advance(60_000);

    const result = await verifyRequest(ports, requestId, ports.oneTimeSecrets.codes[0]!);

    expect(result).toMatchObject({ outcome: 'verified', answer: { status: 'verified' } });
    const record = await ports.requests.get(requestId);
    expect(record.identifiers).toEqual([
      expect.objectContaining({
        kind: 'phone',
        value: NORMALISED,
        verified: true,
        verifiedBy: 'sms-code',
        verifiedAt: ports.clock.now().toISOString(),
      }),
    ]);
    const trail = await ports.requests.trail(requestId);
    expect(trail.find((event) => event.type === 'identity-verified')).toMatchObject({
      details: { method: 'sms-code', identifier: '+86138****8000' },
    });
    expect(ports.fulfilment.started).toEqual([requestId]);
  });

  it('verifies only the phone when an account id came with it', async () => {
    const ports = phonePorts();
    const { requestId } = await submitPhone(ports, { subject: { accountId: 'cust-1', phone: PHONE } });
    await verifyRequest(ports, requestId, ports.oneTimeSecrets.codes[0]!);
    const record = await ports.requests.get(requestId);
    expect(record.identifiers.map((i) => [i.kind, i.verified])).toEqual([
      ['phone', true],
      ['accountId', false],
    ]);
  });

  it('keeps email primary when both are given: the code goes by mail and verifies the email only', async () => {
    const ports = phonePorts();
    const { requestId } = await submitPhone(ports, { subject: { email: 'a@example.com', phone: PHONE } });
    expect(ports.sms.sent).toEqual([]);
    expect(ports.mailer.sent).toHaveLength(1);
    await verifyRequest(ports, requestId, ports.oneTimeSecrets.codes[0]!);
    const record = await ports.requests.get(requestId);
    expect(record.identifiers.find((i) => i.kind === 'email')).toMatchObject({ verifiedBy: 'email-code' });
    expect(record.identifiers.find((i) => i.kind === 'phone')).toMatchObject({ verified: false });
  });

  it('resends by SMS; the old code stops working', async () => {
    const ports = phonePorts();
    const { requestId } = await submitPhone(ports);
    await expect(resendVerificationCode(ports, requestId)).resolves.toEqual({ outcome: 'accepted' });

    const [oldCode, newCode] = ports.oneTimeSecrets.codes;
    expect(ports.sms.sent).toHaveLength(2);
    expect(ports.sms.sent[1]!.text).toContain(newCode);
    expect(ports.mailer.sent).toEqual([]);
    expect((await ports.requests.get(requestId)).verification).toMatchObject({
      method: 'sms-code',
      resends: 1,
    });
    expect((await verifyRequest(ports, requestId, oldCode!)).outcome).toBe('wrong-code');
    expect((await verifyRequest(ports, requestId, newCode!)).outcome).toBe('verified');
  });

  it('keeps the request when the SMS fails, and records the failure by error name on the trail', async () => {
    const ports = phonePorts();
    ports.sms.failWith = Object.assign(new Error(`no route to ${NORMALISED}`), { name: 'SnsUnavailable' });
    const { requestId } = await submitPhone(ports);

    expect((await ports.requests.get(requestId)).status).toBe('pending-verification');
    const trail = await ports.requests.trail(requestId);
    expect(trail.at(-1)).toMatchObject({
      type: 'notification-failed',
      details: { notice: 'verification-code', channel: 'sms', errorName: 'SnsUnavailable' },
    });
    expect(JSON.stringify(ports.telemetry.errors)).not.toContain('13800138000');
  });

  it('is refused (400 naming subject.email) where the policy does not verify by SMS', async () => {
    const ports = phonePorts();
    await expect(submitPhone(ports, { residence: 'gdpr' })).rejects.toMatchObject({
      name: 'SmsVerificationNotOffered',
      field: 'subject.email',
    });
    expect(ports.requests.records.size).toBe(0);
  });

  it('is refused where the deployment sends no SMS', async () => {
    const ports = phonePorts(new MemorySmsSender(false));
    await expect(submitPhone(ports)).rejects.toMatchObject({
      name: 'SmsVerificationNotOffered',
      message: expect.stringContaining('sends no SMS'),
    });
  });

  it('goes through the subject’s limits: too many unverified requests for one number send the next to an agent', async () => {
    const ports = phonePorts();
    const limit = intakeLimitsFor(getPolicy('caftrade')).maxOpenUnverifiedPerSubject;
    for (let request = 0; request < limit; request++) {
      const receipt = await submitPhone(ports, {}, `key-${request}`);
      expect(receipt.verification).toMatchObject({ method: 'sms-code' });
    }
    const held = await submitPhone(ports, {}, 'key-held');
    expect(held.verification).toBeUndefined();
    expect(ports.sms.sent).toHaveLength(limit);
  });
});
