import { describe, expect, it } from 'vitest';
import { unconfiguredStaff } from '../../../../adapters/memory/memory-timer-ports';
import { enforceDeadlineTimers } from '../../../../app/timers/deadline-timers';
import { DEADLINE_BREACHES_METRIC } from '../../../../definitions/metrics';
import type { AuditEventBody } from '../../../../domain/audit';
import type { PlainDate } from '../../../../domain/clock';
import { asOf, EMAIL, memoryPorts, STAFF, storeRequest } from './support';

// A sufe correction received on 26 September 2025 is due on 30 October; its first reminder is on 16 October.
const REMINDER_AT = '2025-10-16T04:00:00.000Z';
const BREACH_AT = '2025-10-31T01:00:00.000Z';
const REMINDED = { 'reminder:0.5': '2025-10-16T04:00:00Z', 'reminder:0.8': '2025-10-24T04:00:00Z' };

const agentNotice = (notice: string, at: string, type: AuditEventBody['type'] = 'notification-sent') => ({
  type,
  actor: { kind: 'agent' as const, id: 'alice' },
  at,
  details: { notice },
});

describe('the deadline-timers job', () => {
  it('records the reminder, puts it on the trail, then mails the assignee', async () => {
    const deps = memoryPorts(REMINDER_AT);
    const record = await storeRequest(deps.requests, 'sufe', { assignee: 'alice@demo.example' });

    expect(await enforceDeadlineTimers.run(deps, record, asOf(REMINDER_AT))).toBe('changed');

    expect((await deps.requests.get(record.requestId)).remindersSent).toEqual({
      'reminder:0.5': REMINDER_AT,
    });
    expect((await deps.requests.trail(record.requestId)).at(-1)).toMatchObject({
      type: 'reminder-sent',
      at: REMINDER_AT,
      details: { kind: 'reminder:0.5', dueDate: '2025-10-30', to: 'assignee' },
    });
    expect(deps.mailer.sent).toEqual([
      expect.objectContaining({
        to: 'alice@demo.example',
        messageId: `<${record.requestId}.reminder-0-5@timers.dsar-pipeline>`,
      }),
    ]);
    expect(deps.telemetry.counts).toEqual({ TimerMailSent: 1 });
  });

  it('sends nothing the second time, nor before anything is due', async () => {
    const deps = memoryPorts(REMINDER_AT);
    const record = await storeRequest(deps.requests, 'sufe');
    expect(await enforceDeadlineTimers.run(deps, record, asOf('2025-10-15T04:00:00Z'))).toBe('unchanged');
    await enforceDeadlineTimers.run(deps, record, asOf(REMINDER_AT));
    const trail = await deps.requests.trail(record.requestId);

    const again = await deps.requests.get(record.requestId);
    expect(await enforceDeadlineTimers.run(deps, again, asOf('2025-10-16T05:00:00Z'))).toBe('unchanged');

    expect(deps.mailer.sent).toHaveLength(1);
    expect(deps.mailer.sent[0]?.to).toBe(STAFF.team);
    expect(await deps.requests.trail(record.requestId)).toEqual(trail);
  });

  it('marks a breach the day after the due date, counts it and alerts the supervisors', async () => {
    const deps = memoryPorts(BREACH_AT);
    const record = await storeRequest(deps.requests, 'sufe', { remindersSent: REMINDED });

    expect(await enforceDeadlineTimers.run(deps, record, asOf(BREACH_AT))).toBe('changed');

    expect(await deps.requests.get(record.requestId)).toMatchObject({
      status: 'verified',
      breach: { at: BREACH_AT, dueDate: '2025-10-30' },
    });
    expect((await deps.requests.trail(record.requestId)).at(-1)).toMatchObject({
      type: 'deadline-breached',
      details: { dueDate: '2025-10-30', to: 'supervisors' },
    });
    expect(deps.mailer.sent).toEqual([expect.objectContaining({ to: STAFF.supervisors })]);
    expect(deps.telemetry.counts).toMatchObject({ [DEADLINE_BREACHES_METRIC]: 1 });
    expect(deps.telemetry.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'Reply deadline breached' }),
    );
  });

  it('sends the ccpa acknowledgement to the requester before its last day', async () => {
    const now = '2025-12-02T20:00:00.000Z';
    const deps = memoryPorts(now);
    const record = await storeRequest(deps.requests, 'ccpa', {
      receivedAt: '2025-11-20T18:00:00Z',
      status: 'pending-verification',
    });

    expect(await enforceDeadlineTimers.run(deps, record, asOf(now))).toBe('changed');

    expect(deps.mailer.sent).toEqual([expect.objectContaining({ to: EMAIL.value })]);
    expect(deps.mailer.sent[0]?.text).toContain('We will reply by 2026-01-04');
    expect((await deps.requests.trail(record.requestId)).at(-1)).toMatchObject({
      type: 'notification-sent',
      details: { notice: 'acknowledgement', to: EMAIL.masked, late: false },
    });
    expect((await deps.requests.get(record.requestId)).remindersSent).toEqual({ acknowledgement: now });
  });

  it('takes a receipt sent at intake, found on the trail, as the acknowledgement and mails nothing', async () => {
    const now = '2025-12-02T20:00:00.000Z';
    const deps = memoryPorts(now);
    const record = await storeRequest(
      deps.requests,
      'ccpa',
      { receivedAt: '2025-11-20T18:00:00Z' },
      { trail: [agentNotice('receipt', '2025-11-20T18:00:05Z')] },
    );

    expect(await enforceDeadlineTimers.run(deps, record, asOf(now))).toBe('changed');

    expect(deps.mailer.sent).toEqual([]);
    expect((await deps.requests.get(record.requestId)).remindersSent).toEqual({
      acknowledgement: '2025-11-20T18:00:05Z',
    });
  });

  it('confirms a qianxin explanation from the postponement notice on the trail, and alerts supervisors when it failed', async () => {
    const postponedOn = '2025-10-20' as PlainDate;
    const extended = {
      status: 'extended' as const,
      extended: true,
      postponedOn,
      remindersSent: { 'reminder:0.5': '2025-10-14T04:00:00Z' },
    };
    const sent = memoryPorts('2025-10-21T04:00:00Z');
    const confirmed = await storeRequest(sent.requests, 'qianxin', extended, {
      trail: [agentNotice('extension', '2025-10-20T03:00:00Z')],
    });
    await enforceDeadlineTimers.run(sent, confirmed, asOf('2025-10-21T04:00:00Z'));
    expect((await sent.requests.get(confirmed.requestId)).remindersSent).toMatchObject({
      explanation: '2025-10-20T03:00:00Z',
    });
    expect(sent.mailer.sent.filter((mail) => mail.messageId?.includes('explanation'))).toEqual([]);

    const failed = memoryPorts('2025-10-24T04:00:00Z');
    const overdue = await storeRequest(failed.requests, 'qianxin', extended, {
      trail: [agentNotice('extension', '2025-10-20T03:00:00Z', 'notification-failed')],
    });
    await enforceDeadlineTimers.run(failed, overdue, asOf('2025-10-24T04:00:00Z'));
    expect(failed.mailer.sent).toContainEqual(
      expect.objectContaining({
        to: STAFF.supervisors,
        messageId: `<${overdue.requestId}.explanation-overdue@timers.dsar-pipeline>`,
      }),
    );
  });

  it('puts a mail that failed after the write on the trail and counts it, without retrying it', async () => {
    const deps = memoryPorts(REMINDER_AT);
    const record = await storeRequest(deps.requests, 'sufe');
    deps.mailer.failWith = Object.assign(new Error('relay down'), { name: 'SmtpRelayUnavailable' });
    deps.clock.set('2025-10-16T04:00:03.000Z');

    expect(await enforceDeadlineTimers.run(deps, record, asOf(REMINDER_AT))).toBe('changed');

    expect((await deps.requests.trail(record.requestId)).at(-1)).toMatchObject({
      type: 'notification-failed',
      at: '2025-10-16T04:00:03.000Z',
      details: { notice: 'reminder', kind: 'reminder:0.5', errorName: 'SmtpRelayUnavailable' },
    });
    expect(deps.telemetry.counts).toEqual({ NotificationFailed: 1 });
    deps.mailer.failWith = undefined;
    await enforceDeadlineTimers.run(deps, await deps.requests.get(record.requestId), asOf(REMINDER_AT));
    expect(deps.mailer.sent).toEqual([]);
  });

  it('fails before recording anything when the staff addresses are not configured', async () => {
    const deps = { ...memoryPorts(REMINDER_AT), staff: unconfiguredStaff };
    const record = await storeRequest(deps.requests, 'sufe');

    await expect(enforceDeadlineTimers.run(deps, record, asOf(REMINDER_AT))).rejects.toThrow(
      'Staff addresses are not configured',
    );
    expect(await deps.requests.get(record.requestId)).toEqual(record);
  });
});
