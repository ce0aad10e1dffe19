/**
 * Asking for a new code: the old one stops working, three new codes at most,
 * and the same 202 whatever the state of the request (or whether it exists),
 * so the route tells a prober nothing.
 */
import { describe, expect, inject, it } from 'vitest';
import { MAX_CODE_ATTEMPTS, MAX_CODE_RESENDS } from '../../../domain/verification';
import {
  call,
  codeIn,
  mailTo,
  pipelineTables,
  resendCode,
  submitRequest,
  uniqueEmail,
  unknownRequestId,
  verifyCode,
  waitForMail,
  wrongCodeFor,
} from '../support/pipeline';

async function pendingRequest(label: string) {
  const stack = inject('stack');
  const email = uniqueEmail(label);
  const submitted = await submitRequest(stack, { type: 'access', subject: { email } });
  expect(submitted.status).toBe(202);
  const code = codeIn(await waitForMail(stack, email));
  return { email, requestId: submitted.body.requestId as string, code };
}

describe('resending the verification code', () => {
  it('mails a new code that verifies, while the old code no longer does', async () => {
    const stack = inject('stack');
    const { email, requestId, code: oldCode } = await pendingRequest('resend-new');

    const resent = await resendCode(stack, requestId);
    expect(resent.status).toBe(202);
    const newMail = await waitForMail(stack, email, 2);
    const newCode = codeIn(newMail);
    // The status link went out with the first code only; its token is not kept.
    expect(newMail.text).not.toContain('/status?');
    // Each mail has a "this was not me" link of its own.
    expect(newMail.text).toMatch(/\/not-me\?token=/);

    // One chance in a million that the new code equals the old one; then there is nothing to refuse.
    if (newCode !== oldCode) expect((await verifyCode(stack, requestId, oldCode)).status).toBe(400);
    expect(await verifyCode(stack, requestId, newCode)).toMatchObject({
      status: 200,
      body: { status: 'verified' },
    });
    const trail = await pipelineTables(stack).auditTrail(requestId);
    const sent = trail.filter((event) => event.type === 'verification-code-sent');
    expect(sent.map((event) => event.details?.resend)).toEqual([undefined, 1]);
  });

  it(`sends at most ${MAX_CODE_RESENDS} new codes, then answers 429`, async () => {
    const stack = inject('stack');
    const { email, requestId } = await pendingRequest('resend-limit');

    const statuses: number[] = [];
    for (let resend = 1; resend <= MAX_CODE_RESENDS + 1; resend++) {
      statuses.push((await resendCode(stack, requestId)).status);
    }

    expect(statuses).toEqual([...Array(MAX_CODE_RESENDS).fill(202), 429]);
    expect(await mailTo(stack, email)).toHaveLength(1 + MAX_CODE_RESENDS);
  });

  it('keeps counting wrong codes across resends, so new codes buy no extra guesses', async () => {
    const stack = inject('stack');
    const { email, requestId, code } = await pendingRequest('resend-guesses');
    for (let attempt = 1; attempt < MAX_CODE_ATTEMPTS; attempt++) {
      await verifyCode(stack, requestId, wrongCodeFor(code));
    }
    await resendCode(stack, requestId);
    const newCode = codeIn(await waitForMail(stack, email, 2));

    expect((await verifyCode(stack, requestId, wrongCodeFor(newCode))).status).toBe(423);
  });

  it('answers an unknown id, a verified request and a locked one with the same 202 and mails nothing', async () => {
    const stack = inject('stack');
    const verified = await pendingRequest('resend-verified');
    await verifyCode(stack, verified.requestId, verified.code);
    const locked = await pendingRequest('resend-locked');
    for (let attempt = 1; attempt <= MAX_CODE_ATTEMPTS; attempt++) {
      await verifyCode(stack, locked.requestId, wrongCodeFor(locked.code));
    }
    const pending = await pendingRequest('resend-pending');

    const answers = await Promise.all([
      resendCode(stack, unknownRequestId()),
      resendCode(stack, verified.requestId),
      resendCode(stack, locked.requestId),
      resendCode(stack, pending.requestId),
    ]);

    for (const answer of answers)
      expect({ status: answer.status, body: answer.body }).toEqual({
        status: 202,
        body: answers[3]!.body,
      });
    await waitForMail(stack, pending.email, 2);
    expect(await mailTo(stack, verified.email)).toHaveLength(1);
    expect(await mailTo(stack, locked.email)).toHaveLength(1);
  });

  it('takes an empty body without a content type', async () => {
    const stack = inject('stack');
    const { email, requestId } = await pendingRequest('resend-empty');

    const answer = await call(`${stack.api}/v1/requests/${requestId}/verification-code`, { method: 'POST' });

    expect(answer.status).toBe(202);
    await waitForMail(stack, email, 2);
  });
});
