/**
 * A requester's whole path through web/API intake, against the running local
 * pipeline: submit, read the code from the mail, verify, and see the due date
 * the policy gives. The expected dates come from the deadline engine, fed with
 * the dates the server recorded, so the test checks the wiring (time zone,
 * clock start, policy choice) rather than re-deriving the law.
 */

import { describe, expect, inject, it } from 'vitest';
import { daysBetween, getCalendar, type PlainDate, workingDaysBetween } from '../../../domain/clock';
import { computeDeadline, receivedOnFor } from '../../../domain/deadline';
import { getPolicy } from '../../../domain/policy/registry';
import { residenceOf } from '../support/organisation';
import {
  codeIn,
  requestStatus,
  submitRequest,
  uniqueEmail,
  verifyCode,
  waitForMail,
  wrongCodeFor,
} from '../support/pipeline';

interface TimelineEntry {
  readonly at: string;
  readonly event: string;
  readonly to?: string;
}

/** What the deadline engine says, as the server stores it (provisional where a year has no notice yet). */
function expectedDueDate(policyId: string, receivedAt: string, verifiedAt?: string): PlainDate | null {
  const policy = getPolicy(policyId);
  return computeDeadline({
    policy,
    receivedOn: receivedOnFor(policy, new Date(receivedAt)),
    ...(verifiedAt ? { verifiedOn: receivedOnFor(policy, new Date(verifiedAt)) } : {}),
  }).dueDate;
}

/** Submits, reads the code from the outbox and verifies; returns what the requester holds. */
async function submitAndVerify(submission: { type: string; subject: { email: string }; residence?: string }) {
  const stack = inject('stack');
  const submitted = await submitRequest(stack, submission);
  expect(submitted.status).toBe(202);
  const requestId = submitted.body.requestId as string;
  const token = submitted.body.statusToken as string;
  const code = codeIn(await waitForMail(stack, submission.subject.email));
  const verified = await verifyCode(stack, requestId, code);
  expect(verified.status).toBe(200);
  const status = await requestStatus(stack, requestId, token);
  expect(status.status).toBe(200);
  return { submitted: submitted.body, verified: verified.body, status: status.body };
}

describe('web and API intake', () => {
  it('answers 202 with a request id, pending verification and a status token, and mails the code', async () => {
    const stack = inject('stack');
    const email = uniqueEmail('intake-202');
    const answer = await submitRequest(stack, { type: 'access', subject: { email } });

    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({
      requestId: expect.stringMatching(/^dsr-/),
      status: 'pending-verification',
      type: 'access',
      policyId: 'caftrade',
      statusToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      dueDate: null,
      dueDatePendingOn: 'verification',
    });
    const mail = await waitForMail(stack, email);
    expect(codeIn(mail)).toMatch(/^\d{8}$/);
    expect(mail.subject).toContain(answer.body.requestId as string);
  });

  it('refuses a wrong code with the tries left, then verifies with the right one', async () => {
    const stack = inject('stack');
    const email = uniqueEmail('intake-wrong-code');
    const submitted = await submitRequest(stack, { type: 'copy', subject: { email } });
    const requestId = submitted.body.requestId as string;
    const code = codeIn(await waitForMail(stack, email));

    const wrong = await verifyCode(stack, requestId, wrongCodeFor(code));
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { code: 'wrong-code', field: 'code' } });
    expect((wrong.body.error as { message: string }).message).toContain('4 tries left');

    const right = await verifyCode(stack, requestId, code);
    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({ requestId, status: 'verified' });
  });

  it('gives a caftrade request 15 calendar days from verification in Asia/Shanghai, and a timeline', async () => {
    const { submitted, verified, status } = await submitAndVerify({
      type: 'access',
      subject: { email: uniqueEmail('intake-caftrade') },
    });
    const timeline = status.timeline as TimelineEntry[];
    const verifiedAt = timeline.find((entry) => entry.event === 'identity-verified')?.at;
    expect(verifiedAt).toBeDefined();
    const expected = expectedDueDate('caftrade', submitted.receivedAt as string, verifiedAt);

    expect(verified.dueDate).toBe(expected);
    // Verification starts fulfilment at once, so the request may already have moved on.
    expect(['verified', 'in-progress', 'fulfilled']).toContain(status.status);
    expect(status).toMatchObject({
      policy: { id: 'caftrade', timeZone: 'Asia/Shanghai' },
      clock: { start: 'verification', unit: 'calendar-days', length: 15, dueDate: expected },
    });
    if (expected !== null) {
      // 15 days after the verification day, or later only if that day is a rest day (rolled forward).
      const verifiedOn = receivedOnFor(getPolicy('caftrade'), new Date(verifiedAt!));
      expect(daysBetween(verifiedOn, expected)).toBeGreaterThanOrEqual(15);
      expect(daysBetween(verifiedOn, expected)).toBeLessThan(15 + 10);
    }
    expect(timeline.map((entry) => entry.event).slice(0, 5)).toEqual([
      'request-received',
      'status-changed',
      'verification-code-sent',
      'identity-verified',
      'status-changed',
    ]);
    expect(
      timeline
        .filter((entry) => entry.event === 'status-changed')
        .map((entry) => entry.to)
        .slice(0, 2),
    ).toEqual(['pending-verification', 'verified']);
  });

  it('gives a sufe request 20 working days from receipt on the State Council calendar', async () => {
    const { submitted, status } = await submitAndVerify({
      type: 'deletion',
      residence: residenceOf('sufe'),
      subject: { email: uniqueEmail('intake-sufe') },
    });
    const expected = expectedDueDate('sufe', submitted.receivedAt as string);

    // The clock starts at receipt, so the due date is known before verification, whatever the year
    // (provisional where next year's State Council notice is not out yet).
    expect(expected).not.toBeNull();
    expect(submitted.dueDate).toBe(expected);
    expect(status).toMatchObject({
      policy: { id: 'sufe' },
      clock: { start: 'receipt', unit: 'working-days', length: 20, dueDate: expected },
    });
    if (expected !== null) {
      const receivedOn = receivedOnFor(getPolicy('sufe'), new Date(submitted.receivedAt as string));
      expect(workingDaysBetween(getCalendar('cn-state-council'), receivedOn, expected)).toBe(20);
    }
  });

  it('gives a pipl-default request 15 working days from receipt', async () => {
    const { submitted, status } = await submitAndVerify({
      type: 'correction',
      residence: residenceOf('pipl-default'),
      subject: { email: uniqueEmail('intake-pipl') },
    });
    const expected = expectedDueDate('pipl-default', submitted.receivedAt as string);

    expect(submitted.dueDate).toBe(expected);
    expect(status).toMatchObject({
      status: 'verified',
      policy: { id: 'pipl-default' },
      clock: { start: 'receipt', unit: 'working-days', length: 15, dueDate: expected },
    });
  });

  it('shows the status with the token in an Authorization header as well as in the query', async () => {
    const stack = inject('stack');
    const email = uniqueEmail('intake-bearer');
    const submitted = await submitRequest(stack, { type: 'access', subject: { email } });
    const requestId = submitted.body.requestId as string;
    const response = await fetch(`${stack.api}/v1/requests/${requestId}`, {
      headers: { authorization: `Bearer ${submitted.body.statusToken as string}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ requestId, status: 'pending-verification' });
  });
});
