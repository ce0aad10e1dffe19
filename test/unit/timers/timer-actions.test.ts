import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../domain/audit';
import type { PlainDate } from '../../../domain/clock';
import { computeDeadline } from '../../../domain/deadline';
import { getPolicy } from '../../../domain/policy/registry';
import type { RequestRecord } from '../../../domain/request-record';
import { reminderRecipient } from '../../../domain/timers/recipients';
import { needsTrail, noticesOnTrail, planTimerActions } from '../../../domain/timers/timer-actions';
import { dueTimerEvents } from '../../../domain/timers/timer-events';

const addresses = { team: 'privacy-team@demo.example', supervisors: 'privacy-supervisors@demo.example' };
const sufe = getPolicy('sufe');
const ccpa = getPolicy('ccpa');
const qianxin = getPolicy('qianxin');

function recordOf(policyId: string, overrides: Partial<RequestRecord> = {}): RequestRecord {
  const policy = getPolicy(policyId);
  return {
    requestId: 'dsr-timers-1',
    policyId,
    type: 'correction',
    needsTriage: false,
    channel: 'web',
    status: 'verified',
    requester: { role: 'self' },
    identifiers: [
      { kind: 'email', value: 'li.lei@example.com', key: 'k', masked: 'l***@example.com', verified: true },
    ],
    subjectKey: 'k',
    locale: 'zh-CN',
    receivedAt: '2025-09-26T02:00:00Z',
    deadline: computeDeadline({ policy, receivedOn: '2025-09-26' as PlainDate }),
    statusTokenHash: 'h',
    pausedUnits: 0,
    extended: false,
    dueSortKey: '2025-10-30#dsr-timers-1',
    lastSeq: 3,
    lastHash: 'x',
    version: 4,
    ...overrides,
  };
}

function plan(policyId: string, record: RequestRecord, now: Date, trail: readonly AuditEvent[] = []) {
  const policy = getPolicy(policyId);
  const due = dueTimerEvents(policy, record, now);
  return planTimerActions({ policy, record, due, trail: noticesOnTrail(trail), addresses, now });
}

function trailEvent(type: AuditEvent['type'], details: Record<string, unknown>, at: string): AuditEvent {
  return {
    requestId: 'dsr-timers-1',
    seq: 2,
    prevHash: 'p',
    hash: 'h',
    type,
    actor: { kind: 'agent', id: 'alice' },
    at,
    details,
  };
}

describe('reminder recipient', () => {
  it.each([
    ['alice@demo.example', 'alice@demo.example', 'assignee'],
    ['alice', addresses.team, 'team'],
    ['auth0|1234', addresses.team, 'team'],
    [undefined, addresses.team, 'team'],
  ] as const)('sends a reminder for assignee %s to %s', (assignee, to, recipient) => {
    expect(reminderRecipient(assignee, addresses.team)).toEqual({ to, recipient });
  });
});

describe('planning timer actions', () => {
  it('records the reminder, puts it on the trail and mails the assignee', () => {
    const now = new Date('2025-10-16T04:00:00Z');
    const result = plan('sufe', recordOf('sufe', { assignee: 'alice@demo.example' }), now);
    expect(result.next.remindersSent).toEqual({ 'reminder:0.5': now.toISOString() });
    expect(result.events).toEqual([
      expect.objectContaining({
        type: 'reminder-sent',
        actor: { kind: 'system', id: 'SweepRequests' },
        details: { kind: 'reminder:0.5', fraction: 0.5, dueDate: '2025-10-30', to: 'assignee' },
      }),
    ]);
    expect(result.mails).toEqual([
      expect.objectContaining({ to: 'alice@demo.example', kind: 'reminder:0.5', purpose: 'reminder' }),
    ]);
    expect(result.mails[0]?.notice.text).toContain('2025-10-30');
    expect(result.mails[0]?.notice.text).not.toContain('li.lei');
  });

  it('mails only the latest of two reminders due at once', () => {
    const result = plan('sufe', recordOf('sufe'), new Date('2025-10-27T04:00:00Z'));
    expect(Object.keys(result.next.remindersSent ?? {})).toEqual(['reminder:0.5', 'reminder:0.8']);
    expect(result.mails.map((mail) => mail.kind)).toEqual(['reminder:0.8']);
    expect(result.mails[0]?.to).toBe(addresses.team);
  });

  it('marks a breach, keeps the status, and alerts supervisors', () => {
    const reminded = recordOf('sufe', {
      remindersSent: { 'reminder:0.5': '2025-10-16T04:00:00Z', 'reminder:0.8': '2025-10-24T04:00:00Z' },
    });
    const now = new Date('2025-10-31T01:00:00Z');
    const result = plan('sufe', reminded, now);
    expect(result.breached).toBe(true);
    expect(result.next).toMatchObject({
      status: 'verified',
      breach: { at: now.toISOString(), dueDate: '2025-10-30' },
    });
    expect(result.events).toEqual([
      expect.objectContaining({
        type: 'deadline-breached',
        details: expect.objectContaining({ dueDate: '2025-10-30' }),
      }),
    ]);
    expect(result.mails).toEqual([expect.objectContaining({ to: addresses.supervisors, purpose: 'breach' })]);
  });

  it('sends the ccpa acknowledgement to the requester with the reply date', () => {
    const record = recordOf('ccpa', {
      receivedAt: '2025-11-20T18:00:00Z',
      status: 'pending-verification',
      deadline: computeDeadline({ policy: ccpa, receivedOn: '2025-11-20' as PlainDate }),
    });
    const result = plan('ccpa', record, new Date('2025-12-02T20:00:00Z'));
    expect(result.mails).toEqual([
      expect.objectContaining({ to: 'li.lei@example.com', purpose: 'acknowledgement' }),
    ]);
    expect(result.mails[0]?.notice.text).toContain('We will reply by 2026-01-04');
    expect(result.events).toEqual([
      expect.objectContaining({
        type: 'notification-sent',
        details: expect.objectContaining({ notice: 'acknowledgement', to: 'l***@example.com', late: false }),
      }),
    ]);
  });

  it('records a receipt sent at intake as the acknowledgement, and sends nothing', () => {
    const record = recordOf('ccpa', {
      receivedAt: '2025-11-20T18:00:00Z',
      deadline: computeDeadline({ policy: ccpa, receivedOn: '2025-11-20' as PlainDate }),
    });
    const receipt = trailEvent(
      'notification-sent',
      { notice: 'receipt', to: 'l***' },
      '2025-11-20T18:00:05Z',
    );
    const result = plan('ccpa', record, new Date('2025-12-02T20:00:00Z'), [receipt]);
    expect(result.mails).toEqual([]);
    expect(result.events).toEqual([]);
    expect(result.next.remindersSent).toEqual({ acknowledgement: '2025-11-20T18:00:05Z' });
  });

  it('asks the team to acknowledge a request with no email address another way', () => {
    const record = recordOf('ccpa', {
      identifiers: [
        { kind: 'phone', value: '+15551234567', key: 'k', masked: '+1******4567', verified: true },
      ],
      receivedAt: '2025-11-20T18:00:00Z',
      deadline: computeDeadline({ policy: ccpa, receivedOn: '2025-11-20' as PlainDate }),
    });
    const result = plan('ccpa', record, new Date('2025-12-02T20:00:00Z'));
    expect(result.mails).toEqual([expect.objectContaining({ to: addresses.team, purpose: 'alert' })]);
    expect(result.mails[0]?.notice.text).not.toContain('4567');
  });

  it('confirms a qianxin explanation from the postponement notice on the trail', () => {
    const postponedOn = '2025-10-20' as PlainDate;
    const record = recordOf('qianxin', {
      status: 'extended',
      extended: true,
      postponedOn,
      deadline: computeDeadline({ policy: qianxin, receivedOn: '2025-09-26' as PlainDate, postponedOn }),
      remindersSent: { 'reminder:0.5': '2025-10-14T04:00:00Z' },
    });
    const notice = trailEvent('notification-sent', { notice: 'extension' }, '2025-10-20T03:00:00Z');
    const confirmed = plan('qianxin', record, new Date('2025-10-21T04:00:00Z'), [notice]);
    expect(confirmed.next.remindersSent).toMatchObject({ explanation: '2025-10-20T03:00:00Z' });
    expect(confirmed.mails.filter((mail) => mail.kind.startsWith('explanation'))).toEqual([]);

    const failed = trailEvent('notification-failed', { notice: 'extension' }, '2025-10-20T03:00:00Z');
    const overdue = plan('qianxin', record, new Date('2025-10-24T04:00:00Z'), [failed]);
    expect(overdue.mails).toContainEqual(
      expect.objectContaining({ kind: 'explanation-overdue', to: addresses.supervisors }),
    );
  });

  it('reads the trail only for acknowledgements and explanations', () => {
    const due = dueTimerEvents(sufe, recordOf('sufe'), new Date('2025-10-31T04:00:00Z'));
    expect(needsTrail(due)).toBe(false);
  });
});
