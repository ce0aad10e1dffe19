import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysBetween, type PlainDate, plainDateInZone } from '../../../domain/clock';
import { listPolicies } from '../../../domain/policy/registry';
import * as model from '../../../web/client/status-model';
import { clockSummary, STATUS_TEXT } from '../../../web/labels';

interface TimelineEntry {
  at: string;
  event: string;
  to?: string;
}

/** The shape GET /v1/requests/{id} answers (app/intake/request-status.ts). */
interface StatusResponse {
  requestId: string;
  type: string | null;
  status: string;
  policy: { id: string; name: string; timeZone: string };
  receivedAt: string;
  clock: {
    start: 'receipt' | 'verification';
    unit: 'calendar-days' | 'working-days' | 'months';
    length: number;
    dueDate: string | null;
    pendingOn?: 'verification';
    daysLeft?: number;
    workingDaysLeft?: number;
    provisional?: boolean;
    provisionalYears?: number[];
    overdue?: boolean;
  };
  timeline: TimelineEntry[];
}

/** A verified request under a 15-calendar-day policy in Shanghai, received 24 November 2026; override per test. */
function aStatus(
  overrides: Partial<Omit<StatusResponse, 'clock'>> & { clock?: Partial<StatusResponse['clock']> } = {},
): StatusResponse {
  const { clock, ...rest } = overrides;
  return {
    requestId: 'dsr-1',
    type: 'access',
    status: 'verified',
    policy: { id: 'pipl-default', name: 'PIPL', timeZone: 'Asia/Shanghai' },
    receivedAt: '2026-11-24T06:46:01.437Z',
    timeline: [
      { at: '2026-11-24T06:46:01.437Z', event: 'request-received' },
      { at: '2026-11-24T06:46:01.437Z', event: 'status-changed', to: 'pending-verification' },
      { at: '2026-11-24T06:50:00.000Z', event: 'identity-verified' },
      { at: '2026-11-24T06:50:00.000Z', event: 'status-changed', to: 'verified' },
    ],
    ...rest,
    clock: {
      start: 'receipt',
      unit: 'calendar-days',
      length: 15,
      dueDate: '2026-12-09',
      daysLeft: 10,
      overdue: false,
      ...clock,
    },
  };
}

const TIME_ZONES = [...new Set(listPolicies().map((policy) => policy.timeZone))];
const instants = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2099-12-31T23:59:59Z'),
  noInvalidDate: true,
});
const plainDates = instants.map((date) => date.toISOString().slice(0, 10) as PlainDate);

describe('the status page model', () => {
  it('reads the date of an instant in a time zone exactly as the deadline engine does', () => {
    fc.assert(
      fc.property(instants, fc.constantFrom(...TIME_ZONES), (instant, timeZone) => {
        expect(model.plainDateInZone(instant.toISOString(), timeZone)).toBe(
          plainDateInZone(instant, timeZone),
        );
      }),
    );
  });

  it('counts the days between two dates exactly as the deadline engine does', () => {
    fc.assert(
      fc.property(plainDates, plainDates, (from, to) => {
        expect(model.daysBetween(from, to)).toBe(daysBetween(from, to));
      }),
    );
  });

  it('shows a time on the wall clock of the policy, not of the browser', () => {
    expect(model.formatInstant('2026-11-24T16:30:00Z', 'Asia/Shanghai')).toBe('2026-11-25 00:30');
    expect(model.formatInstant('2026-11-24T16:30:00Z', 'America/Los_Angeles')).toBe('2026-11-24 08:30');
  });

  it('says the clock starts on verification while there is no due date yet', () => {
    const view = model.countdownView(
      aStatus({
        status: 'pending-verification',
        clock: { start: 'verification', dueDate: null, pendingOn: 'verification', daysLeft: undefined },
        timeline: [],
      }),
    );
    expect(view).toEqual({ state: 'pending', waitingFor: 'code' });
  });

  it('says the clock waits for an agent once the code is entered but the request still needs review', () => {
    const view = model.countdownView(
      aStatus({
        status: 'pending-verification',
        clock: { start: 'verification', dueDate: null, pendingOn: 'verification', daysLeft: undefined },
        timeline: [{ at: '2026-11-24T06:50:00Z', event: 'identity-verified' }],
      }),
    );
    expect(view).toEqual({ state: 'pending', waitingFor: 'agent-review' });
  });

  it('measures the progress bar from the day of receipt to the due date', () => {
    expect(model.countdownView(aStatus())).toEqual({
      state: 'running',
      startDate: '2026-11-24',
      dueDate: '2026-12-09',
      daysLeft: 10,
      daysOverdue: 0,
      workingDaysLeft: undefined,
      elapsedDays: 5,
      totalDays: 15,
    });
  });

  it('starts the bar on the day of verification, in the policy time zone, when the clock starts there', () => {
    const request = aStatus({
      receivedAt: '2026-11-20T01:00:00Z',
      clock: { start: 'verification', dueDate: '2026-12-10', daysLeft: 15 },
      // 17:00 UTC is already the next day in Shanghai.
      timeline: [{ at: '2026-11-24T17:00:00Z', event: 'identity-verified' }],
    });
    expect(model.clockStartDate(request)).toBe('2026-11-25');
    expect(model.countdownView(request)).toMatchObject({
      startDate: '2026-11-25',
      totalDays: 15,
      elapsedDays: 0,
    });
  });

  it('carries the provisional years of a due date counted on a year without an official calendar', () => {
    const provisional = aStatus({ clock: { provisional: true, provisionalYears: [2027] } });
    expect(model.countdownView(provisional).provisionalYears).toEqual([2027]);
    expect(model.countdownView(aStatus())).not.toHaveProperty('provisionalYears');
  });

  it('shows working days left only when the policy counts working days', () => {
    const calendarDays = aStatus({ clock: { workingDaysLeft: 7 } });
    const workingDays = aStatus({ clock: { unit: 'working-days', workingDaysLeft: 7 } });
    expect(model.countdownView(calendarDays).workingDaysLeft).toBeUndefined();
    expect(model.countdownView(workingDays).workingDaysLeft).toBe(7);
  });

  it.each([
    {
      case: 'on the due date',
      clock: { daysLeft: 0, overdue: false },
      status: 'in-progress',
      state: 'due-today',
    },
    {
      case: 'after the due date',
      clock: { daysLeft: -3, overdue: true },
      status: 'in-progress',
      state: 'overdue',
    },
    {
      case: 'once completed, even late',
      clock: { daysLeft: -3, overdue: true },
      status: 'fulfilled',
      state: 'closed',
    },
    { case: 'once refused', clock: { daysLeft: 4, overdue: false }, status: 'refused', state: 'closed' },
    {
      case: 'while partly completed',
      clock: { daysLeft: 4, overdue: false },
      status: 'partially-fulfilled',
      state: 'closed',
    },
  ])('puts the countdown in state $state $case', ({ clock, status, state }) => {
    expect(model.countdownView(aStatus({ status, clock })).state).toBe(state);
  });

  it('counts the days overdue and keeps the bar full once the due date has passed', () => {
    const view = model.countdownView(
      aStatus({ status: 'in-progress', clock: { daysLeft: -3, overdue: true } }),
    );
    expect(view).toMatchObject({ daysOverdue: 3, elapsedDays: 15, totalDays: 15 });
  });

  it('lists the timeline oldest first with both languages and the new status spelled out', () => {
    const request = aStatus({
      timeline: [
        { at: '2026-11-24T06:50:00.000Z', event: 'status-changed', to: 'verified' },
        { at: '2026-11-24T06:46:01.437Z', event: 'request-received' },
        { at: '2026-11-24T06:46:01.437Z', event: 'verification-code-sent' },
      ],
    });
    expect(model.timelineView(request)).toEqual([
      {
        at: '2026-11-24T06:46:01.437Z',
        when: '2026-11-24 14:46',
        event: 'request-received',
        title: { zh: '收到请求', en: 'Request received' },
      },
      {
        at: '2026-11-24T06:46:01.437Z',
        when: '2026-11-24 14:46',
        event: 'verification-code-sent',
        title: { zh: '已发送验证码', en: 'Verification code sent' },
      },
      {
        at: '2026-11-24T06:50:00.000Z',
        when: '2026-11-24 14:50',
        event: 'status-changed',
        title: { zh: `状态：${STATUS_TEXT.verified.zh}`, en: `Status: ${STATUS_TEXT.verified.en}` },
      },
    ]);
  });

  it('names an event it has no words for by its id rather than dropping it', () => {
    const [entry] = model.timelineView(
      aStatus({ timeline: [{ at: '2026-11-24T06:46:01Z', event: 'future-event' }] }),
    );
    expect(entry?.title).toEqual({ zh: 'future-event', en: 'future-event' });
  });

  it('asks for the code while the email is not yet verified', () => {
    const view = model.statusView(aStatus({ status: 'pending-verification', timeline: [] }));
    expect(view).toMatchObject({
      tone: 'waiting',
      needsCode: true,
      label: { en: 'Waiting for verification' },
    });
    // The code step itself says what to do; a note would repeat it.
    expect(view.note).toBeUndefined();
  });

  it('explains that an agent reviews an acting-for request once the email is verified', () => {
    const view = model.statusView(
      aStatus({
        status: 'pending-verification',
        timeline: [{ at: '2026-11-24T06:50:00Z', event: 'identity-verified' }],
      }),
    );
    expect(view.needsCode).toBe(false);
    expect(view.note?.en).toMatch(/agent is now reviewing your authority/);
  });

  it('words every policy clock the same way as the form does', () => {
    for (const policy of listPolicies()) {
      expect(model.clockPromise({ ...policy.clock, dueDate: null })).toEqual(clockSummary(policy));
    }
  });

  it('names a request still waiting for triage as "to be confirmed"', () => {
    expect(model.requestTypeLabel(null)).toEqual({ zh: '待确认', en: 'To be confirmed' });
    expect(model.requestTypeLabel('deletion')).toEqual({ zh: '删除', en: 'Delete' });
  });
});
