import { describe, expect, it } from 'vitest';
import { MemoryWorkflowStarter } from '../../../../adapters/memory/memory-workflow-starter';
import { resendVerificationCode } from '../../../../app/intake/resend-code';
import { submitRequest } from '../../../../app/intake/submit-request';
import { verifyRequest } from '../../../../app/intake/verify-request';
import { MAX_CODE_RESENDS } from '../../../../domain/verification';
import { submitInput, submitPorts } from './builders';

async function submitted() {
  const ports = { ...submitPorts(), fulfilment: new MemoryWorkflowStarter() };
  const result = await submitRequest(ports, submitInput());
  if (result.outcome !== 'accepted') throw new Error(result.outcome);
  return { ports, requestId: result.receipt.requestId as string };
}

describe('resendVerificationCode', () => {
  it('mails a new code that replaces the old one', async () => {
    const { ports, requestId } = await submitted();
    await expect(resendVerificationCode(ports, requestId)).resolves.toEqual({ outcome: 'accepted' });

    const [oldCode, newCode] = ports.oneTimeSecrets.codes;
    expect(ports.mailer.sent.at(-1)?.text).toContain(newCode);
    expect((await verifyRequest(ports, requestId, oldCode!)).outcome).toBe('wrong-code');
    expect((await verifyRequest(ports, requestId, newCode!)).outcome).toBe('verified');
  });

  it(`refuses more than ${MAX_CODE_RESENDS} new codes`, async () => {
    const { ports, requestId } = await submitted();
    for (let resend = 1; resend <= MAX_CODE_RESENDS; resend++) {
      expect((await resendVerificationCode(ports, requestId)).outcome).toBe('accepted');
    }
    await expect(resendVerificationCode(ports, requestId)).resolves.toEqual({ outcome: 'limit-reached' });
  });

  it('answers an unknown id as it answers a real one, and mails nothing', async () => {
    const { ports } = await submitted();
    const mails = ports.mailer.sent.length;
    await expect(resendVerificationCode(ports, 'dsr-00000000-0000-0000-0000-000000000000')).resolves.toEqual({
      outcome: 'accepted',
    });
    expect(ports.mailer.sent).toHaveLength(mails);
  });
});
