/**
 * The reply clock through the console: a pause moves the due date by exactly
 * the paused working days, and extensions stay within their policy's cap and
 * notice deadline. Days that must pass are simulated by dating the stored
 * pause or receipt back; the expected dates come from the deadline engine.
 */
import { describe, expect, it } from 'vitest';
import {
  addDays,
  getCalendar,
  type PlainDate,
  plainDateInZone,
  workingDaysBetween,
} from '../../../domain/clock';
import { computeDeadline, receivedOnFor, unitsBetween } from '../../../domain/deadline';
import { getPolicy } from '../../../domain/policy/registry';
import {
  CONSOLE,
  createdId,
  detail,
  lastEvent,
  post,
  simulateElapsedTime,
  storedRequest,
  tokenFor,
  uniqueEmail,
  waitForMail,
} from './support';

/** The most recent day, before `today`, that lies `units` of the policy's clock units back. */
function unitsAgo(policyId: string, today: PlainDate, units: number): PlainDate {
  const policy = getPolicy(policyId);
  let day = today;
  while (unitsBetween(policy, day, today) < units) day = addDays(day, -1);
  return day;
}

describe('waiting on the requester', () => {
  it('pauses the clock, mails the question, and on the answer moves the due date by exactly the paused working days', async () => {
    const agent = tokenFor('agent', 'alice');
    const email = uniqueEmail('pause');
    const id = await createdId(agent, { policyId: 'pipl-default', type: 'correction', subject: { email } });
    const before = await storedRequest(id);
    const policy = getPolicy('pipl-default');
    const today = plainDateInZone(new Date(), policy.timeZone);

    const asked = await post(`${CONSOLE}/${id}/awaiting-requester`, agent, {
      message: 'Which of your two accounts do you mean?',
    });
    expect(asked.body).toMatchObject({
      status: 'awaiting-requester',
      clockPaused: true,
      pausedSince: today,
      noticeSent: true,
    });
    expect(await lastEvent(id, 'clock-paused')).toMatchObject({
      actor: { id: 'alice' },
      details: { since: today },
    });
    expect((await waitForMail(email, 'We need more information')).text).toContain(
      'Which of your two accounts',
    );
    expect((await detail(id)).body.clock).toMatchObject({ paused: true, pausedSince: today });

    // Three working days pass before the requester answers.
    const pausedSince: PlainDate = unitsAgo('pipl-default', today, 3);
    await simulateElapsedTime(id, { pausedSince });

    const resumed = await post(`${CONSOLE}/${id}/resume`, agent, {});
    expect(resumed.body).toMatchObject({
      status: 'verified',
      pausedUnits: 3,
      dueDateBefore: before.deadline.dueDate,
    });
    if (before.deadline.dueDate !== null && resumed.body.dueDate !== null) {
      expect(
        workingDaysBetween(getCalendar('cn-state-council'), before.deadline.dueDate, resumed.body.dueDate),
      ).toBe(3);
    }
    expect(await lastEvent(id, 'clock-resumed')).toMatchObject({
      actor: { id: 'alice' },
      details: { pausedSince, resumedOn: today, unitsAdded: 3, pausedUnits: 3 },
    });
    expect((await detail(id)).body.clock).toMatchObject({
      paused: false,
      pausedUnits: 3,
      dueDate: resumed.body.dueDate,
    });
  });

  it('keeps the clock running where the policy never stops it, and says why', async () => {
    const id = await createdId(tokenFor('agent'), {
      policyId: 'lgpd',
      type: 'correction',
      subject: { email: uniqueEmail('lgpd') },
    });
    const asked = await post(`${CONSOLE}/${id}/awaiting-requester`, tokenFor('agent'), {
      message: 'Please confirm your CPF',
    });
    expect(asked.body).toMatchObject({ status: 'awaiting-requester', clockPaused: false });
    expect(asked.body.clockNote).toBe(getPolicy('lgpd').pause.comment);
  });

  it('answers 409 to a resume of a request that is not waiting', async () => {
    const id = await createdId(tokenFor('agent'), {
      policyId: 'pipl-default',
      type: 'correction',
      subject: { email: uniqueEmail('noresume') },
    });
    const answer = await post(`${CONSOLE}/${id}/resume`, tokenFor('agent'), {});
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('not-awaiting-requester');
  });
});

describe('extension', () => {
  it('extends a gdpr request to three months after receipt and tells the requester the new date, once', async () => {
    const email = uniqueEmail('extend');
    const id = await createdId(tokenFor('agent'), {
      policyId: 'gdpr',
      type: 'correction',
      subject: { email },
    });
    const supervisor = tokenFor('supervisor', 'sam');
    const stored = await storedRequest(id);
    const policy = getPolicy('gdpr');
    const today = plainDateInZone(new Date(), policy.timeZone);
    const expected = computeDeadline({
      policy,
      receivedOn: receivedOnFor(policy, new Date(stored.receivedAt)),
      verifiedOn: stored.verifiedOn!,
      postponedOn: today,
    });

    const answer = await post(`${CONSOLE}/${id}/extend`, supervisor, {
      reason: 'The data sits in seven systems',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: 'extended',
      dueDate: expected.dueDate,
      originalDueDate: stored.deadline.dueDate,
      noticeOn: today,
      noticeSent: true,
    });
    expect(await lastEvent(id, 'deadline-extended')).toMatchObject({
      actor: { kind: 'agent', id: 'sam' },
      details: { dueDateBefore: stored.deadline.dueDate, dueDate: expected.dueDate, reasonGiven: true },
    });
    const mail = await waitForMail(email, 'More time to answer your request');
    expect(mail.text).toContain(expected.dueDate!);
    expect(mail.text).toContain('The data sits in seven systems');

    const again = await post(`${CONSOLE}/${id}/extend`, supervisor, { reason: 'Still more' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'extension-cap-reached' });
    expect(again.body.error.message).toContain('caps the reply period at 3 months');
  });

  it.each([
    ['pipl-default, which allows none', 'pipl-default', { reason: 'x' }, 409, 'extension-not-allowed'],
    ['ccpa without the reason its policy requires', 'ccpa', {}, 400, 'extension-reason-required'],
  ])('refuses to extend under %s', async (_case, policyId, body, status, code) => {
    const id = await createdId(tokenFor('agent'), {
      policyId,
      type: 'correction',
      subject: { email: uniqueEmail('noext') },
      ...(policyId === 'ccpa' ? { identityCheck: undefined } : {}),
    });
    if (policyId === 'ccpa') {
      await post(`${CONSOLE}/${id}/identity`, tokenFor('agent'), {
        decision: 'approve',
        method: 'account-login',
        note: 'Signed in',
        identifiers: ['email'],
      });
    }
    const answer = await post(`${CONSOLE}/${id}/extend`, tokenFor('supervisor'), body);
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    if (status === 400) expect(answer.body.error.field).toBe('reason');
  });

  it('refuses a qianxin postponement notified after the original period has run out', async () => {
    const id = await createdId(tokenFor('agent'), {
      policyId: 'qianxin',
      type: 'correction',
      subject: { email: uniqueEmail('late') },
      identityCheck: { method: 'phone-callback', note: 'Called back' },
    });
    // Received 60 days ago: the 15 working days (and the explanation date) are long past.
    await simulateElapsedTime(id, { receivedAt: new Date(Date.now() - 60 * 86_400_000).toISOString() });
    const answer = await post(`${CONSOLE}/${id}/extend`, tokenFor('supervisor'), { reason: 'Complicated' });
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('extension-notice-late');
  });

  it('postpones a qianxin request received ten working days ago, with the explanation due within the first fifteen', async () => {
    const policy = getPolicy('qianxin');
    const today = plainDateInZone(new Date(), policy.timeZone);
    const id = await createdId(tokenFor('agent'), {
      policyId: 'qianxin',
      type: 'correction',
      subject: { email: uniqueEmail('postpone') },
      identityCheck: { method: 'phone-callback', note: 'Called back' },
    });
    const receivedOn = unitsAgo('qianxin', today, 10);
    const expected = computeDeadline({ policy, receivedOn, postponedOn: today });
    // 09:00 in Shanghai on the day received.
    await simulateElapsedTime(id, { receivedAt: `${receivedOn}T01:00:00.000Z` });
    const answer = await post(`${CONSOLE}/${id}/extend`, tokenFor('supervisor'), {
      reason: 'Three subsidiaries hold data',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      dueDate: expected.dueDate,
      explanationDueDate: expected.explanationDueDate,
      noticeBy: expected.extension!.noticeBy,
    });
  });
});
