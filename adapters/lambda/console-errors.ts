/**
 * Console domain errors as HTTP problems, by name (the shared mapper in
 * adapters/lambda/http-problem.ts handles the pipeline-wide ones:
 * IllegalTransition 409, RequestNotFound 404, StaleRequest 409, …).
 */
import { HttpProblem } from './http-problem';

const CONSOLE_ERROR_STATUS: Readonly<Record<string, { readonly status: number; readonly code: string }>> = {
  // The input does not fit the request's policy or content (the error names the field).
  RequestTypeNotOffered: { status: 400, code: 'type-not-offered' },
  PortabilityTargetRequired: { status: 400, code: 'portability-target-required' },
  InvalidDuplicateTarget: { status: 400, code: 'invalid-duplicate-target' },
  IdentityMethodNotAllowed: { status: 400, code: 'identity-method-not-allowed' },
  EvidenceNotOnRequest: { status: 400, code: 'evidence-not-on-request' },
  EvidenceRequired: { status: 400, code: 'evidence-required' },
  IdentifierNotOnRequest: { status: 400, code: 'identifier-not-on-request' },
  OfflineCheckRequired: { status: 400, code: 'offline-check-required' },
  RefusalGroundNotInPolicy: { status: 400, code: 'refusal-ground-not-in-policy' },
  ExtensionReasonRequired: { status: 400, code: 'extension-reason-required' },
  FeeNotAllowed: { status: 409, code: 'fee-not-allowed' },
  InvalidCursor: { status: 400, code: 'invalid-cursor' },
  ChangeNotCorrectable: { status: 400, code: 'change-not-correctable' },
  ConflictingChanges: { status: 400, code: 'conflicting-changes' },
  RetentionBasisRequired: { status: 400, code: 'retention-basis-required' },
  // The request's state or the policy's rules forbid the action now.
  NotACorrectionRequest: { status: 409, code: 'not-a-correction-request' },
  RequesterNotVerified: { status: 409, code: 'requester-not-verified' },
  CorrectionWhilePaused: { status: 409, code: 'resume-first' },
  RequestNotAwaitingTriage: { status: 409, code: 'not-awaiting-triage' },
  RequestNotTriaged: { status: 409, code: 'not-triaged' },
  IdentityAlreadyVerified: { status: 409, code: 'identity-already-settled' },
  NotAwaitingRequester: { status: 409, code: 'not-awaiting-requester' },
  ResumeFirst: { status: 409, code: 'resume-first' },
  ApprovalNotRequired: { status: 409, code: 'approval-not-required' },
  AlreadyApproved: { status: 409, code: 'already-approved' },
  RequestClosed: { status: 409, code: 'request-closed' },
  NoteLimitReached: { status: 409, code: 'note-limit-reached' },
  ExtensionNotAllowed: { status: 409, code: 'extension-not-allowed' },
  ExtensionCapReached: { status: 409, code: 'extension-cap-reached' },
  ExtensionNoticeLate: { status: 409, code: 'extension-notice-late' },
  PauseNotAllowed: { status: 409, code: 'pause-not-allowed' },
  ManualTaskNotOpen: { status: 409, code: 'manual-task-not-open' },
  NothingToRedrive: { status: 409, code: 'nothing-to-redrive' },
  // The route is open to the caller's role, but this request needs a supervisor.
  SupervisorRequired: { status: 403, code: 'supervisor-required' },
  // Calendar notices (functions/console/calendars.ts): every problem of a bad file is listed, never a 5xx.
  InvalidCalendarData: { status: 400, code: 'invalid-notice' },
  NoticeYearMismatch: { status: 400, code: 'notice-year-mismatch' },
  NoticeAlreadyPresent: { status: 409, code: 'notice-exists' },
  CalendarImportConflict: { status: 409, code: 'conflict' },
};

/** The problem for a console domain error; undefined for anything else (left to the shared mapper). */
export function consoleProblemFor(error: unknown): HttpProblem | undefined {
  if (!(error instanceof Error)) return undefined;
  const known = CONSOLE_ERROR_STATUS[error.name];
  if (!known) return undefined;
  const { field, problems } = error as { field?: unknown; problems?: unknown };
  return new HttpProblem(
    known.status,
    known.code,
    error.message,
    typeof field === 'string' ? field : undefined,
    Array.isArray(problems) ? problems.map(String) : undefined,
  );
}
