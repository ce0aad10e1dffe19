/**
 * Who may do what in the console, as data: one row per console route, one
 * column per role. `consoleApi` (adapters/lambda/console-api.ts) enforces the row of the route
 * it serves before the handler runs, for every console handler, so a route
 * cannot be added without deciding its row (the unit test checks that every
 * console route in the route table has one).
 *
 * Rules a route alone cannot decide (they depend on the request or the
 * parameters) are listed in CONSOLE_PRIVILEGES, also by role, and checked by
 * the handler that needs them.
 *
 * Pure data, no AWS imports, in definitions/ because every layer reads it: the
 * console handlers enforce it, the console page (web/client/console-model.ts)
 * offers only the forms a role may use, `npx dsar token` (cli/) issues its
 * roles, and the tests check it.
 */

/** The console's roles: Cognito groups on AWS (`cognito:groups`), or a `roles` claim from an outside issuer. */
export const CONSOLE_ROLES = ['agent', 'supervisor', 'auditor'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

type Row = Readonly<Record<ConsoleRole, boolean>>;

const EVERYONE: Row = { agent: true, supervisor: true, auditor: true };
/** Case work: agents and supervisors act, auditors only read. */
const CASE_WORKERS: Row = { agent: true, supervisor: true, auditor: false };
/** Decisions the law or the policy reserves to someone with authority: refusals and extensions. */
const SUPERVISORS: Row = { agent: false, supervisor: true, auditor: false };
/** What is handed to a regulator: supervisors and auditors, who answer for the handling, not the case workers. */
const SUPERVISORS_AND_AUDITORS: Row = { agent: false, supervisor: true, auditor: true };

export const CONSOLE_AUTHORISATION = {
  'GET /v1/console/requests': EVERYONE,
  'GET /v1/console/requests/{id}': EVERYONE,
  'GET /v1/console/reports': EVERYONE,
  'POST /v1/console/requests': CASE_WORKERS,
  'POST /v1/console/requests/{id}/triage': CASE_WORKERS,
  'POST /v1/console/requests/{id}/identity': CASE_WORKERS,
  'POST /v1/console/requests/{id}/awaiting-requester': CASE_WORKERS,
  'POST /v1/console/requests/{id}/resume': CASE_WORKERS,
  // Agents approve what the policy asks approval for; supervisor-only approvals are a privilege below.
  'POST /v1/console/requests/{id}/approve': CASE_WORKERS,
  'POST /v1/console/requests/{id}/refuse': SUPERVISORS,
  'POST /v1/console/requests/{id}/extend': SUPERVISORS,
  'POST /v1/console/requests/{id}/notes': CASE_WORKERS,
  'POST /v1/console/requests/{id}/assign': CASE_WORKERS,
  'POST /v1/console/requests/{id}/repeat': CASE_WORKERS,
  // Changes the subject's data in the registered stores (PIPL art. 46), within the registry's allow-lists.
  'POST /v1/console/requests/{id}/corrections': CASE_WORKERS,
  'POST /v1/console/requests/{id}/stores/{storeId}/done': CASE_WORKERS,
  'POST /v1/console/requests/{id}/redrive': CASE_WORKERS,
  'POST /v1/console/requests/{id}/download-links/revoke': CASE_WORKERS,
  // The evidence pack (masked identifiers only); each download is audited on the request's trail.
  'GET /v1/console/requests/{id}/evidence': SUPERVISORS_AND_AUDITORS,
  // The official calendars: everyone reads which years are official (and sees a date is provisional);
  // importing a notice changes every deadline counted on it, so it is a supervisor's decision.
  'GET /v1/console/calendars': EVERYONE,
  'PUT /v1/console/calendars/{calendarId}/notices/{year}': SUPERVISORS,
} as const satisfies Readonly<Record<string, Row>>;

export type ConsoleRouteKey = keyof typeof CONSOLE_AUTHORISATION;

/** Finer rules, checked inside the handlers named in each comment. */
export const CONSOLE_PRIVILEGES = {
  /** See identifiers in clear (`GET …/{id}?reveal=true`); every reveal is audited. */
  revealIdentifiers: ['supervisor'],
  /** Approve deletion of real-name data (approvalRequired.realNameDeletionNeedsOfflineVerification) and portability. */
  approveSensitiveFulfilment: ['supervisor'],
  /** Assign a request to someone else, or take it from someone else; agents may only claim unassigned work. */
  reassign: ['supervisor'],
} as const satisfies Readonly<Record<string, readonly ConsoleRole[]>>;

export type ConsolePrivilege = keyof typeof CONSOLE_PRIVILEGES;

export function isConsoleRouteKey(routeKey: string): routeKey is ConsoleRouteKey {
  return Object.hasOwn(CONSOLE_AUTHORISATION, routeKey);
}

/** Whether any of `roles` may call the route; a route without a row is closed to everyone. */
export function mayCall(routeKey: string, roles: readonly ConsoleRole[]): boolean {
  if (!isConsoleRouteKey(routeKey)) return false;
  const row: Row = CONSOLE_AUTHORISATION[routeKey];
  return roles.some((role) => row[role]);
}

export function hasPrivilege(privilege: ConsolePrivilege, roles: readonly ConsoleRole[]): boolean {
  const holders: readonly ConsoleRole[] = CONSOLE_PRIVILEGES[privilege];
  return roles.some((role) => holders.includes(role));
}
