import { describe, expect, it } from 'vitest';
import { callerFromClaims } from '../../../adapters/lambda/console-caller';
import { CONSOLE_AUTHORISATION, CONSOLE_ROLES, mayCall } from '../../../definitions/console-roles';
import { IdentityReviewSchema } from '../../../domain/console/console-input';
import type { ConsoleDetail } from '../../../web/client/console-model';
import * as consoleModel from '../../../web/client/console-model';
import { countdownView } from '../../../web/client/status-model';

/** A row of GET /v1/console/requests (domain/console/view.ts requestSummary). */
interface QueueRow {
  requestId: string;
  type: string | null;
  status: string;
  policyId: string;
  channel: string;
  dueDate: string | null;
  daysLeft?: number;
  workingDaysLeft?: number;
  overdue: boolean;
  paused: boolean;
  assignee: string | null;
  mailFlags?: string[];
}

/** The console's model, and the status page's countdown it shares. */
const model = { ...consoleModel, countdownView };

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An unsigned token: the page only reads the payload, the API checks the signature. */
function aToken(payload: Record<string, unknown>): string {
  return `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url(payload)}.c2lnbmF0dXJl`;
}

function aRow(overrides: Partial<QueueRow> = {}): QueueRow {
  return {
    requestId: 'dsr-00000000-0000-4000-8000-000000000001',
    type: 'access',
    status: 'in-progress',
    policyId: 'caftrade',
    channel: 'web',
    dueDate: '2026-12-09',
    daysLeft: 10,
    overdue: false,
    paused: false,
    assignee: null,
    ...overrides,
  };
}

/** GET /v1/console/requests/{id} as the models read it (only the page shows the identifiers). */
type Detail = Omit<ConsoleDetail, 'identifiers'>;

/** A verified request under a 15-calendar-day policy in Shanghai, as GET /v1/console/requests/{id} answers. */
function aDetail(overrides: Partial<Detail> = {}): Detail {
  return {
    requestId: 'dsr-00000000-0000-4000-8000-000000000001',
    type: 'copy',
    status: 'in-progress',
    channel: 'web',
    policy: { id: 'caftrade', name: 'CAftrade', regime: 'pipl', timeZone: 'Asia/Shanghai' },
    receivedAt: '2026-11-24T06:46:01.437Z',
    assignee: null,
    clock: {
      start: 'verification',
      unit: 'calendar-days',
      length: 15,
      dueDate: '2026-12-09',
      daysLeft: 10,
      overdue: false,
      paused: false,
      pausedUnits: 0,
      extended: false,
    },
    notes: [],
    storeResults: {},
    timeline: [
      {
        seq: 1,
        at: '2026-11-24T06:46:01.437Z',
        type: 'request-received',
        actor: { kind: 'requester', id: 'web' },
      },
      {
        seq: 2,
        at: '2026-11-24T06:50:00.000Z',
        type: 'identity-verified',
        actor: { kind: 'requester', id: 'web' },
      },
      {
        seq: 3,
        at: '2026-11-24T06:50:00.000Z',
        type: 'status-changed',
        actor: { kind: 'system', id: 'verify' },
        details: { from: 'pending-verification', to: 'verified' },
      },
    ],
    ...overrides,
  };
}

const NOW = Date.parse('2026-11-26T00:00:00Z') / 1000;

describe('the console page model: signing in', () => {
  it('reads the user and roles from a local token the way the API does', () => {
    const claims = { username: 'alice', 'cognito:groups': ['agent'], exp: NOW + 3600 };
    expect(model.sessionView(aToken(claims), NOW)).toEqual({
      valid: true,
      user: 'alice',
      roles: ['agent'],
      expiresAt: new Date((NOW + 3600) * 1000).toISOString(),
      expired: false,
    });
    expect(callerFromClaims(claims)).toMatchObject({ agentId: 'alice', roles: ['agent'] });
  });

  it.each([
    {
      case: 'Cognito groups as an array',
      claims: { 'cognito:username': 'sam', 'cognito:groups': ['supervisor'] },
    },
    { case: 'a roles claim as a list', claims: { sub: 'sam', roles: 'supervisor,auditor' } },
    {
      case: 'groups as API Gateway flattens them',
      claims: { username: 'sam', 'cognito:groups': '[supervisor auditor]' },
    },
  ])('finds the same user and roles as the API with $case', ({ claims }) => {
    const view = model.sessionView(aToken(claims), NOW);
    const caller = callerFromClaims(claims);
    expect(view.user).toBe(caller.agentId);
    expect(view.roles).toEqual(caller.roles);
  });

  it('keeps roles the console does not know out of the session', () => {
    expect(model.sessionView(aToken({ username: 'eve', roles: ['admin', 'agent'] }), NOW).roles).toEqual([
      'agent',
    ]);
  });

  it('decodes a payload with Chinese text, as UTF-8', () => {
    expect(model.decodeJwtPayload(aToken({ name: '王芳', username: 'wang' }))).toEqual({
      name: '王芳',
      username: 'wang',
    });
  });

  it.each(['', 'not a token', 'a.b', 'a.!!!.c', `x.${Buffer.from('[1]').toString('base64url')}.y`])(
    'refuses %j as a token',
    (text) => {
      expect(model.sessionView(text, NOW).valid).toBe(false);
    },
  );

  it('refuses a token that names no usable user', () => {
    expect(model.sessionView(aToken({ roles: ['agent'] }), NOW).valid).toBe(false);
    expect(model.sessionView(aToken({ username: 'has spaces', roles: ['agent'] }), NOW).valid).toBe(false);
  });

  it('says when the token has expired, by the clock it is given', () => {
    const token = aToken({ username: 'alice', roles: ['agent'], exp: NOW });
    expect(model.sessionView(token, NOW).expired).toBe(true);
    expect(model.sessionView(token, NOW - 1).expired).toBe(false);
  });

  it('allows exactly what the role matrix allows, route by route and role by role', () => {
    for (const route of Object.keys(CONSOLE_AUTHORISATION)) {
      for (const role of CONSOLE_ROLES) {
        expect(model.roleMayCall(route, [role])).toBe(mayCall(route, [role]));
      }
    }
    expect(model.roleMayCall('POST /v1/console/requests/{id}/unknown', ['supervisor'])).toBe(false);
  });
});

describe('the console page model: the work queue', () => {
  it('asks only for the filters that are set, with the cursor for a further page', () => {
    expect(model.queuePath({}, null)).toBe('/v1/console/requests');
    expect(
      model.queuePath(
        { status: 'verified', type: '', overdue: 'true', assignee: ' alice ', sort: 'x' },
        'abc',
      ),
    ).toBe('/v1/console/requests?status=verified&overdue=true&assignee=alice&cursor=abc');
  });

  it('marks a row whose mail failed SPF or DMARC, and no other', () => {
    expect(model.queueMailMark(aRow({ mailFlags: ['suspected-spoofing'] }))?.en).toBe(
      'Suspected spoofing: check identity',
    );
    expect(model.queueMailMark(aRow({ mailFlags: ['spam'] }))).toBeNull();
    expect(model.queueMailMark(aRow())).toBeNull();
  });

  it('lists rows by due date across pages, clocks not started last, each request once', () => {
    const first = [
      aRow({ requestId: 'dsr-b', dueDate: '2026-12-01' }),
      aRow({ requestId: 'dsr-c', dueDate: null }),
    ];
    const second = [
      aRow({ requestId: 'dsr-a', dueDate: '2026-12-01' }),
      aRow({ requestId: 'dsr-d', dueDate: '2026-11-20' }),
      aRow({ requestId: 'dsr-b', dueDate: '2026-12-01', assignee: 'alice' }),
    ];
    const merged = model.mergeQueueRows(first, second);
    expect(merged.map((row) => row.requestId)).toEqual(['dsr-d', 'dsr-a', 'dsr-b', 'dsr-c']);
    expect(merged.find((row) => row.requestId === 'dsr-b')?.assignee).toBe('alice');
  });

  it.each([
    { case: 'overdue', row: { daysLeft: -2, overdue: true }, tone: 'overdue', en: '2 days overdue' },
    { case: 'due today', row: { daysLeft: 0 }, tone: 'soon', en: 'Due today' },
    { case: 'due in 1 day', row: { daysLeft: 1 }, tone: 'soon', en: '1 day left' },
    { case: 'due in 3 days', row: { daysLeft: 3 }, tone: 'soon', en: '3 days left' },
    { case: 'due in 4 days', row: { daysLeft: 4 }, tone: 'ok', en: '4 days left' },
    {
      case: 'waiting for the code',
      row: { dueDate: null, daysLeft: undefined },
      tone: 'pending',
      en: 'Clock not started',
    },
    { case: 'paused', row: { daysLeft: 6, paused: true }, tone: 'paused', en: 'Clock stopped, 6 days left' },
    {
      case: 'closed, even late',
      row: { status: 'fulfilled', daysLeft: -3, overdue: true },
      tone: 'closed',
      en: 'Closed, due 2026-12-09',
    },
  ])('shows a $tone chip for a request $case', ({ row, tone, en }) => {
    const chip = model.dueChip(aRow(row));
    expect(chip.tone).toBe(tone);
    expect(chip.text.en).toBe(en);
    expect(chip.text.zh).toMatch(/\p{Script=Han}/u);
  });

  it('adds working days left only for policies whose clock counts working days', () => {
    const row = aRow({ daysLeft: 9, workingDaysLeft: 7 });
    expect(model.dueChip(row, 'calendar-days').working).toBeUndefined();
    expect(model.dueChip(row, 'working-days').working).toEqual({ zh: '7 个工作日', en: '7 working days' });
    expect(model.dueChip(aRow({ daysLeft: 5, workingDaysLeft: 1 }), 'working-days').working?.en).toBe(
      '1 working day',
    );
  });

  it('speaks of the requester, not to them, in the status badge', () => {
    expect(model.consoleStatusView('awaiting-requester')).toEqual({
      label: { zh: '等待请求人回复', en: 'Waiting for the requester' },
      tone: 'waiting',
      open: true,
    });
    expect(model.consoleStatusView('refused').open).toBe(false);
  });
});

describe('the console page model: one request', () => {
  it('draws the countdown with the status page function from the console clock', () => {
    expect(model.countdownView(model.detailAsStatus(aDetail()))).toEqual({
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

  it('warns the agent of a request whose mail may have a forged sender, and of spam', () => {
    expect(model.mailFlagsNotice(aDetail())).toBeNull();
    expect(model.mailFlagsNotice(aDetail({ mailFlags: ['suspected-spoofing'] }))?.en).toMatch(
      /^Suspected spoofing: .*No code was sent/,
    );
    const both = model.mailFlagsNotice(aDetail({ mailFlags: ['suspected-spoofing', 'spam'] }));
    expect(both?.zh).toContain('疑似冒用发件人');
    expect(both?.en).toContain('spam');
  });

  it('says an overdue open request is overdue', () => {
    const detail = aDetail({
      clock: { ...aDetail().clock, daysLeft: -2, overdue: true },
    });
    expect(model.countdownView(model.detailAsStatus(detail))).toMatchObject({
      state: 'overdue',
      daysOverdue: 2,
    });
  });

  it("lists the audit trail oldest first, on the policy's wall clock, with who did what", () => {
    const detail = aDetail({
      timeline: [
        {
          seq: 4,
          at: '2026-11-25T02:00:00.000Z',
          type: 'note-added',
          actor: { kind: 'agent', id: 'alice' },
          details: { note: 1, sha256: 'ab' },
        },
        ...aDetail().timeline,
      ],
    });
    const view = model.consoleTimelineView(detail);
    expect(view.map((entry) => entry.type)).toEqual([
      'request-received',
      'identity-verified',
      'status-changed',
      'note-added',
    ]);
    expect(view[2]).toMatchObject({
      when: '2026-11-24 14:50',
      title: { en: 'Status: Verified' },
      actor: { zh: '系统', en: 'System' },
    });
    expect(view[3]).toEqual({
      at: '2026-11-25T02:00:00.000Z',
      when: '2026-11-25 10:00',
      type: 'note-added',
      title: { zh: '已添加备注', en: 'Note added' },
      actor: { zh: '工作人员', en: 'Agent alice' },
      note: { zh: '第 1 条备注', en: 'Note 1' },
    });
  });

  it('summarises what each data store did, stores in name order', () => {
    const detail = aDetail({
      storeResults: {
        orders: { status: 'exported', recordCount: 3, stagingKey: 'k', at: '2026-11-24T07:00:00Z' },
        crm: { status: 'failed', reason: 'Connection refused', at: '2026-11-24T07:00:00Z' },
        paper: {
          status: 'waiting-for-agent',
          since: '2026-11-24T07:00:00Z',
          instructions: 'Check the archive',
        },
      },
    });
    expect(model.storeResultsView(detail)).toEqual([
      {
        storeId: 'crm',
        label: { zh: '失败', en: 'Failed' },
        tone: 'stopped',
        summary: { zh: 'Connection refused', en: 'Connection refused' },
        when: '2026-11-24 15:00',
      },
      {
        storeId: 'orders',
        label: { zh: '已导出', en: 'Exported' },
        tone: 'done',
        summary: { zh: '3 条记录', en: '3 records' },
        when: '2026-11-24 15:00',
      },
      {
        storeId: 'paper',
        label: { zh: '等待人工处理', en: 'Waiting for an agent' },
        tone: 'waiting',
        summary: { zh: 'Check the archive', en: 'Check the archive' },
        when: '2026-11-24 15:00',
      },
    ]);
  });

  it.each([
    {
      case: 'an agent on unassigned work',
      session: { user: 'alice', roles: ['agent'] },
      detail: {},
      actions: { note: true, assignToMe: true, extend: false, refuse: false },
    },
    {
      case: 'an agent on work assigned to someone else',
      session: { user: 'alice', roles: ['agent'] },
      detail: { assignee: 'bob' },
      actions: { note: true, assignToMe: false, extend: false, refuse: false },
    },
    {
      case: 'an agent on their own work',
      session: { user: 'alice', roles: ['agent'] },
      detail: { assignee: 'alice' },
      actions: { note: true, assignToMe: false, extend: false, refuse: false },
    },
    {
      case: 'a supervisor on work assigned to someone else',
      session: { user: 'sam', roles: ['supervisor'] },
      detail: { assignee: 'bob' },
      actions: { note: true, assignToMe: true, extend: true, refuse: true },
    },
    {
      case: 'a supervisor on an extended request',
      session: { user: 'sam', roles: ['supervisor'] },
      detail: { clock: { ...aDetail().clock, extended: true } },
      actions: { note: true, assignToMe: true, extend: false, refuse: true },
    },
    {
      case: 'a supervisor on a closed request',
      session: { user: 'sam', roles: ['supervisor'] },
      detail: { status: 'fulfilled' },
      actions: { note: true, assignToMe: false, extend: false, refuse: false },
    },
    {
      case: 'an auditor',
      session: { user: 'ada', roles: ['auditor'] },
      detail: {},
      actions: { note: false, assignToMe: false, extend: false, refuse: false },
    },
  ])('offers $case only the actions the role matrix allows', ({ session, detail, actions }) => {
    expect(model.detailActions(aDetail(detail), session, { extension: 'reason-optional' })).toMatchObject(
      actions,
    );
  });

  it('offers no extension where the policy has none, and asks for a reason where it requires one', () => {
    const supervisor = { user: 'sam', roles: ['supervisor'] };
    expect(model.detailActions(aDetail(), supervisor, { extension: 'none' }).extend).toBe(false);
    expect(model.detailActions(aDetail(), supervisor, { extension: 'reason-required' })).toMatchObject({
      extend: true,
      extensionReasonRequired: true,
    });
  });
});

describe('the console page model: identity review', () => {
  const agent = { user: 'alice', roles: ['agent'] };
  const pending = {
    ...aDetail({ status: 'pending-verification', evidenceKeys: ['dsr-1/attachment-1'] }),
    identifiers: [
      { kind: 'email', masked: 's***@example.com', verified: false },
      { kind: 'accountId', masked: 'u***9', verified: false },
    ],
  };

  it('offers a checkbox per identifier, masked, while identity is open and the role may review it', () => {
    expect(model.identityReviewForm(pending, agent)).toEqual({
      identifiers: [
        {
          kind: 'email',
          label: { zh: '电子邮箱', en: 'Email' },
          masked: 's***@example.com',
          verified: false,
        },
        { kind: 'accountId', label: { zh: '账号', en: 'Account id' }, masked: 'u***9', verified: false },
      ],
      evidenceKeys: ['dsr-1/attachment-1'],
    });
    expect(model.identityReviewForm({ ...pending, status: 'verified' }, agent)).toBeNull();
    expect(model.identityReviewForm(pending, { user: 'aude', roles: ['auditor'] })).toBeNull();
  });

  it('sends only the ticked identifiers, and asks for one and for a note before sending anything', () => {
    const values = { method: 'id-document', note: ' Passport ', evidenceKey: '', identifiers: ['email'] };
    expect(model.identityApprovalBody(values)).toEqual({
      ok: true,
      body: { decision: 'approve', method: 'id-document', note: 'Passport', identifiers: ['email'] },
    });
    expect(model.identityApprovalBody({ ...values, evidenceKey: 'dsr-1/attachment-1' })).toMatchObject({
      body: { evidenceKey: 'dsr-1/attachment-1' },
    });
    expect(model.identityApprovalBody({ ...values, identifiers: [] })).toMatchObject({
      ok: false,
      field: 'identifiers',
    });
    expect(model.identityApprovalBody({ ...values, note: ' ' })).toMatchObject({ ok: false, field: 'note' });
  });

  it('builds a body the identity review API accepts', () => {
    const answer = model.identityApprovalBody({
      method: 'phone-callback',
      note: 'Called back',
      evidenceKey: '',
      identifiers: ['email', 'phone'],
    });
    expect(answer.ok && IdentityReviewSchema.safeParse(answer.body).success).toBe(true);
  });
});

const WAITING = {
  status: 'waiting-for-agent',
  since: '2026-11-24T07:00:00.000Z',
  instructions: 'Search the paper archive',
  taskId: 'task-1',
  action: 'export',
  timeoutHours: 72,
};
const FAILED = { status: 'failed', at: '2026-11-24T07:00:00.000Z', reason: 'timed out' };
const EXPORTED = { status: 'exported', at: '2026-11-24T07:00:00.000Z', recordCount: 3 };

describe('the console page model: store work', () => {
  const agent = { user: 'alice', roles: ['agent'] };

  it('offers to confirm each open manual task, not one already confirmed', () => {
    const detail = aDetail({
      storeResults: {
        paper: WAITING,
        ledger: { ...WAITING, action: 'erase' },
        archive: { ...WAITING, completed: { by: 'bob', at: '2026-11-24T08:00:00.000Z' } },
        crm: EXPORTED,
      },
    });
    expect(model.storeWorkActions(detail, agent).confirm).toEqual([
      { storeId: 'ledger', action: 'erase' },
      { storeId: 'paper', action: 'export' },
    ]);
  });

  it.each([
    {
      case: 'a closed request',
      detail: { status: 'fulfilled', storeResults: { paper: WAITING } },
      roles: ['agent'],
    },
    { case: 'an auditor', detail: { storeResults: { paper: WAITING } }, roles: ['auditor'] },
  ])('offers no manual task confirmation on $case', ({ detail, roles }) => {
    expect(model.storeWorkActions(aDetail(detail), { user: 'ada', roles }).confirm).toEqual([]);
  });

  it.each<{ status: string; storeResults: Detail['storeResults']; redrive: boolean }>([
    { status: 'in-progress', storeResults: { crm: FAILED }, redrive: true },
    { status: 'partially-fulfilled', storeResults: { crm: FAILED, paper: EXPORTED }, redrive: true },
    { status: 'in-progress', storeResults: { paper: EXPORTED }, redrive: false },
    { status: 'cancelled', storeResults: { crm: FAILED }, redrive: false },
  ])(
    'offers a redrive of a $status request only when a store has failed ($redrive)',
    ({ status, storeResults, redrive }) => {
      expect(model.storeWorkActions(aDetail({ status, storeResults }), agent).redrive).toBe(redrive);
    },
  );

  it('offers no redrive to an auditor', () => {
    const detail = aDetail({ storeResults: { crm: FAILED } });
    expect(model.storeWorkActions(detail, { user: 'ada', roles: ['auditor'] }).redrive).toBe(false);
  });

  it.each([
    { type: 'copy', status: 'fulfilled', roles: ['agent'], revokeLinks: true },
    { type: 'access', status: 'in-progress', roles: ['supervisor'], revokeLinks: true },
    { type: 'deletion', status: 'fulfilled', roles: ['agent'], revokeLinks: false },
    { type: 'copy', status: 'fulfilled', roles: ['auditor'], revokeLinks: false },
  ])(
    'offers to revoke the links of a $type request to $roles: $revokeLinks',
    ({ type, status, roles, revokeLinks }) => {
      expect(model.storeWorkActions(aDetail({ type, status }), { user: 'ada', roles }).revokeLinks).toBe(
        revokeLinks,
      );
    },
  );

  it.each<{ action: string; values: Record<string, string>; body: Record<string, unknown> }>([
    {
      action: 'export',
      values: { files: '2', records: '14', note: ' Posted by registered mail ' },
      body: { exported: { files: 2, records: 14 }, note: 'Posted by registered mail' },
    },
    {
      action: 'erase',
      values: { deleted: '5', retained: '1', retainedBases: 'Tax law, 10 years\n\n  ', note: '' },
      body: { deleted: 5, retained: 1, retainedBases: ['Tax law, 10 years'] },
    },
    { action: 'search', values: { files: '3', note: 'Nothing found' }, body: { note: 'Nothing found' } },
    { action: 'export', values: { files: '', records: '' }, body: {} },
  ])('turns the confirm form of a $action task into the API body', ({ action, values, body }) => {
    expect(model.manualTaskBody(action, values)).toEqual(body);
  });
});

function counts(overrides: Record<string, number | null> = {}) {
  return {
    received: 10,
    open: 4,
    dueWithin3Days: 1,
    overdue: 0,
    breached: 0,
    closed: 6,
    closedOnTime: 5,
    closedLate: 1,
    closedTimingUnknown: 0,
    closedWithoutDueDate: 0,
    medianDaysToClose: 7,
    ...overrides,
  };
}

describe('the console page model: reports', () => {
  const report = {
    asOf: '2026-11-24T10:00:00.000Z',
    receivedFrom: null,
    receivedTo: null,
    dueSoonDays: 3,
    overall: counts({ overdue: 2 }),
    byPolicy: [
      { policyId: 'caftrade', today: '2026-11-24', ...counts({ medianDaysToClose: null }) },
      { policyId: 'retired', today: '2026-11-24', ...counts() },
    ],
    byChannel: [],
  };

  it('shows the overall figures as tiles, overdue and late in the alert tone when not zero', () => {
    const view = model.reportView(report, { caftrade: 'CAftrade' });
    expect(view.tiles.map((tile) => [tile.key, tile.value, tile.tone])).toEqual([
      ['open', '4', 'plain'],
      ['dueWithin3Days', '1', 'plain'],
      ['overdue', '2', 'alert'],
      ['breached', '0', 'plain'],
      ['closedOnTime', '5', 'plain'],
      ['closedLate', '1', 'alert'],
      ['medianDaysToClose', '7', 'plain'],
    ]);
    expect(view.columns).toHaveLength(view.tiles.length);
  });

  it('names each policy as the page does, falling back to its id, and shows a missing median as a dash', () => {
    const view = model.reportView(report, { caftrade: 'CAftrade' });
    expect(view.policies).toEqual([
      { policyId: 'caftrade', name: 'CAftrade', figures: ['4', '1', '0', '0', '5', '1', '—'] },
      { policyId: 'retired', name: 'retired', figures: ['4', '1', '0', '0', '5', '1', '7'] },
    ]);
  });

  it('names the saved CSV after the day it was fetched', () => {
    expect(model.reportFileName('2026-11-24T23:59:00.000Z')).toBe('dsar-report-2026-11-24.csv');
  });
});

describe('the console page model: problems', () => {
  it('says plainly that a 401 means signing in again, whatever the body', () => {
    expect(model.consoleProblem({ status: 401, problem: { code: 'unknown', message: 'HTTP 401' } })).toEqual({
      code: 'unauthorized',
      message: { zh: '未登录或登录已过期，请重新粘贴令牌', en: 'Not signed in, or the token has expired' },
    });
  });

  it("keeps the API's reason for a 403, which names the roles allowed", () => {
    const message = 'Role agent may not call POST /v1/console/requests/{id}/refuse; allowed: supervisor';
    expect(model.consoleProblem({ status: 403, problem: { code: 'forbidden', message } })).toEqual({
      code: 'forbidden',
      message: { zh: '您的角色无权执行此操作', en: message },
    });
  });

  it("shows another problem with the API's message and its field", () => {
    expect(
      model.consoleProblem({
        status: 400,
        problem: { code: 'invalid-field', message: 'reason: too short', field: 'reason' },
      }),
    ).toEqual({
      code: 'invalid-field',
      field: 'reason',
      message: { zh: '请检查此项', en: 'reason: too short' },
    });
  });
});
