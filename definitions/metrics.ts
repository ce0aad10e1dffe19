/**
 * The custom metrics the operators' alarms watch (infra/constructs/observability/operations.ts), by the
 * name the functions emit them under (Powertools Metrics, namespace and service in
 * infra/constructs/secure-defaults.ts). One name for both sides, so an alarm never watches a metric
 * nobody emits.
 */

/** Emitted by the sweep's reply timers for each request past its due date. */
export const DEADLINE_BREACHES_METRIC = 'DeadlineBreaches';

/**
 * Emitted (value 1) by every sweep from 1 November while next year's State Council holiday notice is
 * not imported: dates counted into that year stay provisional until it is.
 */
export const CALENDAR_YEAR_MISSING_METRIC = 'CalendarYearMissing';

/**
 * Emitted (1 per request) when the sweep's reconciler finds a request whose fulfilment workflow
 * stopped and moves it to needs-attention (app/timers/reconcile-workflows.ts).
 */
export const STUCK_REQUESTS_METRIC = 'StuckRequests';

/**
 * Emitted (value 1) by every sweep whose due audit anchor could not be written (app/timers/sweep.ts):
 * trails are not anchored until it is.
 */
export const AUDIT_ANCHOR_FAILED_METRIC = 'AuditAnchorFailed';

/** Emitted (1 per wrong code) by VerifyRequest: a burst is someone guessing codes. */
export const WRONG_VERIFICATION_CODE_METRIC = 'WrongVerificationCode';

/** Emitted when a request's verification locks, by its own five tries or by its subject's limit. */
export const VERIFICATION_LOCKED_METRIC = 'VerificationLocked';

/**
 * Emitted by intake when a request gets no code because its subject's limits were reached
 * (domain/intake-limits.ts): it waits for an agent.
 */
export const IDENTITY_HELD_METRIC = 'IdentityHeld';
