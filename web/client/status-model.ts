/**
 * What the status page computes from `GET /v1/requests/{id}`, as browser
 * JavaScript (ES2022) in a string: the page inlines this exact text, and
 * test/unit/web evaluates the same text, so what is tested is what ships.
 *
 * Pure: no DOM, and no clock. "Today" is the API's (it answers `daysLeft`
 * counted in the policy's time zone on the server), so a phone with a wrong
 * date cannot shift the countdown.
 */

import { scriptValue } from '../html';
import {
  CLOCK_PROMISE_TEXT,
  CLOSED_STATUSES,
  REQUEST_TYPE_TEXT,
  STATUS_TEXT,
  TIMELINE_TEXT,
  UNIT_TEXT,
} from '../labels';

/** The functions the text declares, for tests and for the page script that uses them. */
export const STATUS_MODEL_FUNCTIONS = [
  'plainDateInZone',
  'daysBetween',
  'formatInstant',
  'clockStartDate',
  'countdownView',
  'timelineView',
  'statusView',
  'clockPromise',
  'requestTypeLabel',
] as const;

export const STATUS_MODEL_JS = `const CLOSED_STATUSES = ${scriptValue(CLOSED_STATUSES)};
const STATUS_TEXT = ${scriptValue(STATUS_TEXT)};
const TIMELINE_TEXT = ${scriptValue(TIMELINE_TEXT)};
const REQUEST_TYPE_TEXT = ${scriptValue(REQUEST_TYPE_TEXT)};
const CLOCK_PROMISE_TEXT = ${scriptValue(CLOCK_PROMISE_TEXT)};
const UNIT_TEXT = ${scriptValue(UNIT_TEXT)};
/** The parts of an instant as read on a wall clock in timeZone. */
function zonedParts(instant, timeZone) {
  const formatter = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const parts = {};
  for (const part of formatter.formatToParts(new Date(instant))) parts[part.type] = part.value;
  return parts;
}

/** The calendar date (YYYY-MM-DD) of an instant in timeZone. */
function plainDateInZone(instant, timeZone) {
  const { year, month, day } = zonedParts(instant, timeZone);
  return year + '-' + month + '-' + day;
}

/** Whole days from one plain date to another (negative when to is earlier). */
function daysBetween(from, to) {
  return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / 86400000);
}

/** "YYYY-MM-DD HH:mm" on the wall clock of timeZone. */
function formatInstant(instant, timeZone) {
  const { year, month, day, hour, minute } = zonedParts(instant, timeZone);
  return year + '-' + month + '-' + day + ' ' + hour + ':' + minute;
}

/** The request's reply promise from its own clock (the same words as clockSummary in web/labels.ts). */
function clockPromise(clock) {
  const template = CLOCK_PROMISE_TEXT[clock.start] ?? CLOCK_PROMISE_TEXT.receipt;
  const unit = UNIT_TEXT[clock.unit] ?? { zh: clock.unit, en: clock.unit, enOne: clock.unit };
  const fill = (text, unitText) => text.replace('{length}', String(clock.length)).replace('{unit}', unitText);
  return { zh: fill(template.zh, unit.zh), en: fill(template.en, clock.length === 1 ? unit.enOne : unit.en) };
}

/** What was asked for; an emailed request may wait for an agent to name its type. */
function requestTypeLabel(type) {
  const known = type ? REQUEST_TYPE_TEXT[type] : undefined;
  return known ? known.label : { zh: '待确认', en: 'To be confirmed' };
}

/** The day the reply clock counts from: the day of receipt, or of verification when the policy says so. */
function clockStartDate(request) {
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
function countdownView(request) {
  const clock = request.clock;
  if (clock.dueDate === null || clock.dueDate === undefined) {
    // Verified by code but still pending: an agent checks the authority of someone acting for another.
    const codeEntered = request.timeline.some((entry) => entry.event === 'identity-verified');
    return { state: 'pending', waitingFor: codeEntered ? 'agent-review' : 'code' };
  }
  const startDate = clockStartDate(request);
  const totalDays = Math.max(daysBetween(startDate, clock.dueDate), 1);
  const daysLeft = clock.daysLeft;
  const elapsedDays = Math.min(Math.max(totalDays - daysLeft, 0), totalDays);
  let state = 'running';
  if (CLOSED_STATUSES.includes(request.status)) state = 'closed';
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
function timelineView(request) {
  const timeZone = request.policy.timeZone;
  return request.timeline
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => Date.parse(a.entry.at) - Date.parse(b.entry.at) || a.index - b.index)
    .map(({ entry }) => {
      const known = TIMELINE_TEXT[entry.event];
      const title = known ?? { zh: entry.event, en: entry.event };
      const status = entry.event === 'status-changed' && entry.to ? STATUS_TEXT[entry.to] : undefined;
      return {
        at: entry.at,
        when: formatInstant(entry.at, timeZone),
        event: entry.event,
        title: status ? { zh: '状态：' + status.zh, en: 'Status: ' + status.en } : title,
      };
    });
}

/**
 * The status badge, whether the page should ask for the code, and a note
 * where the status alone would mislead: an email verified while an agent
 * still reviews the requester's authority stays "pending verification".
 */
function statusView(request) {
  const text = STATUS_TEXT[request.status] ?? { zh: request.status, en: request.status, tone: 'working' };
  const verified = request.timeline.some((entry) => entry.event === 'identity-verified');
  let note;
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
  return { label: { zh: text.zh, en: text.en }, tone: text.tone, note, needsCode: request.status === 'pending-verification' && !verified };
}
`;
