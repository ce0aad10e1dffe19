/**
 * What the status page computes from `GET /v1/requests/{id}`: the status page
 * and the console bundle this module, and test/unit/web imports it, so what is
 * tested is what ships.
 *
 * Pure: no DOM, and no clock. "Today" is the API's (it answers `daysLeft`
 * counted in the policy's time zone on the server), so a phone with a wrong
 * date cannot shift the countdown.
 */
import type { Bilingual, StatusTone } from '../labels';
import { lookup } from './lookup';
import {
  CLOCK_PROMISE_TEXT,
  CLOSED_STATUSES,
  REQUEST_TYPE_TEXT,
  STATUS_TEXT,
  TIMELINE_TEXT,
  UNIT_TEXT,
} from './server-facts';

/** A request's clock as the status API answers it (app/intake/request-status.ts). */
export interface StatusClock {
  start: string;
  unit: string;
  length: number;
  dueDate: string | null;
  pendingOn?: string;
  daysLeft?: number;
  workingDaysLeft?: number;
  provisional?: boolean;
  provisionalYears?: number[];
  overdue?: boolean;
}

export interface StatusTimelineEntry {
  at: string;
  event: string;
  to?: string;
}

/** GET /v1/requests/{id}: the request as its requester sees it. */
export interface StatusRequest {
  requestId: string;
  type: string | null;
  status: string;
  policy: { id: string; name: string; timeZone: string };
  receivedAt: string;
  clock: StatusClock;
  timeline: StatusTimelineEntry[];
}

export type CountdownView =
  | {
      state: 'pending';
      waitingFor: 'code' | 'agent-review';
      startDate?: undefined;
      dueDate?: undefined;
      provisionalYears?: undefined;
      daysLeft?: undefined;
      daysOverdue?: undefined;
      workingDaysLeft?: undefined;
      elapsedDays?: undefined;
      totalDays?: undefined;
    }
  | {
      state: 'running' | 'due-today' | 'overdue' | 'closed';
      startDate: string;
      dueDate: string;
      provisionalYears?: number[];
      daysLeft: number;
      daysOverdue: number;
      workingDaysLeft: number | undefined;
      elapsedDays: number;
      totalDays: number;
    };

/** The parts of an instant as read on a wall clock in timeZone. */
function zonedParts(instant: string, timeZone: string): Record<string, string> {
  const formatter = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(new Date(instant))) parts[part.type] = part.value;
  return parts;
}

/** The calendar date (YYYY-MM-DD) of an instant in timeZone. */
export function plainDateInZone(instant: string, timeZone: string): string {
  const { year, month, day } = zonedParts(instant, timeZone);
  return `${year}-${month}-${day}`;
}

/** Whole days from one plain date to another (negative when to is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400000);
}

/** "YYYY-MM-DD HH:mm" on the wall clock of timeZone. */
export function formatInstant(instant: string, timeZone: string): string {
  const { year, month, day, hour, minute } = zonedParts(instant, timeZone);
  return `${year}-${month}-${day} ${hour}:${minute}`;
}

/** The request's reply promise from its own clock (the same words as clockSummary in web/labels.ts). */
export function clockPromise(
  clock: Pick<StatusClock, 'start' | 'unit' | 'length'> & Partial<StatusClock>,
): Bilingual {
  const template = lookup(CLOCK_PROMISE_TEXT, clock.start) ?? CLOCK_PROMISE_TEXT.receipt;
  const unit = lookup(UNIT_TEXT, clock.unit) ?? { zh: clock.unit, en: clock.unit, enOne: clock.unit };
  const fill = (text: string, unitText: string) =>
    text.replace('{length}', String(clock.length)).replace('{unit}', unitText);
  return { zh: fill(template.zh, unit.zh), en: fill(template.en, clock.length === 1 ? unit.enOne : unit.en) };
}

/** What was asked for; an emailed request may wait for an agent to name its type. */
export function requestTypeLabel(type: string | null | undefined): Bilingual {
  const known = lookup(REQUEST_TYPE_TEXT, type);
  return known ? known.label : { zh: '待确认', en: 'To be confirmed' };
}

/** The day the reply clock counts from: the day of receipt, or of verification when the policy says so. */
export function clockStartDate(request: StatusRequest): string {
  const timeZone = request.policy.timeZone;
  if (request.clock.start === 'verification') {
    const verified = request.timeline.find((entry) => entry.event === 'identity-verified');
    if (verified) return plainDateInZone(verified.at, timeZone);
  }
  return plainDateInZone(request.receivedAt, timeZone);
}

/**
 * The countdown: state (pending until the clock starts, running, due-today,
 * overdue, or closed once the request is finished), days left, working days
 * left on working-day clocks, and how far along the period is.
 */
export function countdownView(request: StatusRequest): CountdownView {
  const clock = request.clock;
  if (clock.dueDate === null || clock.dueDate === undefined) {
    // Verified by code but still pending: an agent checks the authority of someone acting for another.
    const codeEntered = request.timeline.some((entry) => entry.event === 'identity-verified');
    return { state: 'pending', waitingFor: codeEntered ? 'agent-review' : 'code' };
  }
  const startDate = clockStartDate(request);
  const totalDays = Math.max(daysBetween(startDate, clock.dueDate), 1);
  // The API answers daysLeft with every started clock.
  const daysLeft = clock.daysLeft as number;
  const elapsedDays = Math.min(Math.max(totalDays - daysLeft, 0), totalDays);
  let state: 'running' | 'due-today' | 'overdue' | 'closed' = 'running';
  if ((CLOSED_STATUSES as readonly string[]).includes(request.status)) state = 'closed';
  else if (clock.overdue) state = 'overdue';
  else if (daysLeft === 0) state = 'due-today';
  return {
    state,
    startDate,
    dueDate: clock.dueDate,
    ...(clock.provisional === true ? { provisionalYears: clock.provisionalYears || [] } : {}),
    daysLeft,
    daysOverdue: clock.overdue ? -daysLeft : 0,
    workingDaysLeft: clock.unit === 'working-days' ? clock.workingDaysLeft : undefined,
    elapsedDays,
    totalDays,
  };
}

/** The timeline, oldest first, with times on the policy's wall clock and words in both languages. */
export function timelineView(
  request: StatusRequest,
): { at: string; when: string; event: string; title: Bilingual }[] {
  const timeZone = request.policy.timeZone;
  return request.timeline
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => Date.parse(a.entry.at) - Date.parse(b.entry.at) || a.index - b.index)
    .map(({ entry }) => {
      const known = lookup(TIMELINE_TEXT, entry.event);
      const title = known ?? { zh: entry.event, en: entry.event };
      const status = entry.event === 'status-changed' && entry.to ? lookup(STATUS_TEXT, entry.to) : undefined;
      return {
        at: entry.at,
        when: formatInstant(entry.at, timeZone),
        event: entry.event,
        title: status ? { zh: `状态：${status.zh}`, en: `Status: ${status.en}` } : title,
      };
    });
}

/**
 * The status badge, whether the page should ask for the code, and a note
 * where the status alone would mislead: an email verified while an agent
 * still reviews the requester's authority stays "pending verification".
 */
export function statusView(request: StatusRequest): {
  label: Bilingual;
  tone: StatusTone;
  note: Bilingual | undefined;
  needsCode: boolean;
} {
  const text = lookup(STATUS_TEXT, request.status) ?? {
    zh: request.status,
    en: request.status,
    tone: 'working' as const,
  };
  const verified = request.timeline.some((entry) => entry.event === 'identity-verified');
  let note: Bilingual | undefined;
  if (request.status === 'pending-verification' && verified) {
    note = {
      zh: '您的邮箱已核实。工作人员正在审核您代他人提出请求的授权。',
      en: 'Your email is verified. An agent is now reviewing your authority to act for the person.',
    };
  } else if (request.status === 'awaiting-requester') {
    note = {
      zh: '我们在等待您提供更多信息，请查看我们的邮件。',
      en: 'We are waiting for more information from you; please check our email.',
    };
  }
  return {
    label: { zh: text.zh, en: text.en },
    tone: text.tone,
    note,
    needsCode: request.status === 'pending-verification' && !verified,
  };
}
