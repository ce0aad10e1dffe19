import { describe, expect, it } from 'vitest';
import { MemoryWorkflowStarter } from '../../../../adapters/memory/memory-workflow-starter';
import { cancelByLink, viewCancelLink } from '../../../../app/intake/cancel-request';
import { resendVerificationCode } from '../../../../app/intake/resend-code';
import { submitRequest } from '../../../../app/intake/submit-request';
import { verifyRequest } from '../../../../app/intake/verify-request';
import { endFulfilmentWait } from '../../../../app/timers/end-fulfilment-wait';
import { asOf, memoryPorts } from '../timers/support';
import { aSubmission, submitInput, submitPorts } from './builders';

const HOUR_MS = 60 * 60 * 1000;

/** The token of the last "this was not me" link mailed. */
function lastCancelToken(sent: readonly { text: string }[]): string {
  const match = /\/not-me\?token=([\w-]+)/.exec(sent.at(-1)?.text ?? '');
  if (!match?.[1]) throw new Error('no cancel link in the last mail');
  return match[1];
}

/** The sweep's ports over the intake test's requests and workflow starter, the sweep as of `now`. */
function sweepOver(ports: Awaited<ReturnType<typeof submitted>>['ports'], now: Date) {
  const sweep = { ...memoryPorts(now.toISOString()), requests: ports.requests, fulfilment: ports.fulfilment };
  return { sweep, context: asOf(now.toISOString()) };
}

async function submitted(overrides: Record<string, unknown> = {}, policyId = 'pipl-default') {
  const ports = { ...submitPorts(), fulfilment: new MemoryWorkflowStarter() };
  const result = await submitRequest(
    ports,
    submitInput(aSubmission({ ...overrides, residence: policyId === 'caftrade' ? 'CN' : policyId })),
  );
  if (result.outcome !== 'accepted') throw new Error(result.outcome);
  return { ports, requestId: result.receipt.requestId as string, code: ports.oneTimeSecrets.codes[0]! };
}

describe('the code mail', () => {
  it('says what the code approves and carries a cancel link whose token is stored only hashed', async () => {
    const { ports, requestId } = await submitted({ type: 'deletion' });
    const [mail] = ports.mailer.sent;
    expect(mail?.text).toContain('This code approves a request for DELETING your personal information');
    expect(mail?.text).toContain('此验证码将确认以下请求：删除您的个人信息');
    const token = lastCancelToken(ports.mailer.sent);
    const record = await ports.requests.get(requestId);
    expect(record.cancelTokenHashes).toHaveLength(1);
    expect(JSON.stringify(record)).not.toContain(token);
  });

  it('names the recipient and the host a portability request sends the data to', async () => {
    const { ports } = await submitted({
      type: 'portability',
      portabilityTarget: { recipientName: 'Other Shop Ltd', endpoint: 'https://import.other.example/dsar' },
    });
    expect(ports.mailer.sent[0]?.text).toContain('Recipient: Other Shop Ltd (import.other.example)');
  });
});

describe('the cancel link', () => {
  it('shows what it would cancel and changes nothing when opened', async () => {
    const { ports, requestId } = await submitted({ type: 'deletion' });
    const token = lastCancelToken(ports.mailer.sent);
    await expect(viewCancelLink(ports, requestId, token)).resolves.toMatchObject({
      outcome: 'cancellable',
      type: 'deletion',
      status: 'pending-verification',
    });
    expect((await ports.requests.get(requestId)).status).toBe('pending-verification');
  });

  it('answers the same not-found for a wrong token, a missing one and an unknown request', async () => {
    const { ports, requestId } = await submitted({ type: 'deletion' });
    const token = lastCancelToken(ports.mailer.sent);
    for (const [id, given] of [
      [requestId, 'token-99'],
      [requestId, undefined],
      ['dsr-00000000-0000-4000-8000-000000000000', token],
    ] as const) {
      await expect(viewCancelLink(ports, id, given)).resolves.toEqual({ outcome: 'not-found' });
      await expect(cancelByLink(ports, id, given)).resolves.toEqual({ outcome: 'not-found' });
    }
    expect((await ports.requests.get(requestId)).status).toBe('pending-verification');
  });

  it('does not take the status token for a cancel token (each is bound to its purpose)', async () => {
    const { ports, requestId } = await submitted({ type: 'deletion' });
    const statusToken = ports.oneTimeSecrets.tokens[0]!;
    expect(lastCancelToken(ports.mailer.sent)).not.toBe(statusToken);
    await expect(cancelByLink(ports, requestId, statusToken)).resolves.toEqual({ outcome: 'not-found' });
  });

  it('cancels a request waiting for its code, on the trail, and a second click says cancelled again', async () => {
    const { ports, requestId, code } = await submitted({ type: 'deletion' });
    const token = lastCancelToken(ports.mailer.sent);
    await expect(cancelByLink(ports, requestId, token)).resolves.toMatchObject({
      outcome: 'cancelled',
      status: 'cancelled',
    });
    await expect(cancelByLink(ports, requestId, token)).resolves.toMatchObject({ outcome: 'cancelled' });
    expect((await ports.requests.trail(requestId)).at(-1)).toMatchObject({
      type: 'status-changed',
      actor: { kind: 'requester', id: 'cancel-link' },
      details: { from: 'pending-verification', to: 'cancelled' },
    });
    expect(ports.telemetry.counts.get('RequestCancelledByLink')).toBe(1);
    await expect(verifyRequest(ports, requestId, code)).resolves.toEqual({
      outcome: 'not-awaiting-verification',
    });
    expect(ports.fulfilment.started).toEqual([]);
  });

  it('works from a resent code mail, and the first mail keeps working too', async () => {
    const { ports, requestId } = await submitted({ type: 'deletion' });
    const first = lastCancelToken(ports.mailer.sent);
    await resendVerificationCode(ports, requestId);
    const second = lastCancelToken(ports.mailer.sent);
    expect(second).not.toBe(first);
    await expect(viewCancelLink(ports, requestId, first)).resolves.toMatchObject({ outcome: 'cancellable' });
    await expect(cancelByLink(ports, requestId, second)).resolves.toMatchObject({ outcome: 'cancelled' });
  });

  it('cancels during the wait after verification, and the sweeper then starts nothing', async () => {
    const { ports, requestId, code } = await submitted({ type: 'deletion' });
    await verifyRequest(ports, requestId, code);
    const waitToken = lastCancelToken(ports.mailer.sent);
    ports.clock.advance(23 * HOUR_MS);

    await expect(cancelByLink(ports, requestId, waitToken)).resolves.toMatchObject({ outcome: 'cancelled' });
    const cancelled = await ports.requests.get(requestId);
    expect(cancelled).not.toHaveProperty('fulfilmentNotBefore');
    const { sweep, context } = sweepOver(ports, new Date(ports.clock.now().getTime() + 2 * HOUR_MS));
    expect(await endFulfilmentWait.run(sweep, cancelled, context)).toBe('unchanged');
    expect(ports.fulfilment.started).toEqual([]);
  });

  it('can no longer cancel once the wait is over and fulfilment has started', async () => {
    const { ports, requestId, code } = await submitted({ type: 'deletion' });
    await verifyRequest(ports, requestId, code);
    const token = lastCancelToken(ports.mailer.sent);
    const { sweep, context } = sweepOver(ports, new Date(ports.clock.now().getTime() + 24 * HOUR_MS));
    expect(await endFulfilmentWait.run(sweep, await ports.requests.get(requestId), context)).toBe('changed');
    expect(ports.fulfilment.started).toEqual([requestId]);

    await expect(viewCancelLink(ports, requestId, token)).resolves.toMatchObject({ outcome: 'too-late' });
    await expect(cancelByLink(ports, requestId, token)).resolves.toMatchObject({
      outcome: 'too-late',
      status: 'verified',
    });
  });
});
