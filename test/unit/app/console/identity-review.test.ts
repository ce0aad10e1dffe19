import { describe, expect, it } from 'vitest';
import { approve } from '../../../../app/console/decisions';
import { reviewIdentity } from '../../../../app/console/identity-review';
import { SeparationOfDuties } from '../../../../domain/console/errors';
import { EMAIL, PHONE } from '../../console/builders';
import { AGENT, consolePorts, given } from './fixture';

const ID = 'dsr-00000000-0000-4000-8000-000000000001';
const EVIDENCE = `${ID}/attachment-1`;

const pending = (policyId: string, type: 'access' | 'account-cancellation' | 'deletion' = 'access') => ({
  policyId,
  type,
  status: 'pending-verification' as const,
  identifiers: [EMAIL, PHONE],
  extras: { evidenceKeys: [EVIDENCE] },
});

describe('identity review', () => {
  it('verifies after a document check, keeps the note on the request and starts fulfilment', async () => {
    const ports = consolePorts('2025-03-05T02:00:00.000Z');
    await given(ports.requests, pending('caftrade'));
    const answer = await reviewIdentity(ports, AGENT, ID, {
      decision: 'approve',
      method: 'id-document',
      evidenceKey: EVIDENCE,
      note: 'Passport matches',
      identifiers: ['email', 'phone'],
    });
    expect(answer).toEqual({
      requestId: ID,
      status: 'verified',
      verifiedOn: '2025-03-05',
      dueDate: '2025-03-20',
    });
    expect((await ports.requests.get(ID)).notes?.[0]?.text).toBe(
      'Identity check (id-document): Passport matches',
    );
    expect((await ports.requests.trail(ID)).slice(1).map((event) => event.type)).toEqual([
      'identity-verified',
      'status-changed',
      'note-added',
    ]);
    expect(ports.fulfilment.started).toEqual([ID]);
  });

  it('holds fulfilment back while an approval the policy needs is missing', async () => {
    const ports = consolePorts('2025-03-05T02:00:00.000Z');
    await given(ports.requests, pending('caftrade', 'account-cancellation'));
    await reviewIdentity({ ...ports, destructiveWaitHours: 0 }, AGENT, ID, {
      decision: 'approve',
      method: 'id-document',
      evidenceKey: EVIDENCE,
      note: 'Passport matches',
      identifiers: ['email', 'phone'],
    });
    expect(ports.fulfilment.started).toEqual([]);
  });

  it('refuses the review of the agent who approved the fulfilment, on the trail, and keeps who checked', async () => {
    const ports = consolePorts('2025-03-05T02:00:00.000Z');
    await given(ports.requests, pending('caftrade', 'account-cancellation'));
    await approve(ports, AGENT, ID, {});
    const review = {
      decision: 'approve' as const,
      method: 'id-document' as const,
      evidenceKey: EVIDENCE,
      note: 'Passport matches',
      identifiers: ['email' as const],
    };
    await expect(reviewIdentity(ports, AGENT, ID, review)).rejects.toBeInstanceOf(SeparationOfDuties);
    expect((await ports.requests.trail(ID)).at(-1)).toMatchObject({
      type: 'rejected-input',
      details: { action: 'identity-review', rule: 'identity-checker-approved' },
    });
    expect((await ports.requests.get(ID)).status).toBe('pending-verification');

    const colleague = { actor: { kind: 'agent' as const, id: 'carol' }, roles: AGENT.roles };
    await reviewIdentity(ports, colleague, ID, review);
    expect(await ports.requests.get(ID)).toMatchObject({ status: 'verified', identityCheckedBy: 'carol' });
    // Account cancellation cannot be undone: it waits after the check, as after a code.
    expect(ports.fulfilment.started).toEqual([]);
    expect((await ports.requests.get(ID)).fulfilmentNotBefore).toBeDefined();
  });

  it('holds a type that cannot be undone for the wait, as a code does, and mails the cancel link', async () => {
    const ports = consolePorts('2025-03-05T02:00:00.000Z');
    await given(ports.requests, pending('pipl-default', 'deletion'));
    const answer = await reviewIdentity(ports, AGENT, ID, {
      decision: 'approve',
      method: 'id-document',
      evidenceKey: EVIDENCE,
      note: 'Passport matches',
      identifiers: ['email'],
    });
    const notBefore = '2025-03-06T02:00:00.000Z';
    expect(answer).toMatchObject({ status: 'verified', fulfilmentNotBefore: notBefore });
    expect(ports.fulfilment.started).toEqual([]);
    const record = await ports.requests.get(ID);
    expect(record.fulfilmentNotBefore).toBe(notBefore);
    expect(record.cancelTokenHashes).toHaveLength(1);
    expect((await ports.requests.trail(ID)).find((event) => event.type === 'status-changed')).toMatchObject({
      details: { to: 'verified', fulfilmentNotBefore: notBefore },
    });
    const notice = ports.mailer.sent.at(-1);
    expect(notice?.to).toBe(EMAIL.value);
    expect(notice?.subject).toContain('will be carried out in 24 hours');
    expect(notice?.text).toMatch(/\/not-me\?token=/);
  });

  it('starts a type that cannot be undone at once where the deployment sets no wait', async () => {
    const ports = consolePorts('2025-03-05T02:00:00.000Z');
    await given(ports.requests, pending('pipl-default', 'deletion'));
    await reviewIdentity({ ...ports, destructiveWaitHours: 0 }, AGENT, ID, {
      decision: 'approve',
      method: 'id-document',
      evidenceKey: EVIDENCE,
      note: 'Passport matches',
      identifiers: ['email'],
    });
    expect(ports.fulfilment.started).toEqual([ID]);
    expect(await ports.requests.get(ID)).not.toHaveProperty('fulfilmentNotBefore');
    expect(ports.mailer.sent).toEqual([]);
  });

  it('verifies only the identifiers the agent names; the others stay unverified', async () => {
    const ports = consolePorts('2025-03-05T02:00:00.000Z');
    await given(ports.requests, pending('caftrade'));
    await reviewIdentity(ports, AGENT, ID, {
      decision: 'approve',
      method: 'id-document',
      evidenceKey: EVIDENCE,
      note: 'Passport shows the email owner; the phone is not on it',
      identifiers: ['email'],
    });
    expect((await ports.requests.get(ID)).identifiers.map((i) => [i.kind, i.verified])).toEqual([
      ['email', true],
      ['phone', false],
    ]);
  });

  it('rejects, refusing on identity-not-verified, and mails the requester why', async () => {
    const ports = consolePorts('2025-03-05T02:00:00.000Z');
    await given(ports.requests, pending('caftrade'));
    const answer = await reviewIdentity(ports, AGENT, ID, {
      decision: 'reject',
      reason: 'The photo is unreadable',
    });
    expect(answer).toEqual({
      requestId: ID,
      status: 'refused',
      refusalGround: 'identity-not-verified',
      noticeSent: true,
    });
    expect(ports.mailer.sent[0]?.to).toBe(EMAIL.value);
    expect((await ports.requests.trail(ID)).at(-1)).toMatchObject({ type: 'notification-sent' });
  });
});
