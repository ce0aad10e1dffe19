import { describe, expect, it } from 'vitest';
import { awaitRequester, extendDeadline, resumeClock } from '../../../../app/console/clock-actions';
import { EMAIL, PHONE } from '../../console/builders';
import { AGENT, consolePorts, given, SUPERVISOR } from './fixture';

const ID = 'dsr-00000000-0000-4000-8000-000000000001';

describe('the reply clock in the console', () => {
  it('pauses the clock, mails the question and records the mail on the trail', async () => {
    const ports = consolePorts();
    await given(ports.requests);
    const answer = await awaitRequester(ports, AGENT, ID, 'Which account number?');
    expect(answer).toMatchObject({
      requestId: ID,
      status: 'awaiting-requester',
      clockPaused: true,
      pausedSince: '2025-03-10',
      noticeSent: true,
    });
    expect(ports.mailer.sent).toHaveLength(1);
    expect(ports.mailer.sent[0]).toMatchObject({ to: EMAIL.value });
    expect(ports.mailer.sent[0]?.text).toContain('Which account number?');
    const trail = await ports.requests.trail(ID);
    expect(trail.map((event) => event.type)).toEqual([
      'request-received',
      'status-changed',
      'clock-paused',
      'note-added',
      'notification-sent',
    ]);
    expect(trail.at(-1)).toMatchObject({
      details: { notice: 'information-request', to: EMAIL.masked },
      at: '2025-03-10T02:00:00.000Z',
    });
  });

  it('keeps the action when the mail fails: the failure is on the trail, logged and counted', async () => {
    const ports = consolePorts();
    await given(ports.requests);
    ports.mailer.failWith = Object.assign(new Error('relay down'), { name: 'SmtpRelayUnavailable' });
    const answer = await awaitRequester(ports, AGENT, ID, 'Which account number?');
    expect(answer).toMatchObject({
      status: 'awaiting-requester',
      noticeSent: false,
      noticeNotSentBecause: 'mail-failed',
    });
    expect((await ports.requests.trail(ID)).at(-1)).toMatchObject({
      type: 'notification-failed',
      details: { notice: 'information-request', errorName: 'SmtpRelayUnavailable' },
    });
    expect(ports.log.counts).toEqual(['NotificationFailed']);
  });

  it('tells the agent when the request has no email address to mail', async () => {
    const ports = consolePorts();
    await given(ports.requests, {
      identifiers: [{ ...PHONE, verified: true, verifiedBy: 'phone-callback' }],
    });
    const answer = await awaitRequester(ports, AGENT, ID, 'Which account number?');
    expect(answer).toMatchObject({ noticeSent: false, noticeNotSentBecause: 'no-email-address' });
    expect(ports.mailer.sent).toEqual([]);
    expect((await ports.requests.trail(ID)).map((event) => event.type)).not.toContain('notification-sent');
  });

  it('resumes on a later day and moves the due date by the working days stopped', async () => {
    const ports = consolePorts();
    await given(ports.requests);
    await awaitRequester(ports, AGENT, ID, 'Which account number?');
    ports.clock.set('2025-03-14T02:00:00.000Z');
    const answer = await resumeClock(ports, AGENT, ID, 'Answered by phone');
    expect(answer).toMatchObject({ requestId: ID, status: 'verified', pausedUnits: 4 });
    expect(answer.dueDate).not.toBe(answer.dueDateBefore);
    expect((await ports.requests.trail(ID)).at(-1)).toMatchObject({ type: 'note-added' });
  });

  it('extends the deadline and mails the extension notice', async () => {
    const ports = consolePorts('2025-02-10T09:00:00.000Z');
    await given(ports.requests, { policyId: 'gdpr', receivedAt: '2025-01-31T09:00:00.000Z' });
    const answer = await extendDeadline(ports, SUPERVISOR, ID, 'Several systems to search');
    expect(answer).toMatchObject({
      requestId: ID,
      status: 'extended',
      noticeOn: '2025-02-10',
      noticeSent: true,
    });
    expect(ports.mailer.sent).toHaveLength(1);
    expect((await ports.requests.trail(ID)).slice(-3).map((event) => event.type)).toEqual([
      'status-changed',
      'deadline-extended',
      'notification-sent',
    ]);
  });
});
