/**
 * What the console page (`GET /console`) computes from the console API, as
 * browser JavaScript (ES2022) in a string: the page inlines this exact text,
 * and test/unit/web evaluates the same text, so what is tested is what ships.
 *
 * Pure: no DOM, no network, no clock ("now" comes in as an argument; "today"
 * is the API's, which counts days left in each policy's zone). Needs
 * STATUS_MODEL_JS before it (formatInstant, TIMELINE_TEXT, CLOSED_STATUSES).
 *
 * The token's payload is decoded for display only: the API checks the token
 * and the role matrix on every call, so a forged payload shows buttons that
 * then fail with 403, never more.
 */

import { CONSOLE_AUTHORISATION, CONSOLE_PRIVILEGES, CONSOLE_ROLES } from '../../definitions/console-roles';
import { AGENT_ID } from '../../domain/console/case-records';
import { OPEN_STATUSES } from '../../domain/lifecycle';
import { DISCLOSING_TYPES } from '../../domain/request';
import { scriptValue } from '../html';
import { ACTOR_TEXT, CHANNEL_TEXT, CONSOLE_STATUS_TEXT, STORE_RESULT_TEXT } from '../labels';

/** The functions the text declares, for tests and for the page script that uses them. */
export const CONSOLE_MODEL_FUNCTIONS = [
  'decodeJwtPayload',
  'sessionView',
  'roleMayCall',
  'roleHasPrivilege',
  'queuePath',
  'mergeQueueRows',
  'dueChip',
  'consoleStatusView',
  'channelLabel',
  'detailAsStatus',
  'consoleTimelineView',
  'storeResultsView',
  'detailActions',
  'storeWorkActions',
  'manualTaskBody',
  'reportView',
  'reportFileName',
  'consoleProblem',
  'provisionalDueText',
  'calendarBanners',
  'calendarYearsView',
  'noticeFromText',
  'noticeImportPath',
  'importSummaryText',
] as const;

/** The list filters the page offers, each a query parameter of GET /v1/console/requests. */
export const QUEUE_FILTERS = [
  'status',
  'type',
  'policy',
  'channel',
  'dueBefore',
  'overdue',
  'needsTriage',
  'manualTasks',
  'assignee',
] as const;

/** Days left at or below which a due date is shown amber: time to act, not yet late. */
export const DUE_SOON_DAYS = 3;

export const CONSOLE_MODEL_JS = `const CONSOLE_ROLES = ${scriptValue(CONSOLE_ROLES)};
const CONSOLE_AUTHORISATION = ${scriptValue(CONSOLE_AUTHORISATION)};
const CONSOLE_PRIVILEGES = ${scriptValue(CONSOLE_PRIVILEGES)};
const CONSOLE_AGENT_ID = new RegExp(${scriptValue(AGENT_ID.source)});
const OPEN_STATUSES = ${scriptValue(OPEN_STATUSES)};
const CONSOLE_STATUS_TEXT = ${scriptValue(CONSOLE_STATUS_TEXT)};
const CHANNEL_TEXT = ${scriptValue(CHANNEL_TEXT)};
const ACTOR_TEXT = ${scriptValue(ACTOR_TEXT)};
const STORE_RESULT_TEXT = ${scriptValue(STORE_RESULT_TEXT)};
const QUEUE_FILTERS = ${scriptValue(QUEUE_FILTERS)};
const DISCLOSING_TYPES = ${scriptValue(DISCLOSING_TYPES)};
const DUE_SOON_DAYS = ${DUE_SOON_DAYS};
const CONSOLE_LIST_PATH = '/v1/console/requests';
${String.raw`
/**
 * The payload of a compact JWT, or null when the text is not one. Decoded by
 * hand (base64url, then UTF-8) because atob and TextDecoder are browser
 * extras the tests' bare JavaScript context does not have.
 */
function decodeJwtPayload(token) {
  const parts = String(token).trim().split('.');
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]+$/.test(parts[1])) return null;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let bits = 0;
  let value = 0;
  let escaped = '';
  for (const character of parts[1]) {
    value = (value << 6) | alphabet.indexOf(character);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      escaped += '%' + ((value >> bits) & 0xff).toString(16).padStart(2, '0');
    }
  }
  try {
    const payload = JSON.parse(decodeURIComponent(escaped));
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? payload : null;
  } catch {
    return null;
  }
}

/** A list claim as an array, in every shape an issuer sends it: an array, "[a b]" or "a,b". */
function claimList(value) {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value.trim().replace(/^\[(.*)\]$/s, '$1').split(/[\s,]+/).filter(Boolean);
}

/**
 * Who the token says is signed in, read the way the API reads it
 * (adapters/lambda/console-caller.ts): the user name, else the Cognito user name,
 * else the subject; the console roles among the groups and roles claims.
 * nowSeconds is the page's clock, used only to say the token has expired.
 */
function sessionView(token, nowSeconds) {
  const payload = decodeJwtPayload(token);
  if (!payload) return { valid: false };
  const user = [payload.username, payload['cognito:username'], payload.sub].find(
    (candidate) => typeof candidate === 'string' && CONSOLE_AGENT_ID.test(candidate),
  );
  const named = new Set([...claimList(payload['cognito:groups']), ...claimList(payload.roles)]);
  const roles = CONSOLE_ROLES.filter((role) => named.has(role));
  const expiresAt = typeof payload.exp === 'number' ? new Date(payload.exp * 1000).toISOString() : null;
  return {
    valid: user !== undefined,
    user: user ?? null,
    roles,
    expiresAt,
    expired: typeof payload.exp === 'number' && payload.exp <= nowSeconds,
  };
}

/** Whether one of roles may call the route, by the API's own matrix (definitions/console-roles.ts). */
function roleMayCall(routeKey, roles) {
  const row = CONSOLE_AUTHORISATION[routeKey];
  return row !== undefined && roles.some((role) => row[role] === true);
}

function roleHasPrivilege(privilege, roles) {
  const holders = CONSOLE_PRIVILEGES[privilege] ?? [];
  return roles.some((role) => holders.includes(role));
}

/** The list's address for the filters set (empty ones left out) and, for a further page, the cursor. */
function queuePath(filters, cursor) {
  const params = [];
  for (const name of QUEUE_FILTERS) {
    const value = filters[name];
    if (value !== undefined && value !== null && String(value).trim() !== '') params.push([name, String(value).trim()]);
  }
  if (cursor) params.push(['cursor', cursor]);
  const query = params.map(([name, value]) => name + '=' + encodeURIComponent(value)).join('&');
  return query === '' ? CONSOLE_LIST_PATH : CONSOLE_LIST_PATH + '?' + query;
}

/**
 * The rows shown after another page arrives: each request once (its latest
 * row), earliest due date first, requests whose clock has not started last,
 * the request id breaking ties as the API's index does.
 */
function mergeQueueRows(shown, page) {
  const byId = new Map();
  for (const row of [...shown, ...page]) byId.set(row.requestId, row);
  // Code-unit order, as DynamoDB sorts the index's keys ('~' after every date), not the locale's.
  const key = (row) => (row.dueDate === null || row.dueDate === undefined ? '~' : row.dueDate) + '#' + row.requestId;
  return [...byId.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function plural(count, one, many) {
  return count === 1 ? one : many;
}

/**
 * A row's due-date chip: red once overdue, amber when due within
 * DUE_SOON_DAYS, plain otherwise; grey while the clock stands still or has
 * not started, and once the request is closed. Working days left are added
 * for policies whose clock counts working days (unit from the page's policy list).
 */
function dueChip(row, clockUnit) {
  if (row.dueDate === null || row.dueDate === undefined) {
    return { tone: 'pending', text: { zh: '尚未开始计时', en: 'Clock not started' } };
  }
  const daysLeft = row.daysLeft;
  const due = { zh: '期限 ' + row.dueDate, en: 'due ' + row.dueDate };
  let chip;
  if (CLOSED_STATUSES.includes(row.status)) {
    chip = { tone: 'closed', text: { zh: '已结束，' + due.zh, en: 'Closed, ' + due.en } };
  } else if (row.paused) {
    chip = {
      tone: 'paused',
      text: { zh: '计时暂停，剩 ' + daysLeft + ' 天', en: 'Clock stopped, ' + daysLeft + ' ' + plural(daysLeft, 'day', 'days') + ' left' },
    };
  } else if (row.overdue) {
    const late = -daysLeft;
    chip = { tone: 'overdue', text: { zh: '已逾期 ' + late + ' 天', en: late + ' ' + plural(late, 'day', 'days') + ' overdue' } };
  } else if (daysLeft === 0) {
    chip = { tone: 'soon', text: { zh: '今天到期', en: 'Due today' } };
  } else {
    chip = {
      tone: daysLeft <= DUE_SOON_DAYS ? 'soon' : 'ok',
      text: { zh: '剩 ' + daysLeft + ' 天', en: daysLeft + ' ' + plural(daysLeft, 'day', 'days') + ' left' },
    };
  }
  if (clockUnit === 'working-days' && row.workingDaysLeft !== undefined && chip.tone !== 'closed' && !row.overdue) {
    const working = row.workingDaysLeft;
    chip.working = { zh: working + ' 个工作日', en: working + ' working ' + plural(working, 'day', 'days') };
  }
  chip.dueDate = row.dueDate;
  return chip;
}

function consoleStatusView(status) {
  const text = CONSOLE_STATUS_TEXT[status] ?? { zh: status, en: status, tone: 'working' };
  return { label: { zh: text.zh, en: text.en }, tone: text.tone, open: OPEN_STATUSES.includes(status) };
}

function channelLabel(channel) {
  return CHANNEL_TEXT[channel] ?? { zh: channel, en: channel };
}

/**
 * The console detail in the shape of the requester's status answer, so the
 * countdown is computed by the very function the status page uses.
 */
function detailAsStatus(detail) {
  const clock = detail.clock;
  return {
    requestId: detail.requestId,
    type: detail.type,
    status: detail.status,
    policy: detail.policy,
    receivedAt: detail.receivedAt,
    clock: {
      start: clock.start,
      unit: clock.unit,
      length: clock.length,
      dueDate: clock.dueDate,
      ...(clock.daysLeft !== undefined ? { daysLeft: clock.daysLeft } : {}),
      ...(clock.workingDaysLeft !== undefined ? { workingDaysLeft: clock.workingDaysLeft } : {}),
      overdue: clock.overdue,
    },
    timeline: detail.timeline.map((event) => ({
      at: event.at,
      event: event.type,
      ...(event.type === 'status-changed' && event.details ? { to: event.details.to } : {}),
    })),
  };
}

/** What a timeline entry adds to its title, from the event's details (never personal data: the trail holds none). */
function eventNote(event) {
  const details = event.details ?? {};
  switch (event.type) {
    case 'status-changed':
      return details.reason ? { zh: details.reason, en: details.reason } : undefined;
    case 'assigned':
      return { zh: '指派给 ' + details.to, en: 'To ' + details.to };
    case 'deadline-extended':
      return { zh: '新期限 ' + details.dueDate, en: 'New due date ' + details.dueDate };
    case 'note-added':
      return { zh: '第 ' + details.note + ' 条备注', en: 'Note ' + details.note };
    case 'store-processed':
    case 'store-failed':
      return details.storeId ? { zh: details.storeId, en: details.storeId } : undefined;
    default:
      return undefined;
  }
}

/** The audit trail, oldest first, each event with who did it and when on the policy's wall clock. */
function consoleTimelineView(detail) {
  const timeZone = detail.policy.timeZone;
  return detail.timeline
    .map((event, index) => ({ event, index }))
    .sort((a, b) => Date.parse(a.event.at) - Date.parse(b.event.at) || (a.event.seq ?? a.index) - (b.event.seq ?? b.index))
    .map(({ event }) => {
      const to = event.type === 'status-changed' && event.details ? CONSOLE_STATUS_TEXT[event.details.to] : undefined;
      const title = to
        ? { zh: '状态：' + to.zh, en: 'Status: ' + to.en }
        : (TIMELINE_TEXT[event.type] ?? { zh: event.type, en: event.type });
      const kind = ACTOR_TEXT[event.actor.kind] ?? { zh: event.actor.kind, en: event.actor.kind };
      // Agents are named (once, after both words); the requester and the pipeline's own components are enough by kind.
      const actor = event.actor.kind === 'agent' ? { zh: kind.zh, en: kind.en + ' ' + event.actor.id } : kind;
      const note = eventNote(event);
      return { at: event.at, when: formatInstant(event.at, timeZone), type: event.type, title, actor, ...(note ? { note } : {}) };
    });
}

/** Each data store's part of the fulfilment, by store id, with what it did in a few words. */
function storeResultsView(detail) {
  const timeZone = detail.policy.timeZone;
  return Object.entries(detail.storeResults)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([storeId, result]) => {
      const text = STORE_RESULT_TEXT[result.status] ?? { zh: result.status, en: result.status, tone: 'working' };
      let summary;
      if (result.status === 'exported') {
        summary = { zh: result.recordCount + ' 条记录', en: result.recordCount + ' ' + plural(result.recordCount, 'record', 'records') };
      } else if (result.status === 'erased') {
        summary = {
          zh: '删除 ' + result.deleted + '，匿名化 ' + result.anonymised + '，保留 ' + result.retained + '，剩余 ' + result.remaining,
          en: result.deleted + ' deleted, ' + result.anonymised + ' anonymised, ' + result.retained + ' retained, ' + result.remaining + ' remaining',
        };
      } else if (result.status === 'waiting-for-agent') {
        summary = { zh: result.instructions, en: result.instructions };
      } else if (result.status === 'failed') {
        summary = { zh: result.reason, en: result.reason };
      }
      const at = result.at ?? result.since;
      return {
        storeId,
        label: { zh: text.zh, en: text.en },
        tone: text.tone,
        ...(summary ? { summary } : {}),
        ...(at ? { when: formatInstant(at, timeZone) } : {}),
      };
    });
}

/**
 * The action forms to show for this request and this user: what the role
 * matrix allows (the API enforces it again), on a request still open, and,
 * for an extension, where the policy has one not yet taken. policyFacts is
 * the page's { extension: 'none' | 'reason-required' | 'reason-optional' }.
 */
function detailActions(detail, session, policyFacts) {
  const roles = session.roles;
  const open = OPEN_STATUSES.includes(detail.status);
  const route = (path) => 'POST /v1/console/requests/{id}' + path;
  const mayReassign = roleHasPrivilege('reassign', roles);
  const extension = policyFacts?.extension ?? 'none';
  return {
    note: roleMayCall(route('/notes'), roles),
    assignToMe:
      open &&
      roleMayCall(route('/assign'), roles) &&
      session.user !== null &&
      detail.assignee !== session.user &&
      (detail.assignee === null || mayReassign),
    extend: open && roleMayCall(route('/extend'), roles) && extension !== 'none' && detail.clock.extended !== true,
    extensionReasonRequired: extension === 'reason-required',
    refuse: open && roleMayCall(route('/refuse'), roles),
  };
}

/** Statuses in which a manual task can be confirmed (domain/console/store-work.ts FULFILLING). */
const FULFILLING_STATUSES = ['in-progress', 'extended'];
/** Statuses a redrive accepts: still fulfilling, or closed with some stores failed. */
const REDRIVABLE_STATUSES = [...FULFILLING_STATUSES, 'partially-fulfilled'];

/**
 * The store work this user may do on this request, as the API will accept it:
 * confirming each open manual task (waiting for an agent, not yet confirmed,
 * request still fulfilling), running the failed stores again, and revoking
 * download links of a request that discloses data (links outlive the request's
 * close, so that one does not depend on the status).
 */
function storeWorkActions(detail, session) {
  const roles = session.roles;
  const route = (path) => 'POST /v1/console/requests/{id}' + path;
  const results = Object.entries(detail.storeResults).sort(([a], [b]) => a.localeCompare(b));
  const confirm =
    FULFILLING_STATUSES.includes(detail.status) && roleMayCall(route('/stores/{storeId}/done'), roles)
      ? results
          .filter(([, result]) => result.status === 'waiting-for-agent' && result.completed === undefined)
          .map(([storeId, result]) => ({ storeId, action: result.action }))
      : [];
  return {
    confirm,
    redrive:
      REDRIVABLE_STATUSES.includes(detail.status) &&
      roleMayCall(route('/redrive'), roles) &&
      results.some(([, result]) => result.status === 'failed'),
    revokeLinks: DISCLOSING_TYPES.includes(detail.type) && roleMayCall(route('/download-links/revoke'), roles),
  };
}

/**
 * The body of POST …/stores/{storeId}/done from the confirm form's text
 * fields: counts for the task's action (files and records for an export,
 * deleted and retained for an erasure, with one legal basis a line), a note
 * for every action; blank fields left out so the API's defaults apply.
 */
function manualTaskBody(action, values) {
  const count = (text) => {
    const trimmed = String(text ?? '').trim();
    return trimmed === '' ? undefined : Number(trimmed);
  };
  const body = {};
  if (action === 'export') {
    const files = count(values.files);
    const records = count(values.records);
    if (files !== undefined || records !== undefined) body.exported = { files: files ?? 0, records: records ?? 0 };
  }
  if (action === 'erase') {
    const deleted = count(values.deleted);
    const retained = count(values.retained);
    if (deleted !== undefined) body.deleted = deleted;
    if (retained !== undefined) body.retained = retained;
    const bases = String(values.retainedBases ?? '').split('\n').map((line) => line.trim()).filter(Boolean);
    if (bases.length > 0) body.retainedBases = bases;
  }
  const note = String(values.note ?? '').trim();
  if (note !== '') body.note = note;
  return body;
}

const REPORT_TILES = [
  ['open', { zh: '处理中', en: 'Open' }],
  ['dueWithin3Days', { zh: '3 天内到期', en: 'Due within 3 days' }],
  ['overdue', { zh: '已逾期', en: 'Overdue' }],
  ['breached', { zh: '已违反期限', en: 'Breached' }],
  ['closedOnTime', { zh: '按时结束', en: 'Closed on time' }],
  ['closedLate', { zh: '逾期结束', en: 'Closed late' }],
  ['medianDaysToClose', { zh: '结束用时中位数（天）', en: 'Median days to close' }],
];

/** A count for display; the median is null when nothing has closed, shown as a dash rather than 0. */
function reportFigure(counts, key) {
  const value = counts[key];
  return value === null || value === undefined ? '—' : String(value);
}

/**
 * GET /v1/console/reports as the page shows it: the overall figures as tiles
 * (tone "alert" for overdue and breached when not zero) and one table row per
 * policy, named as the page's policy list names it.
 */
function reportView(report, policyNames) {
  const tiles = REPORT_TILES.map(([key, label]) => ({
    key,
    label,
    value: reportFigure(report.overall, key),
    tone: (key === 'overdue' || key === 'breached' || key === 'closedLate') && report.overall[key] > 0 ? 'alert' : 'plain',
  }));
  const policies = report.byPolicy.map((row) => ({
    policyId: row.policyId,
    name: policyNames[row.policyId] ?? row.policyId,
    figures: REPORT_TILES.map(([key]) => reportFigure(row, key)),
  }));
  return { asOf: report.asOf, tiles, columns: REPORT_TILES.map(([, label]) => label), policies };
}

/** The saved CSV's name, dated by the page's clock (UTC day, as the API names its own attachment). */
function reportFileName(nowIso) {
  return 'dsar-report-' + String(nowIso).slice(0, 10) + '.csv';
}

/**
 * A due date counted on a year without an official calendar yet (the list
 * row's or the detail clock's provisional, provisionalYears), as the page
 * writes it: "2027-01-05 (provisional: 2027 calendar not yet published)";
 * null for an official date.
 */
function provisionalDueText(clock) {
  if (!clock || clock.provisional !== true || !clock.dueDate) return null;
  const years = (clock.provisionalYears ?? []).join(', ');
  const many = (clock.provisionalYears ?? []).length > 1;
  return {
    zh: clock.dueDate + '（暂定：' + (years ? years + ' 年' : '') + '节假日安排尚未公布）',
    en: clock.dueDate + ' (provisional: ' + (years ? years + ' ' : '') + (many ? 'calendars' : 'calendar') + ' not yet published)',
  };
}

const CALENDAR_IMPORT_ROUTE = 'PUT /v1/console/calendars/{calendarId}/notices/{year}';

/**
 * The banners above the queue, for those who may import a notice
 * (supervisors): one per calendar whose next year has no official data from
 * 1 November (GET /v1/console/calendars nextYearMissing).
 */
function calendarBanners(overview, roles) {
  if (!overview || !roleMayCall(CALENDAR_IMPORT_ROUTE, roles)) return [];
  return overview.calendars
    .filter((calendar) => calendar.nextYearMissing)
    .map((calendar) => ({
      calendarId: calendar.calendarId,
      year: calendar.nextYear,
      text: {
        zh: '尚无 ' + calendar.nextYear + ' 年官方节假日安排：计入 ' + calendar.nextYear + ' 年的日期均为暂定',
        en: 'No official ' + calendar.nextYear + ' calendar yet: dates into ' + calendar.nextYear + ' are provisional',
      },
    }));
}

/** The importable calendars' years as the Calendar panel lists them, newest first, with where each came from. */
function calendarYearsView(overview) {
  if (!overview) return [];
  return overview.calendars
    .filter((calendar) => calendar.importable)
    .flatMap((calendar) =>
      [...calendar.years]
        .sort((a, b) => b.year - a.year)
        .map((year) => ({
          calendarId: calendar.calendarId,
          year: year.year,
          origin:
            year.origin === 'imported'
              ? {
                  zh: '导入：' + year.importedBy + '，' + String(year.importedAt).slice(0, 10),
                  en: 'imported by ' + year.importedBy + ' on ' + String(year.importedAt).slice(0, 10) + (year.replacesPackaged ? ' (replaces the packaged notice)' : ''),
                }
              : { zh: '随版本发布', en: 'packaged' },
          documentNumber: year.source.documentNumber ?? '—',
          published: year.source.published,
          url: String(year.source.url).startsWith('https://') ? year.source.url : null,
          sha256: year.sha256 ? year.sha256.slice(0, 12) : null,
          problems: year.problems ?? [],
        })),
    );
}

/**
 * The notice a supervisor pasted or chose, read before it is sent: JSON with
 * a four-digit year (the path needs it); everything else is the API's check.
 */
function noticeFromText(text) {
  let notice;
  try {
    notice = JSON.parse(String(text ?? ''));
  } catch {
    return { ok: false, problem: { zh: '这不是 JSON 文件', en: 'This is not JSON' } };
  }
  const year = notice && typeof notice === 'object' ? notice.year : undefined;
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    return { ok: false, problem: { zh: '文件中没有年份（"year"）', en: 'The file names no year ("year")' } };
  }
  return { ok: true, notice, year };
}

function noticeImportPath(calendarId, year, replace) {
  return '/v1/console/calendars/' + encodeURIComponent(calendarId) + '/notices/' + year + (replace ? '?replace=true' : '');
}

/** What an import answer says, in a line: the year's classification, for the supervisor to compare with the notice. */
function importSummaryText(answer) {
  const s = answer.summary;
  const done = answer.status === 'imported' ? { zh: '已导入', en: 'Imported' } : { zh: '已替换', en: 'Replaced' };
  return {
    zh: done.zh + ' ' + answer.year + '：放假 ' + s.holidays + ' 天，调休上班 ' + s.makeUpWorkdays + ' 天（' + (s.source.documentNumber ?? '') + '）',
    en:
      done.en + ' ' + answer.year + ': ' + s.holidays + ' ' + plural(s.holidays, 'holiday', 'holidays') + ', ' +
      s.makeUpWorkdays + ' make-up ' + plural(s.makeUpWorkdays, 'workday', 'workdays') + ' (' + (s.source.documentNumber ?? '') + ')',
  };
}

/**
 * What to say when the API says no: a sign-in problem and a role problem in
 * plain words (an authoriser's 401 carries no problem body), otherwise the
 * API's own message with a Chinese gloss by code.
 */
function consoleProblem(result) {
  if (result.status === 401) return { code: 'unauthorized', message: PROBLEM_TEXT.unauthorized };
  const problem = result.problem ?? { code: 'unknown', message: 'HTTP ' + result.status };
  if (result.status === 403) {
    const gloss = PROBLEM_TEXT[problem.code] ?? PROBLEM_TEXT.forbidden;
    const said = problem.message && !/^HTTP \d+$/.test(problem.message) ? problem.message : PROBLEM_TEXT.forbidden.en;
    return { code: 'forbidden', message: { zh: gloss.zh, en: said } };
  }
  const gloss = PROBLEM_TEXT[problem.code] ?? (result.status >= 500 || result.status === 0 ? PROBLEM_TEXT.internal : { zh: '未能完成', en: '' });
  const message = result.status === 0 ? PROBLEM_TEXT.network.en : problem.message;
  return {
    code: problem.code,
    ...(problem.field ? { field: problem.field } : {}),
    ...(Array.isArray(problem.problems) ? { problems: problem.problems } : {}),
    message: { zh: gloss.zh, en: message },
  };
}
`}`;
