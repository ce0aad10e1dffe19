import { describe, expect, it } from 'vitest';
import { MemoryWorkflowStarter } from '../../../../adapters/memory/memory-workflow-starter';
import { submitRequest } from '../../../../app/intake/submit-request';
import { verifyRequest } from '../../../../app/intake/verify-request';
import { MAX_CODE_ATTEMPTS } from '../../../../domain/verification';
import { aSubmission, submitInput, submitPorts } from './builders';

async function submitted(overrides: Record<string, unknown> = {}, policyId = 'caftrade') {
  const ports = { ...submitPorts(), fulfilment: new MemoryWorkflowStarter() };
  const result = await submitRequest(
    ports,
    submitInput(aSubmission({ ...overrides, residence: policyId === 'caftrade' ? 'CN' : policyId })),
  );
  if (result.outcome !== 'accepted') throw new Error(result.outcome);
  const requestId = result.receipt.requestId as string;
  return { ports, requestId, code: ports.oneTimeSecrets.codes[0]! };
}

describe('verifyRequest', () => {
  it('verifies the email with the right code, starts the clock and starts fulfilment', async () => {
    const { ports, requestId, code } = await submitted();
    ports.clock.advance(60_000);

    const result = await verifyRequest(ports, requestId, code);

    expect(result).toMatchObject({ outcome: 'verified', answer: { requestId, status: 'verified' } });
    const record = await ports.requests.get(requestId);
    expect(record.identifiers.find((i) => i.kind === 'email')).toMatchObject({
      verified: true,
      verifiedBy: 'email-code',
      verifiedAt: ports.clock.now().toISOString(),
    });
    expect(record.deadline.dueDate).toBeDefined();
    expect(ports.fulfilment.started).toEqual([requestId]);
  });

  it('counts a wrong code and tells how many tries are left', async () => {
    const { ports, requestId } = await submitted();
    await expect(verifyRequest(ports, requestId, '999999')).resolves.toEqual({
      outcome: 'wrong-code',
      attemptsLeft: MAX_CODE_ATTEMPTS - 1,
    });
    const trail = await ports.requests.trail(requestId);
    expect(trail.at(-1)).toMatchObject({ type: 'verification-failed', details: { attemptsLeft: 4 } });
    expect(ports.fulfilment.started).toEqual([]);
  });

  it(`locks after ${MAX_CODE_ATTEMPTS} wrong codes, once, and then refuses even the right code`, async () => {
    const { ports, requestId, code } = await submitted();
    for (let attempt = 1; attempt < MAX_CODE_ATTEMPTS; attempt++) {
      expect((await verifyRequest(ports, requestId, '999999')).outcome).toBe('wrong-code');
    }
    await expect(verifyRequest(ports, requestId, '999999')).resolves.toEqual({ outcome: 'locked' });
    await expect(verifyRequest(ports, requestId, code)).resolves.toEqual({ outcome: 'locked' });

    const trail = await ports.requests.trail(requestId);
    expect(trail.filter((event) => event.type === 'verification-locked')).toHaveLength(1);
    expect(ports.telemetry.counts.get('VerificationLocked')).toBe(1);
    expect((await ports.requests.get(requestId)).status).toBe('pending-verification');
  });

  it('refuses a code after its lifetime', async () => {
    const { ports, requestId, code } = await submitted();
    ports.clock.advance(31 * 60_000);
    await expect(verifyRequest(ports, requestId, code)).resolves.toEqual({ outcome: 'expired' });
  });

  it('answers not-awaiting-verification once the request is verified', async () => {
    const { ports, requestId, code } = await submitted();
    await verifyRequest(ports, requestId, code);
    await expect(verifyRequest(ports, requestId, code)).resolves.toEqual({
      outcome: 'not-awaiting-verification',
    });
  });

  it('does not start fulfilment when the policy needs an approval first', async () => {
    const { ports, requestId, code } = await submitted({ type: 'account-cancellation' });
    const result = await verifyRequest(ports, requestId, code);
    expect(result).toMatchObject({
      outcome: 'verified',
      answer: { status: 'verified', note: expect.stringContaining('supervisor approves') },
    });
    expect(ports.fulfilment.started).toEqual([]);
  });

  it('leaves a request made on behalf of someone else for an agent to review', async () => {
    const { ports, requestId, code } = await submitted({
      requester: { role: 'guardian', name: 'A Parent', relation: 'mother' },
    });
    const result = await verifyRequest(ports, requestId, code);
    expect(result).toMatchObject({ outcome: 'verified', answer: { status: 'pending-verification' } });
    expect(ports.fulfilment.started).toEqual([]);
  });

  it('holds a deletion for the policy wait: records when it may start, mails the wait with a cancel link', async () => {
    const { ports, requestId, code } = await submitted({ type: 'deletion' }, 'pipl-default');
    const result = await verifyRequest(ports, requestId, code);

    const notBefore = new Date(ports.clock.now().getTime() + 24 * 60 * 60_000).toISOString();
    expect(result).toMatchObject({
      outcome: 'verified',
      answer: { status: 'verified', fulfilmentNotBefore: notBefore },
    });
    expect(ports.fulfilment.started).toEqual([]);
    const record = await ports.requests.get(requestId);
    expect(record.fulfilmentNotBefore).toBe(notBefore);
    expect(record.cancelTokenHashes).toHaveLength(2);
    expect((await ports.requests.trail(requestId)).at(-1)).toMatchObject({
      type: 'status-changed',
      details: { to: 'verified', fulfilmentNotBefore: notBefore },
    });
    const notice = ports.mailer.sent.at(-1);
    expect(notice?.to).toBe('subject@example.com');
    expect(notice?.subject).toContain('will be carried out in 24 hours');
    expect(notice?.text).toContain(`We will start no earlier than ${notBefore}`);
    expect(notice?.text).toMatch(/\/not-me\?token=/);
  });

  it('starts a deletion at once where the deployment sets no wait', async () => {
    const { ports, requestId, code } = await submitted({ type: 'deletion' }, 'pipl-default');
    await verifyRequest({ ...ports, destructiveWaitHours: 0 }, requestId, code);
    expect(ports.fulfilment.started).toEqual([requestId]);
    expect(await ports.requests.get(requestId)).not.toHaveProperty('fulfilmentNotBefore');
    expect(ports.mailer.sent).toHaveLength(1);
  });

  it('does not hold a type that can be undone or only shows data', async () => {
    const { ports, requestId, code } = await submitted({ type: 'access' }, 'pipl-default');
    await verifyRequest(ports, requestId, code);
    expect(ports.fulfilment.started).toEqual([requestId]);
  });

  it('keeps the request waiting when the wait notice cannot be mailed, and says so on the trail', async () => {
    const { ports, requestId, code } = await submitted({ type: 'deletion' }, 'pipl-default');
    ports.mailer.failWith = Object.assign(new Error('down'), { name: 'MailServiceDown' });
    await verifyRequest(ports, requestId, code);
    expect((await ports.requests.get(requestId)).fulfilmentNotBefore).toBeDefined();
    expect((await ports.requests.trail(requestId)).at(-1)).toMatchObject({
      type: 'notification-failed',
      details: { notice: 'fulfilment-wait', errorName: 'MailServiceDown' },
    });
  });
});
