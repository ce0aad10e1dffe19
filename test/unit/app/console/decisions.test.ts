import { describe, expect, it } from 'vitest';
import { approve, refuse } from '../../../../app/console/decisions';
import type { PlainDate } from '../../../../domain/clock';
import { SeparationOfDuties } from '../../../../domain/console/errors';
import { EMAIL } from '../../console/builders';
import { AGENT, consolePorts, given, SUPERVISOR } from './fixture';

const ID = 'dsr-00000000-0000-4000-8000-000000000001';
const verifiedOn = '2025-03-03' as PlainDate;

describe('decisions', () => {
  it('records the approval a caftrade account cancellation waits for, then starts fulfilment', async () => {
    const ports = consolePorts();
    await given(ports.requests, { policyId: 'caftrade', type: 'account-cancellation', verifiedOn });
    const answer = await approve(ports, AGENT, ID, { note: 'Balance is zero' });
    expect(answer).toMatchObject({
      requestId: ID,
      status: 'verified',
      approvals: [{ by: 'alice', role: 'agent', at: '2025-03-10T02:00:00.000Z', note: 'Balance is zero' }],
    });
    expect((await ports.requests.trail(ID)).at(-1)).toMatchObject({ type: 'fulfilment-approved' });
    expect(ports.fulfilment.started).toEqual([ID]);
  });

  it('starts no fulfilment when the approved request is not verified yet', async () => {
    const ports = consolePorts();
    await given(ports.requests, {
      policyId: 'caftrade',
      type: 'account-cancellation',
      status: 'pending-verification',
    });
    await approve(ports, AGENT, ID, {});
    expect(ports.fulfilment.started).toEqual([]);
  });

  it('refuses the approval of the supervisor who checked a portability requester’s identity, on the trail', async () => {
    const ports = consolePorts();
    await given(ports.requests, { type: 'portability', verifiedOn, extras: { identityCheckedBy: 'sam' } });
    const refused = approve(ports, SUPERVISOR, ID, {});
    await expect(refused).rejects.toBeInstanceOf(SeparationOfDuties);
    await expect(refused).rejects.toMatchObject({ code: 'approver-checked-identity' });
    const stored = await ports.requests.get(ID);
    expect(stored.approvals).toBeUndefined();
    expect((await ports.requests.trail(ID)).at(-1)).toMatchObject({
      type: 'rejected-input',
      actor: SUPERVISOR.actor,
      details: { action: 'approve', rule: 'approver-checked-identity' },
    });
    expect(ports.fulfilment.started).toEqual([]);

    const second = { actor: { kind: 'agent' as const, id: 'tess' }, roles: SUPERVISOR.roles };
    await approve(ports, second, ID, {});
    expect(ports.fulfilment.started).toEqual([ID]);
  });

  it('refuses on a ground of the policy and mails the requester the ground', async () => {
    const ports = consolePorts();
    await given(ports.requests, { policyId: 'caftrade', verifiedOn });
    const answer = await refuse(ports, SUPERVISOR, ID, {
      ground: 'trade-secrets',
      reason: 'The scoring model is a trade secret',
    });
    expect(answer).toMatchObject({
      requestId: ID,
      status: 'refused',
      refusal: { ground: 'trade-secrets' },
      noticeSent: true,
    });
    expect(ports.mailer.sent.map((mail) => mail.to)).toEqual([EMAIL.value]);
    expect((await ports.requests.trail(ID)).at(-1)).toMatchObject({
      type: 'notification-sent',
      actor: SUPERVISOR.actor,
      details: { notice: 'refusal', to: EMAIL.masked },
    });
    expect(ports.fulfilment.started).toEqual([]);
  });
});
