/**
 * What the console page (`GET /console`) computes from the console API: the
 * console page bundles this module, and test/unit/web imports it, so what is
 * tested is what ships.
 *
 * Pure: no DOM, no network, no clock ("now" comes in as an argument; "today"
 * is the API's, which counts days left in each policy's zone).
 *
 * The token's payload is decoded for display only (jose's decodeJwt, which
 * checks nothing): the API checks the token and the role matrix on every
 * call, so a forged payload shows buttons that then fail with 403, never more.
 */
import { decodeJwt } from 'jose';
import type { Bilingual, StatusTone } from '../labels';
import type { ApiProblem } from './form-model';
import { lookup } from './lookup';
import {
  ACTOR_TEXT,
  AGENT_ID_PATTERN,
  CHANNEL_TEXT,
  CLOSED_STATUSES,
  CONSOLE_AUTHORISATION,
  CONSOLE_PRIVILEGES,
  CONSOLE_ROLES,
  CONSOLE_STATUS_TEXT,
  DISCLOSING_TYPES,
  OPEN_STATUSES,
  PROBLEM_TEXT,
  STORE_RESULT_TEXT,
  TIMELINE_TEXT,
} from './server-facts';
import { formatInstant, type StatusRequest } from './status-model';

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

const CONSOLE_LIST_PATH = '/v1/console/requests';
const CONSOLE_AGENT_ID = new RegExp(AGENT_ID_PATTERN);

/** A row of GET /v1/console/requests (domain/console/view.ts requestSummary). */
export interface QueueRow {
  requestId: string;
  type: string | null;
  status: string;
  policyId: string;
  channel: string;
  dueDate: string | null;
  daysLeft?: number;
  workingDaysLeft?: number;
  provisional?: boolean;
  provisionalYears?: number[];
  overdue: boolean;
  paused: boolean;
  assignee: string | null;
  /** Why the workflow stopped, on a request that needs attention. */
  attention?: string;
  /** Why no code was sent (the subject's limits): an agent checks the requester's identity. */
  identityHold?: 'subject-locked' | 'too-many-open-requests';
  /** What SES's verdicts said was wrong with the mail the request came from (domain/mail-authenticity.ts). */
  mailFlags?: string[];
}

export interface ConsoleEvent {
  seq?: number;
  at: string;
  type: string;
  actor: { kind: string; id: string };
  details?: Record<string, unknown>;
}

/** A store's part of the fulfilment (domain/fulfilment.ts StoreResult), as the API sends it. */
export interface ConsoleStoreResult {
  status: string;
  at?: string;
  since?: string;
  recordCount?: number;
  deleted?: number;
  anonymised?: number;
  retained?: number;
  remaining?: number;
  instructions?: string;
  reason?: string;
  action?: string;
  completed?: unknown;
  readonly [other: string]: unknown;
}

/** GET /v1/console/requests/{id} (domain/console/view.ts requestDetail). */
export interface ConsoleDetail {
  requestId: string;
  type: string | null;
  status: string;
  channel: string;
  policy: { id: string; name: string; regime?: string; timeZone: string };
  receivedAt: string;
  assignee: string | null;
  identifiers: { kind: string; masked: string; verified: boolean }[];
  /** Documents the requester sent (keys in the evidence bucket), for an identity review to name. */
  evidenceKeys?: string[];
  clock: {
    start: string;
    unit: string;
    length: number;
    dueDate: string | null;
    daysLeft?: number;
    workingDaysLeft?: number;
    overdue?: boolean;
    extended?: boolean;
    paused?: boolean;
    pausedSince?: string;
    pausedUnits?: number;
    dueDateIfResumedToday?: string | null;
    provisional?: boolean;
    provisionalYears?: number[];
  };
  timeline: ConsoleEvent[];
  /** Whether the trail verifies: hashes, keyed MACs, links and the record's head (domain/audit-verification.ts). */
  auditTrail?:
    | { intact: true }
    | { intact: false; findings: { kind: string; seq?: number; fromSeq?: number }[] };
  storeResults: Record<string, ConsoleStoreResult>;
  notes: { by: string; at: string; text: string }[];
  /** Present while the request needs attention: why its workflow stopped. */
  attention?: {
    reason: string;
    /** `ambiguous-identity`: a store matched more than one subject; a rerun does not help until an agent decides. */
    kind?: 'ambiguous-identity';
    storeId?: string;
    step?: string;
    attempts?: number;
    at: string;
  };
  /** Present when no code was sent (the subject's limits): the identity is for an agent to check. */
  identityHold?: { reason: 'subject-locked' | 'too-many-open-requests'; at: string };
  /** What SES's verdicts said was wrong with the mail the request came from (domain/mail-authenticity.ts). */
  mailFlags?: string[];
  /** Whether fulfilment waits for an approval, why, and who may not give it (domain/console/approval.ts). */
  approval?: {
    required: boolean;
    reasons: string[];
    supervisorOnly: boolean;
    offlineCheckRequired: boolean;
    notApprovableBy: string[];
    approvals: { by: string; at: string }[];
  };
}

/**
 * The warning on a request whose mail SES's verdicts flagged, or null: the
 * agent who triages it must not take the From: address (or an attached ID)
 * at face value.
 */
export function mailFlagsNotice(detail: Pick<ConsoleDetail, 'mailFlags'>): Bilingual | null {
  const flags = detail.mailFlags ?? [];
  const lines: Bilingual[] = [];
  if (flags.includes('suspected-spoofing')) {
    lines.push({
      zh: '疑似冒用发件人：SPF 或 DMARC 校验未通过，发件地址可能是伪造的。未发送验证码；请通过其他渠道核实身份后再处理，附件中的身份证件不足为凭。',
      en: 'Suspected spoofing: SPF or DMARC failed, so the From: address may be forged. No code was sent; check identity another way before acting, and do not rely on an attached ID alone.',
    });
  }
  if (flags.includes('spam')) {
    lines.push({ zh: '邮件被判定为垃圾邮件。', en: 'SES judged the mail to be spam.' });
  }
  if (lines.length === 0) return null;
  return { zh: lines.map((line) => line.zh).join(' '), en: lines.map((line) => line.en).join(' ') };
}

/**
 * The queue's short mark on a row whose mail failed SPF or DMARC, or null: seen before the request is
 * opened, so nobody acts on the From: address from the list (the detail says why: mailFlagsNotice).
 */
export function queueMailMark(row: Pick<QueueRow, 'mailFlags'>): Bilingual | null {
  return row.mailFlags?.includes('suspected-spoofing')
    ? { zh: '疑似冒用发件人：请人工核实身份', en: 'Suspected spoofing: check identity' }
    : null;
}

/** Who a token names; only `valid` when it is not a token at all. */
export interface SessionView {
  valid: boolean;
  user?: string | null;
  roles?: string[];
  expiresAt?: string | null;
  expired?: boolean;
}

/** Who is signed in, as the actions need it. */
export interface Session {
  user: string | null;
  roles: readonly string[];
}

export interface DueChip {
  tone: string;
  text: Bilingual;
  working?: Bilingual;
  dueDate?: string;
}

/** An API answer as the page's callApi resolves it (web/client/common.ts). */
export interface ApiResult {
  status: number;
  problem?: ApiProblem;
}

export interface ConsoleProblem {
  code: string;
  field?: string;
  problems?: string[];
  message: Bilingual;
}

/**
 * The payload of a compact JWT, or null when the text is not one (jose's
 * decodeJwt: base64url, UTF-8, a JSON object).
 */
export function decodeJwtPayload(token: string): Record<string, unknown> | null {
  try {
    return decodeJwt(String(token).trim());
  } catch {
    return null;
  }
}

/** A list claim as an array, in every shape an issuer sends it: an array, "[a b]" or "a,b". */
function claimList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value
    .trim()
    .replace(/^\[(.*)\]$/s, '$1')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/**
 * Who the token says is signed in, read the way the API reads it
 * (adapters/lambda/console-caller.ts): the user name, else the Cognito user name,
 * else the subject; the console roles among the groups and roles claims.
 * nowSeconds is the page's clock, used only to say the token has expired.
 */
export function sessionView(token: string, nowSeconds: number): SessionView {
  const payload = decodeJwtPayload(token);
  if (!payload) return { valid: false };
  const user = [payload.username, payload['cognito:username'], payload.sub].find(
    (candidate): candidate is string => typeof candidate === 'string' && CONSOLE_AGENT_ID.test(candidate),
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
export function roleMayCall(routeKey: string, roles: readonly string[]): boolean {
  const row: Readonly<Record<string, boolean>> | undefined = lookup(CONSOLE_AUTHORISATION, routeKey);
  return row !== undefined && roles.some((role) => row[role] === true);
}

export function roleHasPrivilege(privilege: string, roles: readonly string[]): boolean {
  const holders: readonly string[] = lookup(CONSOLE_PRIVILEGES, privilege) ?? [];
  return roles.some((role) => holders.includes(role));
}

/** The list's address for the filters set (empty ones left out) and, for a further page, the cursor. */
export function queuePath(
  filters: Readonly<Record<string, string | null | undefined>>,
  cursor: string | null,
): string {
  const params: [string, string][] = [];
  for (const name of QUEUE_FILTERS) {
    const value = filters[name];
    if (value !== undefined && value !== null && String(value).trim() !== '')
      params.push([name, String(value).trim()]);
  }
  if (cursor) params.push(['cursor', cursor]);
  const query = params.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
  return query === '' ? CONSOLE_LIST_PATH : `${CONSOLE_LIST_PATH}?${query}`;
}

/**
 * The rows shown after another page arrives: each request once (its latest
 * row), earliest due date first, requests whose clock has not started last,
 * the request id breaking ties as the API's index does.
 */
export function mergeQueueRows<Row extends Pick<QueueRow, 'requestId' | 'dueDate'>>(
  shown: readonly Row[],
  page: readonly Row[],
): Row[] {
  const byId = new Map<string, Row>();
  for (const row of [...shown, ...page]) byId.set(row.requestId, row);
  // Code-unit order, as DynamoDB sorts the index's keys ('~' after every date), not the locale's.
  const key = (row: Row) =>
    `${row.dueDate === null || row.dueDate === undefined ? '~' : row.dueDate}#${row.requestId}`;
  return [...byId.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function plural(count: number | undefined, one: string, many: string): string {
  return count === 1 ? one : many;
}

/**
 * A row's due-date chip: red once overdue, amber when due within
 * DUE_SOON_DAYS, plain otherwise; grey while the clock stands still or has
 * not started, and once the request is closed. Working days left are added
 * for policies whose clock counts working days (unit from the page's policy list).
 */
export function dueChip(row: QueueRow, clockUnit?: string): DueChip {
  if (row.dueDate === null || row.dueDate === undefined) {
    return { tone: 'pending', text: { zh: '尚未开始计时', en: 'Clock not started' } };
  }
  // The API answers daysLeft with every started clock.
  const daysLeft = row.daysLeft as number;
  const due = { zh: `期限 ${row.dueDate}`, en: `due ${row.dueDate}` };
  let chip: DueChip;
  if ((CLOSED_STATUSES as readonly string[]).includes(row.status)) {
    chip = { tone: 'closed', text: { zh: `已结束，${due.zh}`, en: `Closed, ${due.en}` } };
  } else if (row.paused) {
    chip = {
      tone: 'paused',
      text: {
        zh: `计时暂停，剩 ${daysLeft} 天`,
        en: `Clock stopped, ${daysLeft} ${plural(daysLeft, 'day', 'days')} left`,
      },
    };
  } else if (row.overdue) {
    const late = -daysLeft;
    chip = {
      tone: 'overdue',
      text: { zh: `已逾期 ${late} 天`, en: `${late} ${plural(late, 'day', 'days')} overdue` },
    };
  } else if (daysLeft === 0) {
    chip = { tone: 'soon', text: { zh: '今天到期', en: 'Due today' } };
  } else {
    chip = {
      tone: daysLeft <= DUE_SOON_DAYS ? 'soon' : 'ok',
      text: { zh: `剩 ${daysLeft} 天`, en: `${daysLeft} ${plural(daysLeft, 'day', 'days')} left` },
    };
  }
  if (
    clockUnit === 'working-days' &&
    row.workingDaysLeft !== undefined &&
    chip.tone !== 'closed' &&
    !row.overdue
  ) {
    const working = row.workingDaysLeft;
    chip.working = { zh: `${working} 个工作日`, en: `${working} working ${plural(working, 'day', 'days')}` };
  }
  chip.dueDate = row.dueDate;
  return chip;
}

export function consoleStatusView(status: string): { label: Bilingual; tone: StatusTone; open: boolean } {
  const text = lookup(CONSOLE_STATUS_TEXT, status) ?? { zh: status, en: status, tone: 'working' as const };
  return {
    label: { zh: text.zh, en: text.en },
    tone: text.tone,
    open: (OPEN_STATUSES as readonly string[]).includes(status),
  };
}

export function channelLabel(channel: string): Bilingual {
  return lookup(CHANNEL_TEXT, channel) ?? { zh: channel, en: channel };
}

/**
 * The console detail in the shape of the requester's status answer, so the
 * countdown is computed by the very function the status page uses.
 */
export function detailAsStatus(
  detail: Pick<
    ConsoleDetail,
    'requestId' | 'type' | 'status' | 'policy' | 'receivedAt' | 'clock' | 'timeline'
  >,
): StatusRequest {
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
      ...(event.type === 'status-changed' && event.details ? { to: event.details.to as string } : {}),
    })),
  };
}

/** What a timeline entry adds to its title, from the event's details (never personal data: the trail holds none). */
function eventNote(event: ConsoleEvent): Bilingual | undefined {
  const details = (event.details ?? {}) as Record<string, string | number | undefined>;
  switch (event.type) {
    case 'status-changed':
      return details.reason ? { zh: String(details.reason), en: String(details.reason) } : undefined;
    case 'assigned':
      return { zh: `指派给 ${details.to}`, en: `To ${details.to}` };
    case 'deadline-extended':
      return { zh: `新期限 ${details.dueDate}`, en: `New due date ${details.dueDate}` };
    case 'note-added':
      return { zh: `第 ${details.note} 条备注`, en: `Note ${details.note}` };
    case 'store-processed':
    case 'store-failed':
      return details.storeId ? { zh: String(details.storeId), en: String(details.storeId) } : undefined;
    default:
      return undefined;
  }
}

export interface ConsoleTimelineEntry {
  at: string;
  when: string;
  type: string;
  title: Bilingual;
  actor: Bilingual;
  note?: Bilingual;
}

/** The audit trail, oldest first, each event with who did it and when on the policy's wall clock. */
export function consoleTimelineView(
  detail: Pick<ConsoleDetail, 'policy' | 'timeline'>,
): ConsoleTimelineEntry[] {
  const timeZone = detail.policy.timeZone;
  return detail.timeline
    .map((event, index) => ({ event, index }))
    .sort(
      (a, b) =>
        Date.parse(a.event.at) - Date.parse(b.event.at) ||
        (a.event.seq ?? a.index) - (b.event.seq ?? b.index),
    )
    .map(({ event }) => {
      const to =
        event.type === 'status-changed' && event.details
          ? lookup(CONSOLE_STATUS_TEXT, event.details.to as string)
          : undefined;
      const title = to
        ? { zh: `状态：${to.zh}`, en: `Status: ${to.en}` }
        : (lookup(TIMELINE_TEXT, event.type) ?? { zh: event.type, en: event.type });
      const kind = lookup(ACTOR_TEXT, event.actor.kind) ?? { zh: event.actor.kind, en: event.actor.kind };
      // Agents are named (once, after both words); the requester and the pipeline's own components are enough by kind.
      const actor = event.actor.kind === 'agent' ? { zh: kind.zh, en: `${kind.en} ${event.actor.id}` } : kind;
      const note = eventNote(event);
      return {
        at: event.at,
        when: formatInstant(event.at, timeZone),
        type: event.type,
        title,
        actor,
        ...(note ? { note } : {}),
      };
    });
}

export interface StoreResultView {
  storeId: string;
  label: Bilingual;
  tone: StatusTone;
  summary?: Bilingual;
  when?: string;
}

/** Each data store's part of the fulfilment, by store id, with what it did in a few words. */
export function storeResultsView(detail: Pick<ConsoleDetail, 'policy' | 'storeResults'>): StoreResultView[] {
  const timeZone = detail.policy.timeZone;
  return Object.entries(detail.storeResults)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([storeId, result]) => {
      const text = lookup(STORE_RESULT_TEXT, result.status) ?? {
        zh: result.status,
        en: result.status,
        tone: 'working' as const,
      };
      let summary: Bilingual | undefined;
      if (result.status === 'exported') {
        summary = {
          zh: `${result.recordCount} 条记录`,
          en: `${result.recordCount} ${plural(result.recordCount, 'record', 'records')}`,
        };
      } else if (result.status === 'erased') {
        summary = {
          zh: `删除 ${result.deleted}，匿名化 ${result.anonymised}，保留 ${result.retained}，剩余 ${result.remaining}`,
          en: `${result.deleted} deleted, ${result.anonymised} anonymised, ${result.retained} retained, ${result.remaining} remaining`,
        };
      } else if (result.status === 'waiting-for-agent') {
        summary = { zh: String(result.instructions), en: String(result.instructions) };
      } else if (result.status === 'failed') {
        summary = { zh: String(result.reason), en: String(result.reason) };
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

/** Whether and how the request's policy lets the reply period be extended (the page's policy list). */
export interface PolicyFacts {
  extension?: 'none' | 'reason-required' | 'reason-optional' | string;
}

export interface DetailActions {
  note: boolean;
  assignToMe: boolean;
  extend: boolean;
  extensionReasonRequired: boolean;
  refuse: boolean;
}

/**
 * The action forms to show for this request and this user: what the role
 * matrix allows (the API enforces it again), on a request still open, and,
 * for an extension, where the policy has one not yet taken. policyFacts is
 * the page's { extension: 'none' | 'reason-required' | 'reason-optional' }.
 */
export function detailActions(
  detail: Pick<ConsoleDetail, 'status' | 'assignee' | 'clock'>,
  session: Session,
  policyFacts: PolicyFacts | undefined,
): DetailActions {
  const roles = session.roles;
  const open = (OPEN_STATUSES as readonly string[]).includes(detail.status);
  const route = (path: string) => `POST /v1/console/requests/{id}${path}`;
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
    extend:
      open && roleMayCall(route('/extend'), roles) && extension !== 'none' && detail.clock.extended !== true,
    extensionReasonRequired: extension === 'reason-required',
    refuse: open && roleMayCall(route('/refuse'), roles),
  };
}

/** The approve form for this user, or why they may not approve; null when no approval is waited for. */
export type ApprovalAction =
  | { readonly kind: 'form'; readonly offlineCheckRequired: boolean; readonly reasons: Bilingual }
  | { readonly kind: 'not-you'; readonly text: Bilingual };

const APPROVAL_REASONS: Readonly<Record<string, Bilingual>> = {
  'policy-request-type': { zh: '隐私政策要求审批此类请求', en: 'the policy needs approval of this type' },
  'organisation-floor': {
    zh: '本机构要求审批此类请求',
    en: "the organisation's floor needs approval of this type",
  },
  'real-name-deletion': {
    zh: '删除实名信息须线下核实',
    en: 'deleting real-name data needs an offline check',
  },
  'four-eyes': {
    zh: '控制台录入的导出或删除须由另一人批准',
    en: 'an export or erasure taken in the console needs a second person',
  },
};

/**
 * The approval this user may give (the API checks it all again): an open request whose fulfilment waits
 * for an approval not yet given, a role that may approve (a supervisor where only one may), and a user
 * who neither took the request nor checked the identity (four eyes). Such a user sees why instead.
 */
export function approvalAction(
  detail: Pick<ConsoleDetail, 'status' | 'approval'>,
  session: Session,
): ApprovalAction | null {
  const approval = detail.approval;
  const open = (OPEN_STATUSES as readonly string[]).includes(detail.status);
  if (!open || approval === undefined || !approval.required || approval.approvals.length > 0) return null;
  const roles = session.roles;
  if (!roleMayCall('POST /v1/console/requests/{id}/approve', roles)) return null;
  if (approval.supervisorOnly && !roleHasPrivilege('approveSensitiveFulfilment', roles)) return null;
  if (session.user !== null && approval.notApprovableBy.includes(session.user)) {
    return {
      kind: 'not-you',
      text: {
        zh: '此请求须由另一人批准：您录入了此请求或核实了身份。',
        en: 'Someone else must approve this request: you took it or checked the identity.',
      },
    };
  }
  const reasons = approval.reasons.map((reason) => APPROVAL_REASONS[reason] ?? { zh: reason, en: reason });
  return {
    kind: 'form',
    offlineCheckRequired: approval.offlineCheckRequired,
    reasons: {
      zh: reasons.map((reason) => reason.zh).join('；'),
      en: reasons.map((reason) => reason.en).join('; '),
    },
  };
}

/** Statuses in which an agent may still settle identity (domain/console/identity.ts IDENTITY_OPEN). */
const IDENTITY_OPEN_STATUSES = ['received', 'pending-verification', 'awaiting-requester'];

/** How the page names an identifier kind. */
const IDENTIFIER_KIND_LABELS: Readonly<Record<string, Bilingual>> = {
  email: { zh: '电子邮箱', en: 'Email' },
  phone: { zh: '手机号码', en: 'Phone' },
  accountId: { zh: '账号', en: 'Account id' },
};

/** One checkbox of the identity review form: an identifier of the request, masked. */
export interface IdentityReviewChoice {
  kind: string;
  label: Bilingual;
  masked: string;
  verified: boolean;
}

/**
 * The identity review form for this request and this user, or null: a request whose identity is still
 * open, for a role that may review it. One checkbox per identifier (masked; none ticked, since the
 * agent must say what the check covered) and the documents the requester sent.
 */
export function identityReviewForm(
  detail: Pick<ConsoleDetail, 'status' | 'identifiers' | 'evidenceKeys'>,
  session: Session,
): { identifiers: IdentityReviewChoice[]; evidenceKeys: string[] } | null {
  if (!IDENTITY_OPEN_STATUSES.includes(detail.status)) return null;
  if (!roleMayCall('POST /v1/console/requests/{id}/identity', session.roles)) return null;
  return {
    identifiers: detail.identifiers.map((identifier) => ({
      kind: identifier.kind,
      label: IDENTIFIER_KIND_LABELS[identifier.kind] ?? { zh: identifier.kind, en: identifier.kind },
      masked: identifier.masked,
      verified: identifier.verified,
    })),
    evidenceKeys: detail.evidenceKeys ?? [],
  };
}

/**
 * The body of an identity approval (POST …/identity, IdentityReviewSchema) from the form's values, or
 * the field to fix: at least one identifier ticked and a note on what was checked, as the API demands.
 */
export function identityApprovalBody(values: {
  method: string;
  note: string;
  evidenceKey: string;
  identifiers: readonly string[];
}):
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; field: 'identifiers' | 'note'; message: Bilingual } {
  if (values.identifiers.length === 0) {
    return {
      ok: false,
      field: 'identifiers',
      message: {
        zh: '请勾选本次核实所证明的标识',
        en: 'Tick the identifiers the check proved',
      },
    };
  }
  const note = values.note.trim();
  if (note === '') {
    return {
      ok: false,
      field: 'note',
      message: { zh: '请写明核实了什么', en: 'Say what you checked' },
    };
  }
  return {
    ok: true,
    body: {
      decision: 'approve',
      method: values.method,
      note,
      identifiers: [...values.identifiers],
      ...(values.evidenceKey === '' ? {} : { evidenceKey: values.evidenceKey }),
    },
  };
}

/** Statuses in which a manual task can be confirmed (domain/console/store-work.ts FULFILLING). */
const FULFILLING_STATUSES = ['in-progress', 'extended'];
/** Statuses a redrive accepts: still fulfilling, or closed with some stores failed. */
const REDRIVABLE_STATUSES = [...FULFILLING_STATUSES, 'partially-fulfilled'];
/** A request whose workflow stopped: a redrive runs it again even if no store has failed (or run). */
const STOPPED_STATUS = 'needs-attention';

/**
 * The store work this user may do on this request, as the API will accept it:
 * confirming each open manual task (waiting for an agent, not yet confirmed,
 * request still fulfilling), running the failed stores again, and revoking
 * download links of a request that discloses data (links outlive the request's
 * close, so that one does not depend on the status).
 */
export function storeWorkActions(
  detail: Pick<ConsoleDetail, 'status' | 'type' | 'storeResults'>,
  session: Session,
): { confirm: { storeId: string; action: string | undefined }[]; redrive: boolean; revokeLinks: boolean } {
  const roles = session.roles;
  const route = (path: string) => `POST /v1/console/requests/{id}${path}`;
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
      roleMayCall(route('/redrive'), roles) &&
      (detail.status === STOPPED_STATUS ||
        (REDRIVABLE_STATUSES.includes(detail.status) &&
          results.some(([, result]) => result.status === 'failed'))),
    revokeLinks:
      (DISCLOSING_TYPES as readonly (string | null)[]).includes(detail.type) &&
      roleMayCall(route('/download-links/revoke'), roles),
  };
}

export interface ManualTaskBody {
  exported?: { files: number; records: number };
  deleted?: number;
  retained?: number;
  retainedBases?: string[];
  note?: string;
}

/**
 * The body of POST …/stores/{storeId}/done from the confirm form's text
 * fields: counts for the task's action (files and records for an export,
 * deleted and retained for an erasure, with one legal basis a line), a note
 * for every action; blank fields left out so the API's defaults apply.
 */
export function manualTaskBody(
  action: string | undefined,
  values: Readonly<Record<string, string | undefined>>,
): ManualTaskBody {
  const count = (text: string | undefined) => {
    const trimmed = String(text ?? '').trim();
    return trimmed === '' ? undefined : Number(trimmed);
  };
  const body: ManualTaskBody = {};
  if (action === 'export') {
    const files = count(values.files);
    const records = count(values.records);
    if (files !== undefined || records !== undefined)
      body.exported = { files: files ?? 0, records: records ?? 0 };
  }
  if (action === 'erase') {
    const deleted = count(values.deleted);
    const retained = count(values.retained);
    if (deleted !== undefined) body.deleted = deleted;
    if (retained !== undefined) body.retained = retained;
    const bases = String(values.retainedBases ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    if (bases.length > 0) body.retainedBases = bases;
  }
  const note = String(values.note ?? '').trim();
  if (note !== '') body.note = note;
  return body;
}

const REPORT_TILES: readonly (readonly [string, Bilingual])[] = [
  ['open', { zh: '处理中', en: 'Open' }],
  ['dueWithin3Days', { zh: '3 天内到期', en: 'Due within 3 days' }],
  ['overdue', { zh: '已逾期', en: 'Overdue' }],
  ['breached', { zh: '已违反期限', en: 'Breached' }],
  ['closedOnTime', { zh: '按时结束', en: 'Closed on time' }],
  ['closedLate', { zh: '逾期结束', en: 'Closed late' }],
  ['medianDaysToClose', { zh: '结束用时中位数（天）', en: 'Median days to close' }],
];

type ReportCounts = Readonly<Record<string, unknown>>;

/** GET /v1/console/reports, as far as the page reads it. */
export interface ConsoleReport {
  asOf: string;
  overall: ReportCounts;
  byPolicy: readonly (ReportCounts & { readonly policyId: string })[];
}

export interface ReportView {
  asOf: string;
  tiles: { key: string; label: Bilingual; value: string; tone: 'alert' | 'plain' }[];
  columns: Bilingual[];
  policies: { policyId: string; name: string; figures: string[] }[];
}

/** A count for display; the median is null when nothing has closed, shown as a dash rather than 0. */
function reportFigure(counts: ReportCounts, key: string): string {
  const value = counts[key];
  return value === null || value === undefined ? '—' : String(value);
}

/**
 * GET /v1/console/reports as the page shows it: the overall figures as tiles
 * (tone "alert" for overdue and breached when not zero) and one table row per
 * policy, named as the page's policy list names it.
 */
export function reportView(
  report: ConsoleReport,
  policyNames: Readonly<Record<string, string | undefined>>,
): ReportView {
  const tiles = REPORT_TILES.map(([key, label]) => ({
    key,
    label,
    value: reportFigure(report.overall, key),
    tone:
      (key === 'overdue' || key === 'breached' || key === 'closedLate') && Number(report.overall[key]) > 0
        ? ('alert' as const)
        : ('plain' as const),
  }));
  const policies = report.byPolicy.map((row) => ({
    policyId: row.policyId,
    name: policyNames[row.policyId] ?? row.policyId,
    figures: REPORT_TILES.map(([key]) => reportFigure(row, key)),
  }));
  return { asOf: report.asOf, tiles, columns: REPORT_TILES.map(([, label]) => label), policies };
}

/** The saved CSV's name, dated by the page's clock (UTC day, as the API names its own attachment). */
export function reportFileName(nowIso: string): string {
  return `dsar-report-${String(nowIso).slice(0, 10)}.csv`;
}

/**
 * A due date counted on a year without an official calendar yet (the list
 * row's or the detail clock's provisional, provisionalYears), as the page
 * writes it: "2027-01-05 (provisional: 2027 calendar not yet published)";
 * null for an official date.
 */
export function provisionalDueText(
  clock: { dueDate?: unknown; provisional?: unknown; provisionalYears?: unknown } | null | undefined,
): Bilingual | null {
  if (clock?.provisional !== true || !clock.dueDate) return null;
  const listed = (clock.provisionalYears ?? []) as readonly number[];
  const years = listed.join(', ');
  const many = listed.length > 1;
  return {
    zh: `${clock.dueDate}（暂定：${years ? `${years} 年` : ''}节假日安排尚未公布）`,
    en: `${clock.dueDate} (provisional: ${years ? `${years} ` : ''}${many ? 'calendars' : 'calendar'} not yet published)`,
  };
}

export const CALENDAR_IMPORT_ROUTE = 'PUT /v1/console/calendars/{calendarId}/notices/{year}';

/** GET /v1/console/calendars (domain/console/calendar-import.ts calendarsOverview), as the page reads it. */
export interface CalendarsOverview {
  calendars: readonly {
    calendarId: string;
    importable: boolean;
    nextYear: number;
    nextYearMissing: boolean;
    years: readonly {
      year: number;
      origin: string;
      importedBy?: string;
      importedAt?: string;
      replacesPackaged?: boolean;
      source: { documentNumber?: string; published: string; url: string };
      sha256?: string;
      problems?: string[];
    }[];
  }[];
}

/**
 * The banners above the queue, for those who may import a notice
 * (supervisors): one per calendar whose next year has no official data from
 * 1 November (GET /v1/console/calendars nextYearMissing).
 */
export function calendarBanners(
  overview: CalendarsOverview | null | undefined,
  roles: readonly string[],
): { calendarId: string; year: number; text: Bilingual }[] {
  if (!overview || !roleMayCall(CALENDAR_IMPORT_ROUTE, roles)) return [];
  return overview.calendars
    .filter((calendar) => calendar.nextYearMissing)
    .map((calendar) => ({
      calendarId: calendar.calendarId,
      year: calendar.nextYear,
      text: {
        zh: `尚无 ${calendar.nextYear} 年官方节假日安排：计入 ${calendar.nextYear} 年的日期均为暂定`,
        en: `No official ${calendar.nextYear} calendar yet: dates into ${calendar.nextYear} are provisional`,
      },
    }));
}

export interface CalendarYearRow {
  calendarId: string;
  year: number;
  origin: Bilingual;
  documentNumber: string;
  published: string;
  url: string | null;
  sha256: string | null;
  problems: string[];
}

/** The importable calendars' years as the Calendar panel lists them, newest first, with where each came from. */
export function calendarYearsView(overview: CalendarsOverview | null | undefined): CalendarYearRow[] {
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
                  zh: `导入：${year.importedBy}，${String(year.importedAt).slice(0, 10)}`,
                  en: `imported by ${year.importedBy} on ${String(year.importedAt).slice(0, 10)}${year.replacesPackaged ? ' (replaces the packaged notice)' : ''}`,
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
export function noticeFromText(
  text: string | null | undefined,
): { ok: true; notice: unknown; year: number } | { ok: false; problem: Bilingual } {
  let notice: unknown;
  try {
    notice = JSON.parse(String(text ?? ''));
  } catch {
    return { ok: false, problem: { zh: '这不是 JSON 文件', en: 'This is not JSON' } };
  }
  const year = notice && typeof notice === 'object' ? (notice as { year?: unknown }).year : undefined;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1000 || year > 9999) {
    return { ok: false, problem: { zh: '文件中没有年份（"year"）', en: 'The file names no year ("year")' } };
  }
  return { ok: true, notice, year };
}

export function noticeImportPath(calendarId: string, year: number, replace: boolean): string {
  return `/v1/console/calendars/${encodeURIComponent(calendarId)}/notices/${year}${replace ? '?replace=true' : ''}`;
}

/** PUT …/notices/{year}'s answer, as far as the page reads it. */
export interface ImportAnswer {
  status: string;
  year: number;
  summary: { holidays: number; makeUpWorkdays: number; source: { documentNumber?: string } };
}

/** What an import answer says, in a line: the year's classification, for the supervisor to compare with the notice. */
export function importSummaryText(answer: ImportAnswer): Bilingual {
  const s = answer.summary;
  const done =
    answer.status === 'imported' ? { zh: '已导入', en: 'Imported' } : { zh: '已替换', en: 'Replaced' };
  return {
    zh: `${done.zh} ${answer.year}：放假 ${s.holidays} 天，调休上班 ${s.makeUpWorkdays} 天（${s.source.documentNumber ?? ''}）`,
    en: `${done.en} ${answer.year}: ${s.holidays} ${plural(s.holidays, 'holiday', 'holidays')}, ${s.makeUpWorkdays} make-up ${plural(s.makeUpWorkdays, 'workday', 'workdays')} (${s.source.documentNumber ?? ''})`,
  };
}

/**
 * What to say when the API says no: a sign-in problem and a role problem in
 * plain words (an authoriser's 401 carries no problem body), otherwise the
 * API's own message with a Chinese gloss by code.
 */
export function consoleProblem(result: ApiResult): ConsoleProblem {
  if (result.status === 401) return { code: 'unauthorized', message: PROBLEM_TEXT.unauthorized! };
  const problem = result.problem ?? { code: 'unknown', message: `HTTP ${result.status}` };
  if (result.status === 403) {
    const gloss = lookup(PROBLEM_TEXT, problem.code) ?? PROBLEM_TEXT.forbidden!;
    const said =
      problem.message && !/^HTTP \d+$/.test(problem.message) ? problem.message : PROBLEM_TEXT.forbidden!.en;
    return { code: 'forbidden', message: { zh: gloss.zh, en: said } };
  }
  const gloss =
    lookup(PROBLEM_TEXT, problem.code) ??
    (result.status >= 500 || result.status === 0 ? PROBLEM_TEXT.internal! : { zh: '未能完成', en: '' });
  const message = result.status === 0 ? PROBLEM_TEXT.network!.en : problem.message;
  return {
    code: problem.code,
    ...(problem.field ? { field: problem.field } : {}),
    ...(Array.isArray(problem.problems) ? { problems: problem.problems } : {}),
    message: { zh: gloss.zh, en: message },
  };
}

/** The one line under the timeline saying whether the audit trail verifies, and where it does not. */
export function auditTrailLine(detail: Pick<ConsoleDetail, 'auditTrail'>): Bilingual | undefined {
  const trail = detail.auditTrail;
  if (trail === undefined) return undefined;
  if (trail.intact) {
    return {
      zh: '审计记录校验通过（哈希、密钥签名、记录头）',
      en: 'Audit trail verifies (hashes, keyed MACs, record head)',
    };
  }
  const where = trail.findings
    .map(
      (finding) =>
        `${finding.kind}${(finding.seq ?? finding.fromSeq) ? ` #${finding.seq ?? finding.fromSeq}` : ''}`,
    )
    .join(', ');
  return { zh: `审计记录校验未通过：${where}`, en: `Audit trail does NOT verify: ${where}` };
}
