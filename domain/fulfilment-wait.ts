/**
 * "This was not me": the subject's way out of a request somebody else filed in their name (issue 13).
 * Every code mail says what the code approves and carries a one-time cancel link; the types that cannot
 * be undone then wait `destructiveWaitHours` (the policy's, or the deployment's) after verification
 * before fulfilment starts, and the same link still cancels during the wait.
 *
 * Pure: the time, the token's hash and the policy come in as arguments.
 */
import type { AuditEventBody } from './audit';
import { type Actor, planTransition } from './lifecycle';
import type { PolicyProfile } from './policy/schema';
import type { RequestType } from './request';
import type { RequestRecord } from './request-record';
import { hashesMatch } from './verification';

/** The purpose a cancel token's HMAC is bound to (hashSecret), distinct from codes and status tokens. */
export const CANCEL_TOKEN_PURPOSE = 'cancel-token';

/** Types whose fulfilment cannot be taken back: data destroyed, an account closed, data sent away, consent gone. */
export const WAITING_TYPES: readonly RequestType[] = [
  'deletion',
  'account-cancellation',
  'portability',
  'withdraw-consent',
];

/** Cancel links mailed per request at most: the first code, every resend, the wait notice. */
export const MAX_CANCEL_TOKENS = 8;

const HOUR_MS = 60 * 60 * 1000;

/** The wait in hours for a request of `type`: the deployment's setting wins over the policy's. */
export function waitHoursFor(
  policy: Pick<PolicyProfile, 'destructiveWaitHours'>,
  type: RequestType | undefined,
  deploymentHours?: number,
): number {
  if (type === undefined || !WAITING_TYPES.includes(type)) return 0;
  return deploymentHours ?? policy.destructiveWaitHours;
}

/** When fulfilment may start for a request verified at `verifiedAt`; undefined when there is no wait. */
export function fulfilmentNotBefore(waitHours: number, verifiedAt: Date): string | undefined {
  return waitHours > 0 ? new Date(verifiedAt.getTime() + waitHours * HOUR_MS).toISOString() : undefined;
}

/** Whether the request waits, and the sweeper has yet to end the wait, before fulfilment may start. */
export function isWaitingToStart(record: Pick<RequestRecord, 'fulfilmentNotBefore'>): boolean {
  return record.fulfilmentNotBefore !== undefined;
}

/** Whether the wait of a verified request is over as of `now` (the sweeper then ends it). */
export function isWaitOver(
  record: Pick<RequestRecord, 'status' | 'fulfilmentNotBefore'>,
  now: Date,
): boolean {
  return (
    record.status === 'verified' &&
    record.fulfilmentNotBefore !== undefined &&
    Date.parse(record.fulfilmentNotBefore) <= now.getTime()
  );
}

/** Whether `givenHash` is the hash of one of the cancel tokens mailed for the request (constant time). */
export function cancelTokenMatches(
  record: Pick<RequestRecord, 'cancelTokenHashes'>,
  givenHash: string,
): boolean {
  // Every hash is compared, so the answer's timing does not say which mail the link came from.
  return (record.cancelTokenHashes ?? []).reduce(
    (found, hash) => hashesMatch(hash, givenHash) || found,
    false,
  );
}

/** The record with one more cancel token's hash; the oldest drops out past MAX_CANCEL_TOKENS. */
export function withCancelToken<T extends Pick<RequestRecord, 'cancelTokenHashes'>>(
  record: T,
  hash: string,
): T {
  return {
    ...record,
    cancelTokenHashes: [...(record.cancelTokenHashes ?? []), hash].slice(-MAX_CANCEL_TOKENS),
  };
}

/** The wait a request just verified enters: its hours (over 0) and the wait notice's cancel token's hash. */
export interface WaitStart {
  readonly hours: number;
  readonly cancelTokenHash: string;
}

/**
 * A request just verified at `at` (by its code, or by an agent's identity check) entering its type's
 * wait: `fulfilmentNotBefore` set, the wait notice's cancel token kept, and the event that moved it to
 * verified saying when fulfilment may start (so the wait shows in the timeline). Without a wait
 * (`wait` undefined or 0 hours) the change is returned as it is. One function for every way identity
 * is proven, so no way skips the wait.
 */
export function enterFulfilmentWait(
  change: { readonly next: RequestRecord; readonly events: readonly AuditEventBody[] },
  wait: WaitStart | undefined,
  at: string,
): { next: RequestRecord; events: AuditEventBody[] } {
  const notBefore = wait ? fulfilmentNotBefore(wait.hours, new Date(at)) : undefined;
  if (!wait || notBefore === undefined) return { next: change.next, events: [...change.events] };
  return {
    next: withCancelToken({ ...change.next, fulfilmentNotBefore: notBefore }, wait.cancelTokenHash),
    events: change.events.map((event) =>
      event.type === 'status-changed' && event.details?.to === 'verified'
        ? { ...event, details: { ...event.details, fulfilmentNotBefore: notBefore } }
        : event,
    ),
  };
}

/**
 * Whether the requester's cancel link may still cancel: before fulfilment has started, that is while
 * the code is awaited (or an agent reviews the requester's authority), or once verified while the
 * wait runs or an approval is still awaited (`approved`: domain/console/approval.ts isApproved).
 */
export function mayCancelByLink(
  record: Pick<RequestRecord, 'status' | 'fulfilmentNotBefore'>,
  approved: boolean,
): boolean {
  if (record.status === 'pending-verification') return true;
  return record.status === 'verified' && (isWaitingToStart(record) || !approved);
}

/** The cancel link's actor on the trail: the link's holder, who need not be the requester. */
export const CANCEL_LINK_ACTOR: Actor = { kind: 'requester', id: 'cancel-link' };

export interface CancelChange {
  readonly next: RequestRecord;
  readonly events: readonly AuditEventBody[];
}

/** Cancels the request by its cancel link; the wait, if any, ends with it. */
export function planCancelByLink(record: RequestRecord, at: string): CancelChange {
  const event = planTransition(record.status, {
    to: 'cancelled',
    actor: CANCEL_LINK_ACTOR,
    at,
    reason: 'the subject said they did not make this request (cancel link)',
  });
  const { fulfilmentNotBefore: _ended, ...rest } = record;
  return { next: { ...rest, status: 'cancelled' }, events: [event] };
}

/** The audit event of a wait that ended: the sweeper may now start fulfilment (once approved). */
export function waitEndedEvent(record: RequestRecord, actor: Actor, at: string): AuditEventBody {
  return {
    type: 'fulfilment-wait-ended',
    actor,
    at,
    details: { notBefore: record.fulfilmentNotBefore },
  };
}
