import { describe, expect, it } from 'vitest';
import type { PlainDate } from '../../../domain/clock';
import { ExtensionCapReached, ExtensionReasonRequired, ResumeFirst } from '../../../domain/console/errors';
import { extendRequest } from '../../../domain/console/extension';
import { askRequester } from '../../../domain/console/pause';
import { ExtensionNotAllowed, ExtensionNoticeLate } from '../../../domain/deadline';
import { IllegalTransition } from '../../../domain/lifecycle';
import { getPolicy } from '../../../domain/policy/registry';
import { aRequest, contextOn } from './builders';

const day = (text: string) => text as PlainDate;
const reason = { reason: 'Seven systems hold the data' };

describe('extendRequest', () => {
  it('extends a gdpr request received on 31 January to three months after receipt (art. 12(3))', () => {
    const record = aRequest({ policyId: 'gdpr', receivedAt: '2025-01-31T09:00:00.000Z' });
    expect(record.deadline.dueDate).toBe('2025-02-28');
    const change = extendRequest(record, getPolicy('gdpr'), reason, contextOn(day('2025-02-10'), 'sam'));
    expect(change.next).toMatchObject({
      status: 'extended',
      extended: true,
      postponedOn: '2025-02-10',
      extensionReason: reason.reason,
    });
    expect(change.next.deadline).toMatchObject({
      dueDate: '2025-04-30',
      extension: { originalDueDate: '2025-02-28', noticeBy: '2025-02-28' },
    });
    expect(change.events.map((event) => event.type)).toEqual(['status-changed', 'deadline-extended']);
    expect(change.events[1]).toMatchObject({
      actor: { kind: 'agent', id: 'sam' },
      details: {
        dueDateBefore: '2025-02-28',
        dueDate: '2025-04-30',
        noticeOn: '2025-02-10',
        reasonGiven: true,
      },
    });
  });

  it('postpones a qianxin request by 15 working days, its explanation due within the first 15 (seed 003 §六)', () => {
    const record = aRequest({ policyId: 'qianxin', receivedAt: '2025-09-26T01:00:00.000Z' });
    const change = extendRequest(record, getPolicy('qianxin'), reason, contextOn(day('2025-10-20')));
    expect(change.next.deadline).toMatchObject({ dueDate: '2025-11-13', explanationDueDate: '2025-10-23' });
    expect(change.events[1]?.details).toMatchObject({ explanationDueDate: '2025-10-23' });
  });

  it('refuses a postponement notified after the original period, when the notice would be too late', () => {
    const record = aRequest({ policyId: 'qianxin', receivedAt: '2025-09-26T01:00:00.000Z' });
    expect(() => extendRequest(record, getPolicy('qianxin'), reason, contextOn(day('2025-10-24')))).toThrow(
      ExtensionNoticeLate,
    );
  });

  it('refuses a qianxin postponement after the explanation date even when pauses moved the due date', () => {
    const record = aRequest({
      policyId: 'qianxin',
      receivedAt: '2025-09-26T01:00:00.000Z',
      extras: { pausedUnits: 5 },
    });
    expect(record.deadline.dueDate).toBe('2025-10-30');
    expect(() => extendRequest(record, getPolicy('qianxin'), reason, contextOn(day('2025-10-27')))).toThrow(
      /notice of an extension by 2025-10-23/,
    );
  });

  it('refuses a second extension: the one extension already takes the period to its cap', () => {
    const policy = getPolicy('gdpr');
    const once = extendRequest(aRequest({ policyId: 'gdpr' }), policy, reason, contextOn(day('2025-03-05')));
    const inProgress = { ...once.next, status: 'in-progress' as const };
    expect(() => extendRequest(inProgress, policy, reason, contextOn(day('2025-03-06')))).toThrow(
      ExtensionCapReached,
    );
    expect(() => extendRequest(inProgress, policy, reason, contextOn(day('2025-03-06')))).toThrow(
      'caps the reply period at 3 months',
    );
  });

  it.each(['pipl-default', 'caftrade', 'sufe', 'lgpd'])(
    'refuses to extend under %s, which allows none',
    (policyId) => {
      const record = aRequest({ policyId, verifiedOn: day('2025-03-03') });
      expect(() => extendRequest(record, getPolicy(policyId), reason, contextOn(day('2025-03-04')))).toThrow(
        ExtensionNotAllowed,
      );
    },
  );

  it('needs a reason where the policy says so', () => {
    expect(() =>
      extendRequest(aRequest({ policyId: 'ccpa' }), getPolicy('ccpa'), {}, contextOn(day('2025-03-04'))),
    ).toThrow(ExtensionReasonRequired);
  });

  it('refuses while the request waits on the requester, and from statuses the table does not allow', () => {
    const policy = getPolicy('gdpr');
    const waiting = askRequester(aRequest({ policyId: 'gdpr' }), policy, contextOn(day('2025-03-04'))).next;
    expect(() => extendRequest(waiting, policy, reason, contextOn(day('2025-03-05')))).toThrow(ResumeFirst);
    const pending = aRequest({ policyId: 'gdpr', status: 'pending-verification' });
    expect(() => extendRequest(pending, policy, reason, contextOn(day('2025-03-05')))).toThrow(
      IllegalTransition,
    );
  });
});
