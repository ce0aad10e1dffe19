/**
 * Each console action's happy path against the running local pipeline, with
 * the audit event it writes (the agent as actor) and what the requester is
 * mailed; and the answers to actions the request or its policy does not allow.
 */
import { randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { COMPLAINT_RIGHTS } from '../../../domain/notices';
import { REFUSAL_GROUNDS } from '../../../domain/policy/refusal-grounds';
import {
  CONSOLE,
  createdId,
  createRequest,
  detail,
  eventually,
  get,
  lastEvent,
  post,
  stack,
  timelineTypes,
  tokenFor,
  uniqueEmail,
  waitForMail,
} from './support';

const ground = (id: string) => REFUSAL_GROUNDS.find((candidate) => candidate.id === id)!;

describe('creating a request on the subject’s behalf', () => {
  it('stores a qianxin phone request verified by call-back, audited with the agent as actor, and mails a receipt', async () => {
    const agent = tokenFor('agent', 'alice');
    const email = uniqueEmail('phone-request');
    const answer = await createRequest(agent, {
      policyId: 'qianxin',
      type: 'correction',
      receivedVia: 'phone',
      subject: { email, phone: '13800138000' },
      identityCheck: { method: 'phone-callback', note: 'Called back 13800138000, the number on the account' },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ status: 'verified', type: 'correction', policyId: 'qianxin' });
    expect(answer.body.identifiers).toEqual([
      expect.objectContaining({ kind: 'email', verified: true, verifiedBy: 'phone-callback' }),
      expect.objectContaining({ kind: 'phone', masked: '+86138****8000', verified: true }),
    ]);
    expect(JSON.stringify(answer.body.identifiers)).not.toContain(email);

    const id = answer.body.requestId as string;
    const shown = await detail(id);
    expect(shown.body).toMatchObject({ channel: 'console', receivedVia: 'phone', status: 'verified' });
    expect(shown.body.timeline.map((event: { type: string }) => event.type)).toEqual([
      'request-received',
      'identity-verified',
      'status-changed',
      'note-added',
      'notification-sent',
    ]);
    for (const event of shown.body.timeline) expect(event.actor).toEqual({ kind: 'agent', id: 'alice' });
    expect(shown.body.timeline[2].details).toMatchObject({ from: 'received', to: 'verified' });
    expect(JSON.stringify(shown.body.timeline)).not.toContain('13800138000');
    expect(shown.body.auditTrail).toEqual({ intact: true });

    const receipt = await waitForMail(email, 'We have received your request');
    expect(receipt.text).toContain(answer.body.dueDate);
  });

  it('sends the usual code when the agent has not checked who the requester is', async () => {
    const email = uniqueEmail('unchecked');
    const answer = await createRequest(tokenFor('agent'), {
      policyId: 'pipl-default',
      type: 'correction',
      subject: { email },
      identityCheck: undefined,
    });
    expect(answer.body.status).toBe('pending-verification');
    await waitForMail(email, 'Verify your personal information request');
  });

  it('refuses an identity method the policy does not use, naming the field', async () => {
    const answer = await createRequest(tokenFor('agent'), {
      policyId: 'pipl-default',
      type: 'correction',
      subject: { phone: '13900139000' },
      identityCheck: { method: 'phone-callback', note: 'x' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'identity-method-not-allowed', field: 'method' });
  });

  it('refuses a body without an identifier, naming the field', async () => {
    const answer = await createRequest(tokenFor('agent'), { type: 'correction', subject: {} });
    expect(answer.status).toBe(400);
    expect(answer.body.error.field).toBe('subject');
  });
});

describe('fulfilment of requests the console verifies', () => {
  const started = (status: string) => status !== 'verified';

  it('starts the workflow once a second console user approves what an agent verified (four eyes)', async () => {
    const taker = tokenFor('agent', `taker-${randomUUID().slice(0, 6)}`);
    const created = await createRequest(taker, {
      policyId: 'pipl-default',
      type: 'access',
      subject: { email: uniqueEmail('fulfil') },
    });
    expect(created.body).toMatchObject({ status: 'verified', awaitingApproval: { reasons: ['four-eyes'] } });
    const id = created.body.requestId as string;

    const own = await post(`${CONSOLE}/${id}/approve`, taker, {});
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('approver-took-request');
    expect(await lastEvent(id, 'rejected-input')).toMatchObject({
      details: { action: 'approve', rule: 'approver-took-request' },
    });
    expect((await detail(id)).body.status).toBe('verified');

    expect((await post(`${CONSOLE}/${id}/approve`, tokenFor('agent'), {})).status).toBe(200);
    const status = await eventually(async () => {
      const current = (await detail(id)).body.status as string;
      return started(current) ? current : undefined;
    }, 'the fulfilment workflow to take the request');
    expect(['in-progress', 'fulfilled', 'partially-fulfilled']).toContain(status);
  });

  it('holds a request that needs approval back from fulfilment until a supervisor approves it', async () => {
    const id = await createdId(tokenFor('agent'), {
      policyId: 'pipl-default',
      type: 'portability',
      subject: { email: uniqueEmail('held') },
      portabilityTarget: { recipientName: 'Other Shop', endpoint: 'https://other.example.com/import' },
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await detail(id)).body.status).toBe('verified');
    expect((await post(`${CONSOLE}/${id}/approve`, tokenFor('supervisor'), {})).status).toBe(200);
    await eventually(
      async () => (started((await detail(id)).body.status) ? true : undefined),
      'fulfilment after approval',
    );
  });
});

describe('the request view', () => {
  it('masks identifiers, reveals them to a supervisor only, and audits the reveal', async () => {
    const email = uniqueEmail('reveal');
    const id = await createdId(tokenFor('agent'), {
      policyId: 'pipl-default',
      type: 'correction',
      subject: { email },
    });
    const masked = await detail(id, tokenFor('agent'));
    expect(masked.body.identifiers[0]).not.toHaveProperty('value');
    expect(JSON.stringify(masked.body)).not.toContain(email);

    const refused = await get(`${CONSOLE}/${id}?reveal=true`, tokenFor('agent'));
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('supervisor-required');

    const revealed = await get(`${CONSOLE}/${id}?reveal=true`, tokenFor('supervisor', 'sam'));
    expect(revealed.body.identifiers[0].value).toBe(email);
    expect(await lastEvent(id, 'identifiers-revealed')).toMatchObject({
      actor: { kind: 'agent', id: 'sam' },
    });
  });

  it('shows the clock with its due date, days left and working days left', async () => {
    const id = await createdId(tokenFor('agent'), {
      policyId: 'pipl-default',
      type: 'correction',
      subject: { email: uniqueEmail('clock') },
    });
    const { clock } = (await detail(id)).body;
    expect(clock).toMatchObject({
      start: 'receipt',
      unit: 'working-days',
      length: 15,
      overdue: false,
      paused: false,
    });
    if (clock.dueDate !== null) {
      expect(clock.workingDaysLeft).toBe(15);
      expect(clock.daysLeft).toBeGreaterThanOrEqual(15);
    }
  });

  it.each([
    ['an unknown request', `${CONSOLE}/dsr-00000000-0000-4000-8000-000000000000`, 404, 'not-found'],
    ['a malformed id', `${CONSOLE}/not-an-id`, 400, 'invalid-field'],
    [
      'an unknown query parameter',
      `${CONSOLE}/dsr-00000000-0000-4000-8000-000000000000?x=1`,
      400,
      'invalid-field',
    ],
  ])('answers %s with %i', async (_case, path, status, code) => {
    const answer = await get(path, tokenFor('agent'));
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
  });
});

describe('refusal', () => {
  it('refuses on a ground of the policy, and mails the requester the ground in both languages and how to complain', async () => {
    const email = uniqueEmail('refused');
    const id = await createdId(tokenFor('agent'), {
      policyId: 'caftrade',
      type: 'correction',
      subject: { email },
    });
    const answer = await post(`${CONSOLE}/${id}/refuse`, tokenFor('supervisor', 'sam'), {
      ground: 'trade-secrets',
      reason: 'The scoring model is a trade secret',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: 'refused',
      refusal: { ground: 'trade-secrets' },
      noticeSent: true,
    });
    expect(await lastEvent(id, 'status-changed')).toMatchObject({
      actor: { kind: 'agent', id: 'sam' },
      details: { from: 'verified', to: 'refused', refusalGround: 'trade-secrets' },
    });
    const mail = await waitForMail(email, 'Decision on your personal information request');
    for (const text of [
      ground('trade-secrets').zh,
      ground('trade-secrets').en,
      'The scoring model is a trade secret',
    ]) {
      expect(mail.text).toContain(text);
    }
    expect(mail.text).toContain(COMPLAINT_RIGHTS.pipl.zh);
    expect(mail.text).toContain('PIPL art. 50');
  });

  it('refuses a ground the policy does not list, naming the field, and a second refusal as an illegal transition', async () => {
    const supervisor = tokenFor('supervisor');
    const id = await createdId(tokenFor('agent'), {
      policyId: 'gdpr',
      type: 'correction',
      subject: { email: uniqueEmail('gdpr') },
    });
    const wrong = await post(`${CONSOLE}/${id}/refuse`, supervisor, { ground: 'trade-secrets', reason: 'x' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'refusal-ground-not-in-policy', field: 'ground' });
    expect(
      (
        await post(`${CONSOLE}/${id}/refuse`, supervisor, {
          ground: 'legal-claims',
          reason: 'Pending lawsuit',
        })
      ).status,
    ).toBe(200);
    const again = await post(`${CONSOLE}/${id}/refuse`, supervisor, {
      ground: 'legal-claims',
      reason: 'again',
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'illegal-transition',
      message: 'A request cannot move from refused to refused',
    });
  });
});

describe('identity review', () => {
  it('verifies a phone request after a call-back, with the agent and method on the trail', async () => {
    const agent = tokenFor('agent', 'alice');
    const id = await createdId(agent, {
      policyId: 'qianxin',
      type: 'correction',
      subject: { phone: '13700137000' },
      identityCheck: undefined,
    });
    expect((await detail(id)).body.status).toBe('received');
    const answer = await post(`${CONSOLE}/${id}/identity`, agent, {
      decision: 'approve',
      method: 'phone-callback',
      note: 'Called back; the caller confirmed the last order',
      identifiers: ['phone'],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('verified');
    expect(await lastEvent(id, 'identity-verified')).toMatchObject({
      actor: { kind: 'agent', id: 'alice' },
      details: { method: 'phone-callback', identifiers: ['+86137****7000'] },
    });
  });

  it('rejects an identity: refused on identity-not-verified, and the requester is told why', async () => {
    const email = uniqueEmail('rejected');
    const id = await createdId(tokenFor('agent'), {
      policyId: 'pipl-default',
      type: 'correction',
      subject: { email },
      identityCheck: undefined,
    });
    const answer = await post(`${CONSOLE}/${id}/identity`, tokenFor('agent'), {
      decision: 'reject',
      reason: 'The name on the document does not match the account',
    });
    expect(answer.body).toMatchObject({
      status: 'refused',
      refusalGround: 'identity-not-verified',
      noticeSent: true,
    });
    const mail = await waitForMail(email, 'Decision on your personal information request');
    expect(mail.text).toContain(ground('identity-not-verified').en);
    expect(mail.text).toContain('The name on the document does not match the account');
  });

  it('refuses an approval that does not name the identifiers it verified, naming the field', async () => {
    const id = await createdId(tokenFor('agent'), {
      policyId: 'qianxin',
      type: 'correction',
      subject: { phone: '13700137001' },
      identityCheck: undefined,
    });
    const answer = await post(`${CONSOLE}/${id}/identity`, tokenFor('agent'), {
      decision: 'approve',
      method: 'phone-callback',
      note: 'Called back',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ field: 'identifiers' });
    expect((await detail(id)).body.status).toBe('received');
  });

  it('refuses a document the request does not have', async () => {
    const id = await createdId(tokenFor('agent'), {
      policyId: 'pipl-default',
      type: 'correction',
      subject: { email: uniqueEmail('doc') },
      identityCheck: undefined,
    });
    const answer = await post(`${CONSOLE}/${id}/identity`, tokenFor('agent'), {
      decision: 'approve',
      method: 'id-document',
      evidenceKey: `${id}/attachment-9`,
      note: 'x',
      identifiers: ['email'],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'evidence-not-on-request', field: 'evidenceKey' });
  });
});

describe('approval', () => {
  it('leaves a portability approval to a supervisor and records it on the request and the trail', async () => {
    const id = await createdId(tokenFor('agent'), {
      policyId: 'pipl-default',
      type: 'portability',
      subject: { email: uniqueEmail('portability') },
      portabilityTarget: { recipientName: 'Other Shop', endpoint: 'https://other.example.com/import' },
    });
    const byAgent = await post(`${CONSOLE}/${id}/approve`, tokenFor('agent'), {});
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.error.code).toBe('supervisor-required');
    const bySupervisor = await post(`${CONSOLE}/${id}/approve`, tokenFor('supervisor', 'sam'), {
      note: 'Recipient checked',
    });
    expect(bySupervisor.status).toBe(200);
    expect(bySupervisor.body.approvals).toEqual([
      expect.objectContaining({
        by: 'sam',
        role: 'supervisor',
        reasons: ['policy-request-type', 'four-eyes'],
        note: 'Recipient checked',
      }),
    ]);
    expect(await lastEvent(id, 'fulfilment-approved')).toMatchObject({
      actor: { id: 'sam' },
      details: { role: 'supervisor' },
    });
    expect((await detail(id)).body.approval).toMatchObject({
      required: true,
      approvals: [expect.objectContaining({ by: 'sam' })],
    });
  });

  it('lets a second agent approve a caftrade account cancellation, and says when no approval is needed', async () => {
    const agent = tokenFor('agent');
    const cancellation = await createdId(agent, {
      policyId: 'caftrade',
      type: 'account-cancellation',
      subject: { email: uniqueEmail('cancel') },
    });
    expect((await post(`${CONSOLE}/${cancellation}/approve`, agent, {})).status).toBe(403);
    expect((await post(`${CONSOLE}/${cancellation}/approve`, tokenFor('agent'), {})).status).toBe(200);
    const access = await createdId(agent, {
      policyId: 'caftrade',
      type: 'correction',
      subject: { email: uniqueEmail('access') },
    });
    const answer = await post(`${CONSOLE}/${access}/approve`, agent, {});
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('approval-not-required');
  });
});

describe('triage', () => {
  it('types an email request the classifier could not, found in the list of requests that need triage', async () => {
    const domain = `triage-${randomUUID().slice(0, 8)}.example.com`;
    const transport = createTransport({
      host: '127.0.0.1',
      port: stack().smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({
      from: `li.lei@${domain}`,
      to: 'privacy@demo-shop.local',
      subject: 'A question',
      text: 'Hello, I have a question about my membership.',
    });
    transport.close();
    const agent = tokenFor('agent', 'alice');
    const row = await eventually(async () => {
      const listed = await get(`${CONSOLE}?needsTriage=true&channel=email&limit=100`, agent);
      return (listed.body.requests as { requestId: string; identifiers: { masked: string }[] }[]).find(
        (candidate) => candidate.identifiers.some((identifier) => identifier.masked.endsWith(`@${domain}`)),
      );
    }, 'the email request in the triage list');
    const answer = await post(`${CONSOLE}/${row.requestId}/triage`, agent, {
      action: 'set-type',
      type: 'access',
    });
    expect(answer.body).toMatchObject({ type: 'access', needsTriage: false });
    expect(await lastEvent(row.requestId, 'triaged')).toMatchObject({
      actor: { kind: 'agent', id: 'alice' },
      details: { action: 'set-type', type: 'access' },
    });
  });

  it('closes a duplicate into the original, cancelled with the reason, both trails linked', async () => {
    const agent = tokenFor('agent', 'alice');
    const email = uniqueEmail('duplicate');
    const original = await createdId(agent, {
      policyId: 'pipl-default',
      type: 'correction',
      subject: { email },
    });
    const duplicate = await createdId(agent, {
      policyId: 'pipl-default',
      type: 'correction',
      subject: { email },
    });
    const answer = await post(`${CONSOLE}/${duplicate}/triage`, agent, { action: 'merge', into: original });
    expect(answer.body).toMatchObject({ status: 'cancelled', duplicateOf: original });
    expect(await lastEvent(duplicate, 'status-changed')).toMatchObject({
      details: { to: 'cancelled', reason: `duplicate of ${original}` },
    });
    expect(await lastEvent(duplicate, 'triaged')).toMatchObject({
      details: { action: 'merged-into', into: original },
    });
    expect(await lastEvent(original, 'triaged')).toMatchObject({
      actor: { id: 'alice' },
      details: { action: 'duplicate-merged', duplicate },
    });
  });

  it('refuses to type a request that already has a type', async () => {
    const id = await createdId(tokenFor('agent'), {
      policyId: 'pipl-default',
      type: 'correction',
      subject: { email: uniqueEmail('typed') },
    });
    const answer = await post(`${CONSOLE}/${id}/triage`, tokenFor('agent'), {
      action: 'set-type',
      type: 'copy',
    });
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('not-awaiting-triage');
  });
});

describe('notes, assignment and repeat requests', () => {
  it('adds a note with only its hash on the trail', async () => {
    const id = await createdId(tokenFor('agent'), {
      policyId: 'pipl-default',
      type: 'correction',
      subject: { email: uniqueEmail('note') },
    });
    expect(
      (
        await post(`${CONSOLE}/${id}/notes`, tokenFor('agent', 'alice'), {
          text: 'Ms Li prefers a call after 6 pm',
        })
      ).status,
    ).toBe(200);
    const event = await lastEvent(id, 'note-added');
    expect(event).toMatchObject({
      actor: { id: 'alice' },
      details: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(JSON.stringify(event)).not.toContain('6 pm');
    expect((await detail(id)).body.notes.at(-1)).toMatchObject({
      by: 'alice',
      text: 'Ms Li prefers a call after 6 pm',
    });
  });

  it('lets an agent claim unassigned work and a supervisor reassign it, each audited', async () => {
    const id = await createdId(tokenFor('agent'), {
      policyId: 'pipl-default',
      type: 'correction',
      subject: { email: uniqueEmail('assign') },
    });
    const alice = tokenFor('agent', 'alice');
    expect((await post(`${CONSOLE}/${id}/assign`, alice, { assignee: 'bob' })).status).toBe(403);
    expect((await post(`${CONSOLE}/${id}/assign`, alice, { assignee: 'alice' })).body.assignee).toBe('alice');
    expect(
      (await post(`${CONSOLE}/${id}/assign`, tokenFor('agent', 'bob'), { assignee: 'bob' })).status,
    ).toBe(403);
    expect(
      (await post(`${CONSOLE}/${id}/assign`, tokenFor('supervisor', 'sam'), { assignee: 'bob' })).body
        .assignee,
    ).toBe('bob');
    expect(await lastEvent(id, 'assigned')).toMatchObject({
      actor: { id: 'sam' },
      details: { from: 'alice', to: 'bob' },
    });
  });

  it('counts the subject’s earlier requests of the type through the subject index and applies the fee rule', async () => {
    const agent = tokenFor('agent');
    const email = uniqueEmail('repeat');
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) {
      ids.push(await createdId(agent, { policyId: 'pipl-default', type: 'correction', subject: { email } }));
    }
    await createdId(agent, { policyId: 'pipl-default', type: 'explain-rules', subject: { email } });
    const second = await post(`${CONSOLE}/${ids[1]}/repeat`, agent, { chargeFee: true });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'fee-not-allowed', field: 'chargeFee' });
    const third = await post(`${CONSOLE}/${ids[2]}/repeat`, agent, { chargeFee: true, feeNote: 'CNY 20' });
    expect(third.status).toBe(200);
    expect(third.body.repeat).toMatchObject({
      earlierInPeriod: 2,
      freePerPeriod: 2,
      beyondFreeLimit: true,
      feeAllowed: true,
      feeCharged: true,
      feeNote: 'CNY 20',
    });
    expect(await lastEvent(ids[2]!, 'repeat-flagged')).toMatchObject({
      details: { earlierInPeriod: 2, feeCharged: true },
    });
    expect(await timelineTypes(ids[2]!)).toContain('repeat-flagged');
  });
});
