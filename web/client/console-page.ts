/**
 * The console page (`GET /console`), the console's bundle entry: sign in with
 * a console token (kept in sessionStorage only, so it dies with the tab), the
 * work queue in due-date order with a countdown chip per row, and one
 * request's clock, timeline, store results and notes, with the few actions an
 * agent takes often; above the queue, the report's figures (and its CSV,
 * fetched with the token and saved from a blob: URL, since a plain link
 * cannot carry a bearer token); on a request, the store work (confirm a manual
 * task, run failed stores again, revoke download links). Every call carries
 * the token; the API decides. The address's fragment (`#dsr-…`) names the
 * open request, so the browser's Back returns to the queue.
 */
import type { Bilingual } from '../labels';
import { type ApiAnswer, announce, bi, byId, callApi, h } from './common';
import {
  approvalAction,
  auditTrailLine,
  CALENDAR_IMPORT_ROUTE,
  type CalendarsOverview,
  type ConsoleDetail,
  type ConsoleReport,
  calendarBanners,
  calendarYearsView,
  channelLabel,
  consoleProblem,
  consoleStatusView,
  consoleTimelineView,
  detailActions,
  detailAsStatus,
  dueChip,
  type ImportAnswer,
  identityApprovalBody,
  identityReviewForm,
  importSummaryText,
  mailFlagsNotice,
  manualTaskBody,
  mergeQueueRows,
  noticeFromText,
  noticeImportPath,
  provisionalDueText,
  QUEUE_FILTERS,
  type QueueRow,
  queueMailMark,
  queuePath,
  reportFileName,
  reportView,
  roleMayCall,
  sessionView,
  storeResultsView,
  storeWorkActions,
} from './console-model';
import { drawCountdown } from './countdown';
import { formatInstant, requestTypeLabel } from './status-model';

interface SignedIn {
  user: string;
  roles: string[];
  expiresAt: string | null;
}

interface Queue {
  rows: QueueRow[];
  nextCursor: string | null;
  filters: Record<string, string>;
}

/** The queue's words for a request that got no code (domain/intake-limits.ts). */
const IDENTITY_HOLD_TEXT: Readonly<Record<'subject-locked' | 'too-many-open-requests', Bilingual>> = {
  'subject-locked': { zh: '验证码错误过多：请人工核实身份', en: 'Too many wrong codes: check identity' },
  'too-many-open-requests': {
    zh: '待验证请求过多：请人工核实身份',
    en: 'Too many open requests: check identity',
  },
};

const TOKEN_KEY = 'dsar-console-token';
const consoleMessage = byId('console-message');
const signInSection = byId('signin');
const signInForm = byId<HTMLFormElement>('signin-form');
const signInError = byId('error-token');
const sessionBar = byId('session-bar');
const queueSection = byId('queue');
const filterForm = byId<HTMLFormElement>('filters');
const queueRows = byId('queue-rows');
const queueMore = byId('queue-more');
const queueEmpty = byId('queue-empty');
const detailSection = byId('detail');
const policySelect = byId<HTMLSelectElement>('filter-policy');
const calendarBannerSlot = byId('calendar-banners');
const tokenInput = byId<HTMLTextAreaElement>('token');

/** The policies the page was rendered with: name, clock unit and extension rule, by id. */
const policyFacts: Record<string, { name: string; unit: string | undefined; extension: string | undefined }> =
  Object.fromEntries(
    Array.from(policySelect.options)
      .filter((option) => option.value !== '')
      .map((option) => [
        option.value,
        { name: option.textContent ?? '', unit: option.dataset.unit, extension: option.dataset.extension },
      ]),
  );

let session: SignedIn | null = null;
let token = '';
let queue: Queue = { rows: [], nextCursor: null, filters: {} };
let shownDetail: ConsoleDetail | null = null;

/** The browser's own time zone, for instants that belong to no policy (token expiry, report time). */
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The signed-in session; the handlers that use it run only while signed in. */
function current(): SignedIn {
  return session as SignedIn;
}

function notice(text: Bilingual, isError: boolean): HTMLParagraphElement {
  return h('p', { class: isError ? 'notice notice-error' : 'notice' }, bi(text));
}

/** Every console call: the bearer token, and a 401 ends the session (the token is no longer usable). */
async function consoleCall<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
  const result = await callApi<T>(method, path, {
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body }),
  });
  if (!result.ok && result.status === 401) signOut(consoleProblem(result).message);
  return result;
}

function showSignedIn(signedIn: SignedIn): void {
  signInSection.hidden = true;
  sessionBar.hidden = false;
  byId('session-user').textContent = signedIn.user;
  byId('session-roles').textContent = signedIn.roles.length ? signedIn.roles.join(', ') : '—';
  byId('session-expiry').textContent = signedIn.expiresAt
    ? formatInstant(signedIn.expiresAt, browserZone())
    : '—';
}

function signIn(candidate: string): Bilingual | null {
  const view = sessionView(candidate, Math.floor(Date.now() / 1000));
  if (!view.valid || !view.user)
    return { zh: '这不是工作台令牌（未找到用户名）', en: 'This is not a console token (it names no user)' };
  if (view.expired) return { zh: '此令牌已过期，请重新生成', en: 'This token has expired; mint a new one' };
  token = candidate.trim();
  session = { user: view.user, roles: view.roles ?? [], expiresAt: view.expiresAt ?? null };
  sessionStorage.setItem(TOKEN_KEY, token);
  showSignedIn(session);
  route();
  return null;
}

function signOut(reason: Bilingual | null): void {
  sessionStorage.removeItem(TOKEN_KEY);
  token = '';
  session = null;
  queue = { rows: [], nextCursor: null, filters: {} };
  shownDetail = null;
  sessionBar.hidden = true;
  queueSection.hidden = true;
  detailSection.hidden = true;
  calendarBannerSlot.replaceChildren();
  signInSection.hidden = false;
  signInForm.reset();
  announce(consoleMessage);
  announce(signInError, ...(reason ? [bi(reason)] : []));
  tokenInput.focus();
}

function filterValues(): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of QUEUE_FILTERS) {
    const input = filterForm.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
    if (input) values[name] = input.value;
  }
  return values;
}

function queueRow(row: QueueRow): HTMLTableRowElement {
  const facts = policyFacts[row.policyId];
  const chip = dueChip(row, facts ? facts.unit : undefined);
  const status = consoleStatusView(row.status);
  const provisional = provisionalDueText(row);
  const mailMark = queueMailMark(row);
  const link = h('a', { href: `#${row.requestId}`, class: 'reference' }, row.requestId);
  const tr = h(
    'tr',
    { class: 'queue-row', 'data-request-id': row.requestId },
    h(
      'td',
      {},
      h('span', { class: `chip chip-${chip.tone}` }, bi(chip.text)),
      chip.working ? h('span', { class: 'chip-working' }, bi(chip.working)) : null,
      provisional ? h('span', { class: 'chip-provisional' }, bi(provisional)) : null,
    ),
    h('td', {}, link),
    h(
      'td',
      {},
      h('span', { class: `badge badge-${status.tone}` }, bi(status.label)),
      row.attention ? h('span', { class: 'queue-attention' }, row.attention) : null,
      row.identityHold
        ? h('span', { class: 'queue-attention' }, bi(IDENTITY_HOLD_TEXT[row.identityHold]))
        : null,
      mailMark ? h('span', { class: 'queue-attention' }, bi(mailMark)) : null,
    ),
    h('td', {}, bi(requestTypeLabel(row.type))),
    h('td', {}, facts ? facts.name : row.policyId),
    h('td', {}, bi(channelLabel(row.channel))),
    h('td', {}, row.assignee ?? '—'),
  );
  // The whole row opens the request; the link inside keeps it reachable by keyboard.
  tr.addEventListener('click', (event) => {
    if ((event.target as Element).closest('a')) return;
    location.hash = row.requestId;
  });
  return tr;
}

function drawQueue(): void {
  queueRows.replaceChildren(...queue.rows.map(queueRow));
  queueEmpty.hidden = queue.rows.length > 0;
  queueMore.hidden = queue.nextCursor === null;
}

async function loadQueue(more: boolean): Promise<void> {
  const filters = more ? queue.filters : filterValues();
  queueSection.setAttribute('aria-busy', 'true');
  const result = await consoleCall<{ requests: QueueRow[]; nextCursor: string | null }>(
    'GET',
    queuePath(filters, more ? queue.nextCursor : null),
  );
  queueSection.removeAttribute('aria-busy');
  if (!result.ok) {
    if (session) announce(consoleMessage, notice(consoleProblem(result).message, true));
    return;
  }
  announce(consoleMessage);
  queue = {
    rows: mergeQueueRows(more ? queue.rows : [], result.data.requests),
    nextCursor: result.data.nextCursor,
    filters,
  };
  drawQueue();
}

const reportsSection = byId('reports');
const reportsOutcome = byId('reports-outcome');

function drawReport(report: ConsoleReport): void {
  const view = reportView(
    report,
    Object.fromEntries(Object.entries(policyFacts).map(([id, facts]) => [id, facts.name])),
  );
  byId('reports-as-of').textContent = formatInstant(view.asOf, browserZone());
  byId('report-tiles').replaceChildren(
    ...view.tiles.map((tile) =>
      h(
        'li',
        { class: `report-tile report-tile-${tile.tone}`, 'data-figure': tile.key },
        h('span', { class: 'report-figure' }, tile.value),
        bi(tile.label),
      ),
    ),
  );
  byId('report-columns').replaceChildren(
    h('th', { scope: 'col' }, bi({ zh: '隐私政策', en: 'Policy' })),
    ...view.columns.map((label) => h('th', { scope: 'col' }, bi(label))),
  );
  byId('report-rows').replaceChildren(
    ...view.policies.map((row) =>
      h('tr', {}, h('th', { scope: 'row' }, row.name), ...row.figures.map((figure) => h('td', {}, figure))),
    ),
  );
}

async function loadReports(): Promise<void> {
  reportsSection.hidden = !roleMayCall('GET /v1/console/reports', current().roles);
  if (reportsSection.hidden) return;
  reportsSection.setAttribute('aria-busy', 'true');
  const result = await consoleCall<ConsoleReport>('GET', '/v1/console/reports');
  reportsSection.removeAttribute('aria-busy');
  if (!result.ok) {
    if (session) announce(reportsOutcome, notice(consoleProblem(result).message, true));
    return;
  }
  announce(reportsOutcome);
  drawReport(result.data);
}

/**
 * Fetches `path` with the token and saves the answer through a short-lived blob: URL (downloads are not
 * fetches, so connect-src is not involved), named by the answer's Content-Disposition or `fallbackName`.
 */
async function downloadWithToken(
  path: string,
  accept: string,
  fallbackName: string,
  button: HTMLButtonElement,
  outcome: HTMLElement,
): Promise<void> {
  button.disabled = true;
  announce(outcome);
  let response: Response | null = null;
  try {
    response = await fetch(path, {
      headers: { authorization: `Bearer ${token}`, accept },
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    response = null;
  }
  button.disabled = false;
  if (response === null || !response.ok) {
    let problem: { code: string; message: string } | undefined;
    try {
      problem = response ? ((await response.json()) as { error?: typeof problem }).error : undefined;
    } catch {
      problem = undefined;
    }
    const result = { status: response ? response.status : 0, ...(problem ? { problem } : {}) };
    if (result.status === 401) signOut(consoleProblem(result).message);
    else announce(outcome, notice(consoleProblem(result).message, true));
    return;
  }
  const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  const url = URL.createObjectURL(await response.blob());
  const link = h('a', { href: url, download: named ?? fallbackName, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next task: the click has started the download by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The report as CSV. */
function downloadReportCsv(): Promise<void> {
  return downloadWithToken(
    '/v1/console/reports?format=csv',
    'text/csv',
    reportFileName(new Date().toISOString()),
    byId<HTMLButtonElement>('report-csv'),
    reportsOutcome,
  );
}

/** The shown request's evidence pack (a zip; the download is audited on its trail). */
function downloadEvidencePack(): Promise<void> {
  const button = byId<HTMLButtonElement>('evidence-pack');
  const requestId = button.dataset.requestId ?? '';
  return downloadWithToken(
    `/v1/console/requests/${encodeURIComponent(requestId)}/evidence`,
    'application/zip',
    `evidence-${requestId}.zip`,
    button,
    byId('evidence-outcome'),
  );
}

const calendarsSection = byId('calendars');
const calendarImportForm = byId<HTMLFormElement>('calendar-import-form');
const calendarOutcome = calendarImportForm.querySelector('.action-outcome') as HTMLElement;

function drawCalendars(overview: CalendarsOverview): void {
  calendarBannerSlot.replaceChildren(
    ...calendarBanners(overview, current().roles).map((banner) =>
      h('p', { class: 'notice notice-error calendar-banner', 'data-year': banner.year }, bi(banner.text)),
    ),
  );
  byId('calendar-rows').replaceChildren(
    ...calendarYearsView(overview).map((row) =>
      h(
        'tr',
        { 'data-year': row.year },
        h('th', { scope: 'row' }, String(row.year)),
        h(
          'td',
          {},
          bi(row.origin),
          row.problems.length ? h('span', { class: 'chip-working' }, row.problems.join('; ')) : null,
        ),
        h(
          'td',
          {},
          row.url
            ? h('a', { href: row.url, rel: 'noopener noreferrer' }, row.documentNumber)
            : row.documentNumber,
        ),
        h('td', {}, row.published),
        h('td', {}, row.sha256 ? h('code', {}, row.sha256) : '—'),
      ),
    ),
  );
}

/** The calendars' years and the missing-notice banner: for those who may import a notice (supervisors). */
async function loadCalendarPanel(): Promise<void> {
  const mayImport = roleMayCall(CALENDAR_IMPORT_ROUTE, current().roles);
  calendarsSection.hidden = !mayImport;
  calendarImportForm.hidden = !mayImport;
  if (!mayImport) {
    calendarBannerSlot.replaceChildren();
    return;
  }
  const result = await consoleCall<CalendarsOverview>('GET', '/v1/console/calendars');
  if (!result.ok) {
    if (session) announce(calendarOutcome, notice(consoleProblem(result).message, true));
    return;
  }
  drawCalendars(result.data);
}

async function importNotice(): Promise<void> {
  const text = byId<HTMLTextAreaElement>('notice-text');
  const read = noticeFromText(text.value);
  announce(calendarOutcome);
  if (!read.ok) {
    announce(calendarOutcome, notice(read.problem, true));
    text.focus();
    return;
  }
  const button = calendarImportForm.querySelector('button') as HTMLButtonElement;
  button.disabled = true;
  calendarImportForm.setAttribute('aria-busy', 'true');
  const replace = byId<HTMLInputElement>('notice-replace').checked;
  const result = await consoleCall<ImportAnswer>(
    'PUT',
    noticeImportPath('cn-state-council', read.year, replace),
    read.notice,
  );
  calendarImportForm.removeAttribute('aria-busy');
  button.disabled = false;
  if (!result.ok) {
    if (!session) return;
    const problem = consoleProblem(result);
    announce(
      calendarOutcome,
      notice(problem.message, true),
      problem.problems
        ? h('ul', { class: 'notice-problems' }, ...problem.problems.map((line) => h('li', {}, line)))
        : null,
    );
    return;
  }
  calendarImportForm.reset();
  await loadCalendarPanel();
  announce(calendarOutcome, notice(importSummaryText(result.data), false));
}

function showQueue(): void {
  detailSection.hidden = true;
  queueSection.hidden = false;
  loadReports();
  loadCalendarPanel();
  loadQueue(false);
}

function fact(label: Bilingual, ...value: (Node | string)[]): HTMLElement[] {
  return [h('dt', {}, bi(label)), h('dd', {}, ...value)];
}

const CONFIRM_FIELDS: Readonly<Record<string, readonly (readonly [string, Bilingual])[]>> = {
  export: [
    ['files', { zh: '文件数', en: 'Files' }],
    ['records', { zh: '记录数', en: 'Records' }],
  ],
  erase: [
    ['deleted', { zh: '已删除', en: 'Deleted' }],
    ['retained', { zh: '已保留', en: 'Retained' }],
  ],
};

/** The "Confirm done" form of one manual task: the counts its action reports, a note, one button. */
function confirmForm(storeId: string, action: string | undefined): HTMLFormElement {
  const id = (name: string) => `confirm-${storeId}-${name}`;
  const field = (name: string, label: Bilingual, control: HTMLElement) =>
    h('div', { class: 'field' }, h('label', { class: 'label', for: id(name) }, bi(label)), control);
  const counts = (CONFIRM_FIELDS[action ?? ''] ?? []).map(([name, label]) =>
    field(
      name,
      label,
      h('input', { type: 'number', id: id(name), name, min: '0', step: '1', inputmode: 'numeric' }),
    ),
  );
  const form = h(
    'form',
    { class: 'store-confirm', 'data-store-id': storeId, novalidate: true },
    counts.length ? h('div', { class: 'counts' }, ...counts) : null,
    action === 'erase'
      ? field(
          'retainedBases',
          { zh: '保留依据（每行一条）', en: 'Legal basis of what was kept (one a line)' },
          h('textarea', { id: id('retainedBases'), name: 'retainedBases', rows: '2' }),
        )
      : null,
    field('note', { zh: '备注', en: 'Note' }, h('textarea', { id: id('note'), name: 'note', rows: '2' })),
    h('button', { type: 'submit', class: 'secondary' }, bi({ zh: '确认已完成', en: 'Confirm done' })),
    h('div', { class: 'action-outcome', role: 'status' }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values: Record<string, string> = {};
    for (const element of form.elements) {
      const input = element as HTMLInputElement;
      if (input.name) values[input.name] = input.value;
    }
    runAction(form, `/stores/${encodeURIComponent(storeId)}/done`, manualTaskBody(action, values));
  });
  return form;
}

/**
 * The identity review form of the open request: a checkbox per identifier (masked, none ticked: the
 * agent says what the check covered), the methods its policy accepts, the documents sent with it.
 */
function drawIdentityForm(policyId: string, identity: ReturnType<typeof identityReviewForm>): void {
  const form = byId<HTMLFormElement>('identity-form');
  form.hidden = identity === null;
  byId('identity-reject-form').hidden = identity === null;
  announce(byId('error-identity-identifiers'));
  announce(byId('error-identity-note'));
  if (identity === null) return;
  byId('identity-choices').replaceChildren(
    ...identity.identifiers.map((identifier) => {
      const id = `identity-identifier-${identifier.kind}`;
      return h(
        'label',
        { class: 'choice', for: id },
        h('input', { type: 'checkbox', id, name: 'identifiers', value: identifier.kind }),
        h(
          'span',
          { class: 'choice-text' },
          h('span', { class: 'choice-title' }, bi(identifier.label), ' ', identifier.masked),
          identifier.verified
            ? h('span', { class: 'hint' }, bi({ zh: '已验证', en: 'already verified' }))
            : null,
        ),
      );
    }),
  );
  const methods = document.querySelector<HTMLTemplateElement>(
    `template[data-identity-methods="${policyId}"]`,
  );
  byId('identity-method').replaceChildren(...(methods ? [methods.content.cloneNode(true)] : []));
  byId('identity-evidence').replaceChildren(
    h('option', { value: '' }, '—'),
    ...identity.evidenceKeys.map((key) => h('option', { value: key }, key.split('/').at(-1) ?? key)),
  );
}

function drawDetail(detail: ConsoleDetail): void {
  const signedIn = current();
  const status = consoleStatusView(detail.status);
  const facts = policyFacts[detail.policy.id];
  byId('detail-reference').textContent = detail.requestId;
  const evidenceButton = byId<HTMLButtonElement>('evidence-pack');
  evidenceButton.hidden = !roleMayCall('GET /v1/console/requests/{id}/evidence', signedIn.roles);
  evidenceButton.dataset.requestId = detail.requestId;
  announce(byId('evidence-outcome'));
  const badge = byId('detail-status');
  badge.className = `badge badge-${status.tone}`;
  badge.replaceChildren(bi(status.label));
  const zone = detail.policy.timeZone;
  byId('detail-facts').replaceChildren(
    ...fact({ zh: '请求类型', en: 'Request' }, bi(requestTypeLabel(detail.type))),
    ...fact({ zh: '隐私政策', en: 'Policy' }, detail.policy.name),
    ...fact({ zh: '渠道', en: 'Channel' }, bi(channelLabel(detail.channel))),
    ...fact({ zh: '收到时间', en: 'Received' }, formatInstant(detail.receivedAt, zone)),
    ...fact({ zh: '处理人', en: 'Assignee' }, detail.assignee ?? '—'),
    ...fact(
      { zh: '标识', en: 'Identifiers' },
      detail.identifiers
        .map((identifier) => `${identifier.kind} ${identifier.masked}${identifier.verified ? ' ✓' : ''}`)
        .join(', ') || '—',
    ),
  );

  drawCountdown(byId('detail-countdown'), byId('detail-countdown-body'), detailAsStatus(detail), {
    code: { zh: '请求人核实邮箱后开始计时', en: 'The clock starts when the requester verifies their email' },
    'agent-review': {
      zh: '核实请求人的授权后开始计时',
      en: 'The clock starts once an agent has checked the authority',
    },
  });
  const provisional = provisionalDueText(detail.clock);
  const provisionalSlot = byId('detail-provisional');
  provisionalSlot.hidden = provisional === null;
  provisionalSlot.replaceChildren(
    ...(provisional ? [bi({ zh: `答复期限 ${provisional.zh}`, en: `Due ${provisional.en}` })] : []),
  );
  const mailNotice = mailFlagsNotice(detail);
  const mailFlags = byId('detail-mail-flags');
  mailFlags.hidden = mailNotice === null;
  mailFlags.replaceChildren(...(mailNotice ? [bi(mailNotice)] : []));
  const attention = byId('detail-attention');
  attention.hidden = detail.attention === undefined;
  attention.replaceChildren(
    ...(detail.attention?.kind === 'ambiguous-identity'
      ? [
          bi({
            zh: `流程已中断（${detail.attention.at}）：数据源 ${detail.attention.storeId ?? ''} 按已验证的标识找到多个主体。请先确认请求人是谁，再决定如何处理；重新运行不会改变结果。`,
            en: `The workflow stopped (${detail.attention.at}): store ${detail.attention.storeId ?? ''} matches more than one data subject for the verified identifiers. Decide who the requester is before anything else; running it again finds the same matches.`,
          }),
        ]
      : detail.attention
        ? [
            bi({
              zh: `流程已中断（${detail.attention.at}）：${detail.attention.reason}。数据源恢复后可重新运行。`,
              en: `The workflow stopped (${detail.attention.at}): ${detail.attention.reason}. Run it again once the store is back.`,
            }),
          ]
        : []),
  );
  const paused = byId('detail-paused');
  paused.hidden = !detail.clock.paused;
  if (detail.clock.paused) {
    paused.replaceChildren(
      bi({
        zh: `计时自 ${detail.clock.pausedSince} 起暂停；若请求人今天答复，期限为 ${detail.clock.dueDateIfResumedToday ?? '—'}`,
        en: `Clock stopped since ${detail.clock.pausedSince}; if the requester answers today, due ${detail.clock.dueDateIfResumedToday ?? '—'}`,
      }),
    );
  }

  byId('detail-zone').textContent = zone;
  const trailLine = auditTrailLine(detail);
  byId('detail-trail').replaceChildren(...(trailLine ? [bi(trailLine)] : []));
  byId('detail-timeline').replaceChildren(
    ...consoleTimelineView(detail).map((entry) =>
      h(
        'li',
        { class: `timeline-entry timeline-${entry.type}` },
        h('time', { datetime: entry.at }, entry.when),
        bi(entry.title),
        h('span', { class: 'timeline-actor' }, bi(entry.actor)),
        entry.note ? h('span', { class: 'timeline-note' }, entry.note.en) : null,
      ),
    ),
  );

  const stores = storeResultsView(detail);
  const work = storeWorkActions(detail, signedIn);
  const confirmable = new Map(work.confirm.map((task) => [task.storeId, task.action]));
  byId('store-results').replaceChildren(
    ...(stores.length
      ? stores.map((store) =>
          h(
            'li',
            {},
            h('code', {}, store.storeId),
            ' ',
            h('span', { class: `badge badge-${store.tone}` }, bi(store.label)),
            store.summary ? h('span', { class: 'store-summary' }, store.summary.en) : null,
            store.when ? h('time', { class: 'store-when' }, store.when) : null,
            confirmable.has(store.storeId)
              ? confirmForm(store.storeId, confirmable.get(store.storeId))
              : null,
          ),
        )
      : [h('li', { class: 'hint' }, bi({ zh: '尚无数据源结果', en: 'No store results yet' }))]),
  );

  byId('notes').replaceChildren(
    ...detail.notes.map((note) =>
      h(
        'li',
        { class: 'note' },
        h('p', { class: 'note-meta' }, `${note.by} · ${formatInstant(note.at, zone)}`),
        h('p', { class: 'note-text' }, note.text),
      ),
    ),
  );

  const actions = detailActions(detail, signedIn, facts);
  byId('note-form').hidden = !actions.note;
  byId('assign-form').hidden = !actions.assignToMe;
  byId('extend-form').hidden = !actions.extend;
  byId<HTMLTextAreaElement>('extend-reason').required = actions.extensionReasonRequired;
  const refuseForm = byId('refuse-form');
  refuseForm.hidden = !actions.refuse;
  if (actions.refuse) {
    const grounds = document.querySelector<HTMLTemplateElement>(
      `template[data-refusal-grounds="${detail.policy.id}"]`,
    );
    const select = byId('refuse-ground');
    select.replaceChildren(...(grounds ? [grounds.content.cloneNode(true)] : []));
  }
  const identity = identityReviewForm(detail, signedIn);
  drawIdentityForm(detail.policy.id, identity);
  byId('actions').hidden = !(
    actions.note ||
    actions.assignToMe ||
    actions.extend ||
    actions.refuse ||
    identity !== null
  );
  byId('redrive-form').hidden = !work.redrive;
  byId('revoke-form').hidden = !work.revokeLinks;
  showApproval(approvalAction(detail, signedIn));
  detailSection.hidden = false;
}

/** The approve form, the reason it is waited for, and the offline check where the policy needs one. */
function showApproval(action: ReturnType<typeof approvalAction>): void {
  const section = byId('approval');
  section.hidden = action === null;
  if (action === null) return;
  const form = byId('approve-form');
  form.hidden = action.kind !== 'form';
  byId('approval-why').replaceChildren(bi(action.kind === 'form' ? action.reasons : action.text));
  if (action.kind === 'form') byId('approve-offline').hidden = !action.offlineCheckRequired;
}

async function loadDetail(requestId: string): Promise<void> {
  queueSection.hidden = true;
  detailSection.setAttribute('aria-busy', 'true');
  const result = await consoleCall<ConsoleDetail>(
    'GET',
    `/v1/console/requests/${encodeURIComponent(requestId)}`,
  );
  detailSection.removeAttribute('aria-busy');
  if (!result.ok) {
    detailSection.hidden = true;
    if (session) announce(consoleMessage, notice(consoleProblem(result).message, true));
    return;
  }
  announce(consoleMessage);
  shownDetail = result.data;
  drawDetail(shownDetail);
}

/** The queue, or the request the fragment names. */
function route(): void {
  if (!session) return;
  // Not decoded: request ids need no escapes, and a malformed escape must not throw.
  const requestId = location.hash.slice(1);
  for (const outcome of document.querySelectorAll('.action-outcome')) announce(outcome);
  if (/^dsr-[0-9a-f-]+$/.test(requestId)) loadDetail(requestId);
  else showQueue();
}

/** Posts one action form's body; on success redraws the request, else says why next to the form. */
async function runAction(form: HTMLElement, path: string, body: unknown): Promise<boolean> {
  const outcome = form.querySelector('.action-outcome') as HTMLElement;
  const button = form.querySelector('button') as HTMLButtonElement;
  const requestId = (shownDetail as ConsoleDetail).requestId;
  announce(outcome);
  button.disabled = true;
  form.setAttribute('aria-busy', 'true');
  const result = await consoleCall(
    'POST',
    `/v1/console/requests/${encodeURIComponent(requestId)}${path}`,
    body,
  );
  form.removeAttribute('aria-busy');
  button.disabled = false;
  if (!result.ok) {
    if (session) announce(outcome, notice(consoleProblem(result).message, true));
    return false;
  }
  await loadDetail(requestId);
  return true;
}

/** A named control of the form an event was submitted from. */
function control(event: Event, name: string): HTMLInputElement {
  return (event.target as HTMLFormElement).elements.namedItem(name) as HTMLInputElement;
}

signInForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const problem = signIn(tokenInput.value);
  announce(signInError, ...(problem ? [bi(problem)] : []));
  if (problem) tokenInput.focus();
});
byId('sign-out').addEventListener('click', () => {
  signOut(null);
  history.replaceState(null, '', location.pathname);
});
filterForm.addEventListener('submit', (event) => {
  event.preventDefault();
  loadQueue(false);
});
byId('filter-mine').addEventListener('click', () => {
  (filterForm.elements.namedItem('assignee') as HTMLInputElement).value = current().user;
  loadQueue(false);
});
queueMore.addEventListener('click', () => loadQueue(true));
byId('note-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = control(event, 'text');
  if (text.value.trim() === '') {
    text.focus();
    return;
  }
  if (await runAction(event.target as HTMLFormElement, '/notes', { text: text.value })) text.value = '';
});
byId('assign-me').addEventListener('click', () => {
  runAction(byId('assign-form'), '/assign', { assignee: current().user });
});
byId('extend-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const reason = control(event, 'reason').value.trim();
  runAction(event.target as HTMLFormElement, '/extend', reason === '' ? {} : { reason });
});
byId('refuse-form').addEventListener('submit', (event) => {
  event.preventDefault();
  runAction(event.target as HTMLFormElement, '/refuse', {
    ground: control(event, 'ground').value,
    reason: control(event, 'reason').value,
  });
});
byId('approve-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const note = control(event, 'note').value.trim();
  const offline = !byId('approve-offline').hidden;
  runAction(event.target as HTMLFormElement, '/approve', {
    ...(note === '' ? {} : { note }),
    ...(offline
      ? {
          offlineCheck: {
            method: control(event, 'offlineMethod').value,
            risksExplained: control(event, 'risksExplained').checked,
          },
        }
      : {}),
  });
});
byId('identity-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target as HTMLFormElement;
  const ticked = Array.from(
    form.querySelectorAll<HTMLInputElement>('input[name="identifiers"]:checked'),
    (input) => input.value,
  );
  const answer = identityApprovalBody({
    method: control(event, 'method').value,
    note: control(event, 'note').value,
    evidenceKey: control(event, 'evidenceKey').value,
    identifiers: ticked,
  });
  announce(byId('error-identity-identifiers'));
  announce(byId('error-identity-note'));
  if (!answer.ok) {
    announce(byId(`error-identity-${answer.field}`), bi(answer.message));
    if (answer.field === 'note') byId('identity-note').focus();
    else form.querySelector<HTMLInputElement>('input[name="identifiers"]')?.focus();
    return;
  }
  runAction(form, '/identity', answer.body);
});
byId('identity-reject-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const reason = control(event, 'reason');
  if (reason.value.trim() === '') {
    reason.focus();
    return;
  }
  runAction(event.target as HTMLFormElement, '/identity', {
    decision: 'reject',
    reason: reason.value.trim(),
  });
});
byId('redrive-form').addEventListener('submit', (event) => {
  event.preventDefault();
  runAction(event.target as HTMLFormElement, '/redrive', {});
});
byId('revoke-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const reason = control(event, 'reason');
  const body = reason.value.trim() === '' ? {} : { reason: reason.value.trim() };
  if (await runAction(event.target as HTMLFormElement, '/download-links/revoke', body)) reason.value = '';
});
byId('report-csv').addEventListener('click', downloadReportCsv);
byId('evidence-pack').addEventListener('click', downloadEvidencePack);
calendarImportForm.addEventListener('submit', (event) => {
  event.preventDefault();
  importNotice();
});
byId<HTMLInputElement>('notice-file').addEventListener('change', async (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (file) byId<HTMLTextAreaElement>('notice-text').value = await file.text();
});
window.addEventListener('hashchange', route);

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) {
  const problem = signIn(saved);
  if (problem) signOut(problem);
}
