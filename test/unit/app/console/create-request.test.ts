import { describe, expect, it } from 'vitest';
import { MemoryConsoleLog } from '../../../../adapters/memory/memory-console';
import { MEMORY_ORGANISATION, memoryIntakePorts } from '../../../../adapters/memory/memory-intake-ports';
import { MemoryWorkflowStarter } from '../../../../adapters/memory/memory-workflow-starter';
import { createConsoleRequest } from '../../../../app/console/create-request';
import { approve } from '../../../../app/console/decisions';
import { RequestTypeNotOffered, SeparationOfDuties } from '../../../../domain/console/errors';
import { AGENT } from './fixture';

const SECOND_AGENT = { actor: { kind: 'agent' as const, id: 'bob' }, roles: AGENT.roles };

/** 10:00 in Shanghai on Monday 2025-03-10. */
const NOW = new Date('2025-03-10T02:00:00.000Z');
const EMAIL = 'li.lei@example.com';

function ports() {
  return { ...memoryIntakePorts(NOW), log: new MemoryConsoleLog(), fulfilment: new MemoryWorkflowStarter() };
}

const byPhone = {
  receivedVia: 'phone' as const,
  requester: { role: 'self' as const },
  locale: 'en' as const,
};

describe('a request taken in the console', () => {
  it('verifies the identifiers the agent checked, notes the check, mails a receipt and starts fulfilment', async () => {
    const deps = ports();

    const answer = await createConsoleRequest(deps, AGENT, {
      submission: {
        ...byPhone,
        policyId: 'qianxin',
        type: 'correction',
        subject: { email: EMAIL, phone: '13800138000' },
        identityCheck: { method: 'phone-callback', note: 'Called back the number on the account' },
      },
      defaultPolicyId: 'pipl-default',
    });

    expect(answer).toMatchObject({
      status: 'verified',
      type: 'correction',
      policyId: 'qianxin',
      receivedAt: NOW.toISOString(),
      receiptSent: true,
    });
    expect(answer.statusUrl).toContain('token=token-1');
    expect(answer.identifiers).toEqual([
      expect.objectContaining({ kind: 'email', verified: true, verifiedBy: 'phone-callback' }),
      expect.objectContaining({ kind: 'phone', verified: true }),
    ]);
    const stored = await deps.requests.get(answer.requestId);
    expect(stored.notes).toEqual([
      {
        by: 'alice',
        at: NOW.toISOString(),
        text: 'Identity check (phone-callback): Called back the number on the account',
      },
    ]);
    expect(deps.oneTimeSecrets.codes).toEqual([]);
    expect(deps.mailer.sent.map((mail) => mail.to)).toEqual([EMAIL]);
    expect((await deps.requests.trail(answer.requestId)).at(-1)).toMatchObject({
      type: 'notification-sent',
      actor: AGENT.actor,
      details: { notice: 'receipt' },
    });
    expect(deps.fulfilment.started).toEqual([answer.requestId]);
  });

  it('holds fulfilment back while the policy still waits for an approval', async () => {
    const deps = ports();

    const answer = await createConsoleRequest(deps, AGENT, {
      submission: {
        ...byPhone,
        policyId: 'caftrade',
        type: 'account-cancellation',
        subject: { email: EMAIL },
        identityCheck: { method: 'id-document', note: 'Identity card shown at the counter' },
      },
      defaultPolicyId: 'pipl-default',
    });

    expect(answer.status).toBe('verified');
    expect(deps.fulfilment.started).toEqual([]);
  });

  it('without a check, mails the one-time code under the default policy and starts nothing', async () => {
    const deps = ports();

    const answer = await createConsoleRequest(deps, AGENT, {
      submission: { ...byPhone, type: 'correction', subject: { email: EMAIL } },
      defaultPolicyId: 'pipl-default',
    });

    expect(answer).toMatchObject({ status: 'pending-verification', policyId: 'pipl-default' });
    expect(answer).not.toHaveProperty('receiptSent');
    expect(deps.oneTimeSecrets.codes).toEqual(['00000001']);
    expect(deps.mailer.sent.map((mail) => mail.to)).toEqual([EMAIL]);
    expect(deps.fulfilment.started).toEqual([]);
  });

  it('tells the agent the receipt was not sent when the subject has no email address', async () => {
    const deps = ports();

    const answer = await createConsoleRequest(deps, AGENT, {
      submission: {
        ...byPhone,
        policyId: 'qianxin',
        type: 'correction',
        subject: { phone: '13800138000' },
        identityCheck: { method: 'phone-callback', note: 'Called back' },
      },
      defaultPolicyId: 'pipl-default',
    });

    expect(answer).toMatchObject({ receiptSent: false, receiptNotSentBecause: 'no-email-address' });
    expect(deps.mailer.sent).toEqual([]);
  });

  it('refuses a type the policy does not offer before issuing a token or mailing anyone', async () => {
    const deps = ports();

    const refused = createConsoleRequest(deps, AGENT, {
      // bestcert's notice offers no account cancellation.
      submission: {
        ...byPhone,
        policyId: 'bestcert',
        type: 'account-cancellation',
        subject: { email: EMAIL },
      },
      defaultPolicyId: 'pipl-default',
    });

    await expect(refused).rejects.toBeInstanceOf(RequestTypeNotOffered);
    expect(deps.oneTimeSecrets.tokens).toEqual([]);
    expect(deps.mailer.sent).toEqual([]);
  });

  it('holds back an export it verified until a second console user approves it (four eyes)', async () => {
    const deps = ports();
    const answer = await createConsoleRequest(deps, AGENT, {
      submission: {
        ...byPhone,
        policyId: 'pipl-default',
        type: 'access',
        // The agent's own address with someone else's account: no one user may release that.
        subject: { email: EMAIL, accountId: 'u-1001' },
        identityCheck: { method: 'id-document', note: 'Identity card shown at the counter' },
      },
      defaultPolicyId: 'pipl-default',
    });
    expect(answer).toMatchObject({
      status: 'verified',
      awaitingApproval: { reasons: ['four-eyes'], notApprovableBy: ['alice'] },
    });
    expect(await deps.requests.get(answer.requestId)).toMatchObject({
      takenBy: 'alice',
      identityCheckedBy: 'alice',
    });
    expect(deps.fulfilment.started).toEqual([]);

    await expect(approve(deps, AGENT, answer.requestId, {})).rejects.toBeInstanceOf(SeparationOfDuties);
    expect((await deps.requests.trail(answer.requestId)).at(-1)).toMatchObject({
      type: 'rejected-input',
      actor: AGENT.actor,
      details: { action: 'approve', error: 'SeparationOfDuties', rule: 'approver-took-request' },
    });
    expect(deps.fulfilment.started).toEqual([]);

    const approved = await approve(deps, SECOND_AGENT, answer.requestId, {});
    expect(approved.approvals).toEqual([expect.objectContaining({ by: 'bob', reasons: ['four-eyes'] })]);
    expect(deps.fulfilment.started).toEqual([answer.requestId]);
  });

  it('starts an export at once where the organisation turned four eyes off', async () => {
    const deps = {
      ...ports(),
      organisation: { ...MEMORY_ORGANISATION, floor: { ...MEMORY_ORGANISATION.floor, fourEyes: false } },
    };
    const answer = await createConsoleRequest(deps, AGENT, {
      submission: {
        ...byPhone,
        policyId: 'pipl-default',
        type: 'deletion',
        subject: { email: EMAIL },
        identityCheck: { method: 'id-document', note: 'Identity card shown at the counter' },
      },
      defaultPolicyId: 'pipl-default',
    });
    expect(answer).not.toHaveProperty('awaitingApproval');
    expect(deps.fulfilment.started).toEqual([answer.requestId]);
  });
});
