import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, getCalendar, type PlainDate, workingDaysBetween } from '../../../domain/clock';
import { NotAwaitingRequester } from '../../../domain/console/errors';
import { askRequester, resumeRequest } from '../../../domain/console/pause';
import { unitsBetween } from '../../../domain/deadline';
import { IllegalTransition } from '../../../domain/lifecycle';
import { getPolicy } from '../../../domain/policy/registry';
import { aRequest, contextOn } from './builders';

const day = (text: string) => text as PlainDate;

/** Received at 09:00 in Shanghai (01:00 UTC) and 10:00 in Brussels, so the receipt day is the same in both zones. */
const receivedAtOn = (date: PlainDate) => `${date}T01:00:00.000Z`;

describe('askRequester and resumeRequest', () => {
  it('moves a pipl-default due date by the two working days paused over the National Day holiday', () => {
    const policy = getPolicy('pipl-default');
    const record = aRequest({ policyId: 'pipl-default', receivedAt: receivedAtOn(day('2025-09-26')) });
    expect(record.deadline.dueDate).toBe('2025-10-23');

    const asked = askRequester(record, policy, contextOn(day('2025-09-29')));
    expect(asked.next).toMatchObject({
      status: 'awaiting-requester',
      resumeTo: 'verified',
      pausedSince: '2025-09-29',
    });
    expect(asked.events.map((event) => event.type)).toEqual(['status-changed', 'clock-paused']);

    const resumed = resumeRequest(asked.next, policy, contextOn(day('2025-10-09')));
    expect(resumed.next).toMatchObject({ status: 'verified', pausedUnits: 2 });
    expect(resumed.next.deadline.dueDate).toBe('2025-10-27');
    expect(resumed.next).not.toHaveProperty('pausedSince');
    expect(resumed.next).not.toHaveProperty('resumeTo');
    expect(resumed.events[1]).toMatchObject({
      type: 'clock-resumed',
      details: { pausedSince: '2025-09-29', resumedOn: '2025-10-09', unitsAdded: 2, dueDate: '2025-10-27' },
    });
  });

  it.each(['pipl-default', 'qianxin', 'sufe'])(
    'moves a %s due date by exactly the working days paused, wherever the pause falls',
    (policyId) => {
      const policy = getPolicy(policyId);
      const calendar = getCalendar(policy.clock.calendar!);
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 364 }),
          fc.integer({ min: 0, max: 20 }),
          fc.integer({ min: 0, max: 60 }),
          (receivedOffset, pauseOffset, pauseLength) => {
            const receivedOn = addDays(day('2025-01-01'), receivedOffset);
            const pausedOn = addDays(receivedOn, pauseOffset);
            const resumedOn = addDays(pausedOn, pauseLength);
            const record = aRequest({ policyId, receivedAt: receivedAtOn(receivedOn) });
            const asked = askRequester(record, policy, contextOn(pausedOn));
            const resumed = resumeRequest(asked.next, policy, contextOn(resumedOn));
            const paused = unitsBetween(policy, pausedOn, resumedOn);
            expect(resumed.next.pausedUnits).toBe(paused);
            expect(
              workingDaysBetween(calendar, record.deadline.dueDate!, resumed.next.deadline.dueDate!),
            ).toBe(paused);
          },
        ),
        { numRuns: 150 },
      );
    },
  );

  it('moves a gdpr due date (a month, no calendar) by exactly the calendar days paused', () => {
    const policy = getPolicy('gdpr');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 364 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 90 }),
        (receivedOffset, pauseOffset, pauseLength) => {
          const receivedOn = addDays(day('2025-01-01'), receivedOffset);
          const pausedOn = addDays(receivedOn, pauseOffset);
          const record = aRequest({ policyId: 'gdpr', receivedAt: receivedAtOn(receivedOn) });
          const asked = askRequester(record, policy, contextOn(pausedOn));
          const resumed = resumeRequest(asked.next, policy, contextOn(addDays(pausedOn, pauseLength)));
          expect(daysBetween(record.deadline.dueDate!, resumed.next.deadline.dueDate!)).toBe(pauseLength);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('adds up the units of successive pauses', () => {
    const policy = getPolicy('pipl-default');
    let record = aRequest({ policyId: 'pipl-default', receivedAt: receivedAtOn(day('2025-03-03')) });
    for (const [asked, answered] of [
      ['2025-03-04', '2025-03-06'],
      ['2025-03-10', '2025-03-11'],
    ] as const) {
      record = askRequester(record, policy, contextOn(day(asked))).next;
      record = resumeRequest(record, policy, contextOn(day(answered))).next;
    }
    expect(record.pausedUnits).toBe(3);
  });

  it.each(['caftrade', 'lgpd', 'ccpa'])(
    'keeps the %s clock running while waiting, because its policy never stops it',
    (policyId) => {
      const policy = getPolicy(policyId);
      const record = aRequest({
        policyId,
        receivedAt: receivedAtOn(day('2025-03-03')),
        verifiedOn: day('2025-03-03'),
      });
      const asked = askRequester(record, policy, contextOn(day('2025-03-04')));
      expect(asked.next.status).toBe('awaiting-requester');
      expect(asked.next).not.toHaveProperty('pausedSince');
      expect(asked.events.map((event) => event.type)).toEqual(['status-changed']);
      const resumed = resumeRequest(asked.next, policy, contextOn(day('2025-03-20')));
      expect(resumed.next.pausedUnits).toBe(0);
      expect(resumed.next.deadline.dueDate).toBe(record.deadline.dueDate);
    },
  );

  it('does not stop a clock that has not started (verification-start policy, identity pending)', () => {
    const policy = { ...getPolicy('caftrade'), pause: { allowed: true, comment: 'test: as if it paused' } };
    const record = aRequest({ policyId: 'caftrade', status: 'pending-verification' });
    expect(record.deadline.dueDate).toBeNull();
    const asked = askRequester(record, policy, contextOn(day('2025-03-04')));
    expect(asked.next).not.toHaveProperty('pausedSince');
    expect(asked.next.resumeTo).toBe('pending-verification');
  });

  it('returns a resumed request to the status it was asked from', () => {
    const policy = getPolicy('pipl-default');
    const record = aRequest({ status: 'in-progress' });
    const asked = askRequester(record, policy, contextOn(day('2025-03-04')));
    expect(resumeRequest(asked.next, policy, contextOn(day('2025-03-05'))).next.status).toBe('in-progress');
  });

  it('refuses to ask from a status the transition table does not allow, and to resume what is not waiting', () => {
    const policy = getPolicy('pipl-default');
    expect(() =>
      askRequester(aRequest({ status: 'received' }), policy, contextOn(day('2025-03-04'))),
    ).toThrow(IllegalTransition);
    expect(() => resumeRequest(aRequest(), policy, contextOn(day('2025-03-04')))).toThrow(
      NotAwaitingRequester,
    );
  });
});
