/**
 * What every console action does around its domain function: read the request, decide with the policy's
 * "today", write the change and its audit events together (re-deciding on a concurrent write), and tell
 * the requester where the action calls for it, with the outcome on the trail.
 */
import { type CalendarSet, plainDateInZone } from '../../domain/clock';
import type { ActionContext, RecordChange } from '../../domain/console/action';
import { SeparationOfDuties } from '../../domain/console/errors';
import type { EarlierRequest } from '../../domain/console/repeat';
import type { Actor } from '../../domain/lifecycle';
import type { Notice } from '../../domain/notices';
import { getPolicy } from '../../domain/policy/registry';
import type { PolicyProfile } from '../../domain/policy/schema';
import type { RequestRecord } from '../../domain/request-record';
import type { RequestRepository } from '../ports';
import type { ActionDeps, ConsoleUser, NoticeDeps } from './ports';

/**
 * The action's context for a request under `policy`: the caller, now, today in the policy's zone, and
 * the calendars with the imported notices.
 */
export function actionContext(
  caller: Pick<ConsoleUser, 'actor'>,
  policy: PolicyProfile,
  calendars: CalendarSet,
  now: Date,
): ActionContext {
  return {
    actor: caller.actor,
    at: now.toISOString(),
    today: plainDateInZone(now, policy.timeZone),
    calendars,
  };
}

/**
 * Applies a console action to the stored request: `decide` sees the request as stored now (again after
 * a concurrent write) and returns the change, or undefined when there is nothing to write. Domain errors
 * it throws reach the caller as problems by their kind (domain/errors.ts).
 */
export async function changeRequest(
  deps: ActionDeps,
  requestId: string,
  caller: Pick<ConsoleUser, 'actor'>,
  decide: (current: RequestRecord, policy: PolicyProfile, context: ActionContext) => RecordChange | undefined,
): Promise<RequestRecord> {
  const calendars = await deps.calendars.calendars();
  return deps.requests.mutate(requestId, (current) => {
    const policy = getPolicy(current.policyId);
    return decide(current, policy, actionContext(caller, policy, calendars, deps.clock.now()));
  });
}

/**
 * Runs a console action; a separation-of-duties refusal (one user as taker, identity checker and approver)
 * is recorded on the request's trail as `rejected-input` naming the action and the rule, then answers
 * the caller. A failure to record it is logged, never answered instead.
 */
export async function withSeparationRecorded<T>(
  deps: Pick<NoticeDeps, 'requests' | 'clock' | 'log'>,
  requestId: string,
  caller: Pick<ConsoleUser, 'actor'>,
  action: 'approve' | 'identity-review',
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SeparationOfDuties) {
      await deps.requests
        .mutate(requestId, (current) => ({
          next: current,
          events: [
            {
              type: 'rejected-input',
              actor: caller.actor,
              at: deps.clock.now().toISOString(),
              details: { action, error: error.name, rule: error.code },
            },
          ],
        }))
        .catch((recordingError: unknown) => {
          deps.log.error('Refused action not recorded on the trail', {
            requestId,
            errorName: recordingError instanceof Error ? recordingError.name : 'UnknownError',
          });
        });
    }
    throw error;
  }
}

export type NoticeKind = 'refusal' | 'extension' | 'information-request' | 'receipt' | 'correction';

export interface NoticeOutcome {
  readonly sent: boolean;
  /** Why not: the request has no email address, or the mail failed (by error name). */
  readonly reason?: 'no-email-address' | 'mail-failed';
}

/** The answer's fields for a notice: whether it was sent and, if not, why. */
export function noticeFields(notice: NoticeOutcome) {
  return { noticeSent: notice.sent, ...(notice.reason ? { noticeNotSentBecause: notice.reason } : {}) };
}

/**
 * Mails `notice` to the subject's email address and records the outcome on the trail. A request taken by
 * phone may have no address: the agent is told to pass the notice on another way. A failed mail never
 * undoes the action.
 */
export async function notifyRequester(
  deps: NoticeDeps,
  record: RequestRecord,
  kind: NoticeKind,
  notice: Notice,
  actor: Actor,
): Promise<NoticeOutcome> {
  const email = record.identifiers.find((identifier) => identifier.kind === 'email');
  if (!email) return { sent: false, reason: 'no-email-address' };
  let outcome: NoticeOutcome;
  let details: Record<string, unknown>;
  try {
    await deps.mailer.send({ to: email.value, ...notice });
    outcome = { sent: true };
    details = { notice: kind, to: email.masked };
  } catch (error) {
    const errorName = error instanceof Error ? error.name : 'UnknownError';
    deps.log.error('Requester notice not sent', { requestId: record.requestId, notice: kind, errorName });
    deps.log.count('NotificationFailed');
    outcome = { sent: false, reason: 'mail-failed' };
    details = { notice: kind, errorName };
  }
  const type = outcome.sent ? 'notification-sent' : 'notification-failed';
  await deps.requests
    .mutate(record.requestId, (current) => ({
      next: current,
      events: [{ type, actor, at: deps.clock.now().toISOString(), details }],
    }))
    .catch((error: unknown) => {
      deps.log.error('Notice outcome not recorded on the trail', {
        requestId: record.requestId,
        errorName: error instanceof Error ? error.name : 'UnknownError',
      });
    });
  return outcome;
}

/** Earlier requests keyed by the same subject, received at or after `since` (the bySubject index). */
export async function subjectRequests(
  requests: RequestRepository,
  subjectKey: string,
  since: string,
): Promise<EarlierRequest[]> {
  const ids = await requests.subjectRequestIds(subjectKey, since);
  const found = await requests.getMany(ids);
  return found.map(({ requestId, type, status, receivedAt }) => ({ requestId, type, status, receivedAt }));
}
