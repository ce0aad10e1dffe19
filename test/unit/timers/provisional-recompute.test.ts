import { describe, expect, it } from 'vitest';
import { calendarSet, checkNotice, PACKAGED_CALENDARS, type PlainDate } from '../../../domain/clock';
import { computeDeadline } from '../../../domain/deadline';
import { getPolicy } from '../../../domain/policy/registry';
import type { RequestRecord } from '../../../domain/request-record';
import {
  deadlineFromFacts,
  needsRecompute,
  planProvisionalRecompute,
} from '../../../domain/timers/provisional-recompute';
import notice2027 from '../../fixtures/calendars/cn-state-council-2027.test-fixture.json';

const sufe = getPolicy('sufe');
const qianxin = getPolicy('qianxin');
/** The packaged calendars with the invented 2027 notice (test fixture) imported. */
const WITH_2027 = calendarSet([checkNotice(notice2027).notice]);
const NOW = new Date('2026-11-20T02:00:00Z');

/** A stored open request, its deadline computed on the packaged calendars (2027 not yet official). */
function storedRequest(policyId: string, facts: Partial<RequestRecord> = {}): RequestRecord {
  const policy = getPolicy(policyId);
  const receivedAt = facts.receivedAt ?? '2026-12-04T02:00:00Z'; // 10:00 in Shanghai
  const base = {
    requestId: 'dsr-recompute-1',
    policyId,
    type: 'correction' as const,
    needsTriage: false,
    channel: 'web' as const,
    status: 'verified' as const,
    requester: { role: 'self' as const },
    identifiers: [
      {
        kind: 'email' as const,
        value: 'li.lei@example.com',
        key: 'k',
        masked: 'l***@example.com',
        verified: true,
      },
    ],
    subjectKey: 'k',
    locale: 'zh-CN' as const,
    receivedAt,
    statusTokenHash: 'h',
    pausedUnits: 0,
    extended: false,
    dueSortKey: 'x',
    lastSeq: 3,
    lastHash: 'x',
    version: 4,
    ...facts,
  };
  const deadline = deadlineFromFacts(policy, { ...base, deadline: undefined as never }, PACKAGED_CALENDARS);
  return { ...base, deadline };
}

describe('recomputing a provisional deadline once its year is official', () => {
  it('gives a sufe request received on 4 December 2026 the official date once the 2027 notice is imported', () => {
    const record = storedRequest('sufe');
    // On the baseline, the late-December weekends next year's notice might make workdays count as worked.
    expect(record.deadline).toMatchObject({
      dueDate: '2026-12-29',
      provisional: true,
      provisionalYears: [2027],
    });

    const plan = planProvisionalRecompute({ policy: sufe, record, calendars: WITH_2027, now: NOW });

    expect(plan?.next.deadline.dueDate).toBe('2027-01-05');
    expect(plan?.next.deadline).not.toHaveProperty('provisional');
    expect(plan?.next.deadline).not.toHaveProperty('provisionalYears');
    expect(plan?.next.deadline).toEqual(
      computeDeadline({ policy: sufe, receivedOn: '2026-12-04' as PlainDate, calendars: WITH_2027 }),
    );
    expect(plan?.dueDateMoved).toBe(true);
    expect(plan?.event).toEqual({
      type: 'deadline-recomputed',
      actor: { kind: 'system', id: 'SweepRequests' },
      at: NOW.toISOString(),
      details: {
        reason: 'official-calendar-imported',
        dueDateBefore: '2026-12-29',
        dueDate: '2027-01-05',
        provisionalYearsBefore: [2027],
        provisionalYears: [],
        sources: [
          {
            calendar: 'cn-state-council',
            year: 2027,
            documentNumber: '测试〔2026〕0号 TEST FIXTURE',
            title: notice2027.source.title,
          },
        ],
        requesterToBeTold: true,
      },
    });
  });

  it('changes nothing but the deadline on the record', () => {
    const record = storedRequest('sufe');
    const plan = planProvisionalRecompute({ policy: sufe, record, calendars: WITH_2027, now: NOW });
    const { deadline: _after, ...rest } = plan!.next;
    const { deadline: _before, ...unchanged } = record;
    expect(rest).toEqual(unchanged);
  });

  it('leaves a request whose dates never touch the missing year alone', () => {
    const record = storedRequest('sufe', { receivedAt: '2026-09-01T02:00:00Z' });
    expect(record.deadline.provisional).toBeUndefined();
    expect(needsRecompute(sufe, record, WITH_2027)).toBe(false);
    expect(
      planProvisionalRecompute({ policy: sufe, record, calendars: WITH_2027, now: NOW }),
    ).toBeUndefined();
  });

  it('leaves a provisional deadline alone while its year is still without a notice', () => {
    const record = storedRequest('sufe');
    expect(needsRecompute(sufe, record, PACKAGED_CALENDARS)).toBe(false);
    expect(
      planProvisionalRecompute({ policy: sufe, record, calendars: PACKAGED_CALENDARS, now: NOW }),
    ).toBeUndefined();
  });

  it('does nothing the second time: the recomputed deadline is no longer provisional', () => {
    const record = storedRequest('sufe');
    const plan = planProvisionalRecompute({ policy: sufe, record, calendars: WITH_2027, now: NOW })!;
    expect(
      planProvisionalRecompute({ policy: sufe, record: plan.next, calendars: WITH_2027, now: NOW }),
    ).toBe(undefined);
  });

  it('keeps the paused units of a paused request: the same pause moves the official date by as many working days', () => {
    const record = storedRequest('sufe', {
      status: 'awaiting-requester',
      resumeTo: 'verified',
      pausedSince: '2026-12-10' as PlainDate,
      pausedUnits: 3,
    });
    expect(record.deadline.provisionalYears).toEqual([2027]);

    const plan = planProvisionalRecompute({ policy: sufe, record, calendars: WITH_2027, now: NOW })!;

    // 2027-01-05 is the 20th working day on the official calendar; three more give 8 January.
    expect(plan.next.deadline.dueDate).toBe('2027-01-08');
    expect(plan.next.deadline).toEqual(
      computeDeadline({
        policy: sufe,
        receivedOn: '2026-12-04' as PlainDate,
        pausedUnits: 3,
        calendars: WITH_2027,
      }),
    );
    expect(plan.next).toMatchObject({
      pausedUnits: 3,
      pausedSince: '2026-12-10',
      status: 'awaiting-requester',
    });
  });

  it("keeps an extension's notice day, so the recomputed deadline still reports the notice deadline it met", () => {
    const record = storedRequest('qianxin', {
      status: 'extended',
      extended: true,
      postponedOn: '2026-12-15' as PlainDate,
      extensionReason: 'complicated',
    });
    expect(record.deadline.provisional).toBe(true);

    const plan = planProvisionalRecompute({ policy: qianxin, record, calendars: WITH_2027, now: NOW })!;

    expect(plan.next.deadline).toEqual(
      computeDeadline({
        policy: qianxin,
        receivedOn: '2026-12-04' as PlainDate,
        postponedOn: '2026-12-15' as PlainDate,
        calendars: WITH_2027,
      }),
    );
    expect(plan.next.deadline.extension).toBeDefined();
    expect(plan.next).toMatchObject({ postponedOn: '2026-12-15', extended: true });
    expect(plan.next.deadline.provisional).toBeUndefined();
  });

  it('compares deadlines whatever the order of their keys, as read back from the table', () => {
    const record = storedRequest('sufe');
    const plan = planProvisionalRecompute({ policy: sufe, record, calendars: WITH_2027, now: NOW })!;
    // Still provisional on the stored copy (as if it had been written with the flag) but the same dates.
    const reordered = Object.fromEntries(Object.entries(plan.next.deadline).reverse());
    const stale = {
      ...plan.next,
      deadline: { ...reordered, provisional: true, provisionalYears: [2027] },
    } as RequestRecord;
    const again = planProvisionalRecompute({ policy: sufe, record: stale, calendars: WITH_2027, now: NOW });
    expect(again?.dueDateMoved).toBe(false);
    expect(again?.event.details).toMatchObject({ requesterToBeTold: false, provisionalYears: [] });
  });
});
