/**
 * POST /v1/requests/{id}/verify — the requester proves control of the email
 * address (or, for a code sent by SMS, of the phone number) by the one-time
 * code we sent. On success that identifier, and only that one, is marked
 * verified (only verified identifiers are ever used to find data) and, where
 * the policy says the clock starts at verification (seed 000), the due date is
 * computed from today in the policy's time zone.
 *
 * The types that cannot be undone (domain/fulfilment-wait.ts) do not start at once: the request records
 * `fulfilmentNotBefore`, the requester is mailed when it will be carried out with a fresh "this was not
 * me" link, and the sweeper (app/timers/end-fulfilment-wait.ts) starts fulfilment when the wait is over.
 */

import { VERIFICATION_LOCKED_METRIC, WRONG_VERIFICATION_CODE_METRIC } from '../../definitions/metrics';
import type { AuditEventBody } from '../../domain/audit';
import { isApproved } from '../../domain/console/approval';
import { receivedOnFor } from '../../domain/deadline';
import { enterFulfilmentWait } from '../../domain/fulfilment-wait';
import { COUNTERS, intakeLimitsFor, subjectLocked } from '../../domain/intake-limits';
import { planTransition } from '../../domain/lifecycle';
import { withFloor } from '../../domain/policy/organisation';
import { getPolicy } from '../../domain/policy/registry';
import type { PolicyProfile } from '../../domain/policy/schema';
import { requestClock } from '../../domain/request-clock';
import type { RequestRecord } from '../../domain/request-record';
import { checkCode, hashSecret, identifierKindOf } from '../../domain/verification';
import type {
  CalendarSource,
  Clock,
  Mailer,
  RequestRepository,
  SecretsReader,
  WorkflowStarter,
} from '../ports';
import type { AbuseCounters, IntakeTelemetry, OneTimeSecrets } from './ports';
import { mailWaitNotice, newWaitLink, waitStart } from './wait-notice';

export interface VerifyRequestDeps {
  readonly requests: RequestRepository;
  readonly calendars: CalendarSource;
  readonly secrets: SecretsReader;
  readonly clock: Clock;
  readonly fulfilment: WorkflowStarter;
  readonly telemetry: IntakeTelemetry;
  readonly counters: AbuseCounters;
  readonly mailer: Mailer;
  readonly oneTimeSecrets: OneTimeSecrets;
  /** The deployment's wait for destructive types, in hours, over every policy's (DESTRUCTIVE_WAIT_HOURS). */
  readonly destructiveWaitHours?: number;
}

export type VerifyRequestResult =
  | { readonly outcome: 'not-awaiting-verification' }
  | { readonly outcome: 'expired' }
  | { readonly outcome: 'locked' }
  | { readonly outcome: 'wrong-code'; readonly attemptsLeft: number }
  | { readonly outcome: 'verified'; readonly answer: Record<string, unknown> };

/**
 * Manual identity review is needed before data leaves or is destroyed on someone else's behalf, and
 * where the policy and the organisation's floor do not accept the code's method (email or SMS) as proof of identity on its own.
 */
function needsManualReview(record: RequestRecord, policy: PolicyProfile): boolean {
  return (
    record.requester.role !== 'self' ||
    !withFloor(policy, record.organisationFloor).identityMethods.includes(
      record.verification?.method ?? 'email-code',
    )
  );
}

export async function verifyRequest(
  deps: VerifyRequestDeps,
  requestId: string,
  code: string,
): Promise<VerifyRequestResult> {
  const record = await deps.requests.get(requestId);
  if (record.status !== 'pending-verification' || !record.verification) {
    return { outcome: 'not-awaiting-verification' };
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  const actor = { kind: 'requester', id: 'status-link' } as const;
  const policy = getPolicy(record.policyId);
  const limits = intakeLimitsFor(policy);
  const wrongCodes = COUNTERS.wrongCodes(record.subjectKey);
  const windowSeconds = limits.subjectWindowHours * 3600;
  // Wrong codes count per subject across its requests, so a fresh request buys no fresh guesses; a
  // locked subject's code is not even compared (as for a locked request).
  if (
    !record.verification.lockedAt &&
    subjectLocked(await deps.counters.read(wrongCodes, windowSeconds, now), limits)
  ) {
    await deps.requests.save(record, { ...record, verification: { ...record.verification, lockedAt: at } }, [
      {
        type: 'verification-locked',
        actor,
        at,
        details: { attempts: record.verification.attempts, scope: 'subject' },
      },
    ]);
    deps.telemetry.count(VERIFICATION_LOCKED_METRIC);
    return { outcome: 'locked' };
  }
  const check = checkCode(
    record.verification,
    hashSecret(await deps.secrets.hashKey(), 'verification-code', requestId, code),
    now,
  );
  if (check.outcome === 'wrong-code' || (check.outcome === 'locked' && check.justLocked)) {
    deps.telemetry.count(WRONG_VERIFICATION_CODE_METRIC);
    await deps.counters.add(wrongCodes, windowSeconds, now);
  }

  if (check.outcome === 'expired') return { outcome: 'expired' };
  if (check.outcome === 'locked') {
    if (check.justLocked) {
      await deps.requests.save(record, { ...record, verification: check.challenge }, [
        {
          type: 'verification-locked',
          actor,
          at,
          details: { attempts: check.challenge.attempts, scope: 'request' },
        },
      ]);
      deps.telemetry.count(VERIFICATION_LOCKED_METRIC);
    }
    return { outcome: 'locked' };
  }
  if (check.outcome === 'wrong-code') {
    await deps.requests.save(record, { ...record, verification: check.challenge }, [
      { type: 'verification-failed', actor, at, details: { attemptsLeft: check.attemptsLeft } },
    ]);
    return { outcome: 'wrong-code', attemptsLeft: check.attemptsLeft };
  }

  const verifiedOn = receivedOnFor(policy, now);
  // The code proves control of the identifier it went to: the mailbox for a mailed code, the phone for an SMS.
  const { method } = record.verification;
  const provenKind = identifierKindOf(method);
  const identifiers = record.identifiers.map((identifier) =>
    identifier.kind === provenKind
      ? { ...identifier, verified: true, verifiedBy: method, verifiedAt: at }
      : identifier,
  );
  let events: AuditEventBody[] = [
    {
      type: 'identity-verified',
      actor,
      at,
      details: { method, identifier: identifiers.find((i) => i.kind === provenKind)?.masked },
    },
  ];
  const proven = provenKind === 'phone' ? 'phone number' : 'email';
  let next: RequestRecord = { ...record, identifiers, verification: check.challenge, verifiedOn };
  const link = await newWaitLink(deps, requestId);
  if (!needsManualReview(record, policy)) {
    const { deadline } = requestClock(policy, { ...record, verifiedOn }, await deps.calendars.calendars());
    ({ next, events } = enterFulfilmentWait(
      {
        next: { ...next, status: 'verified', deadline },
        events: [...events, planTransition(record.status, { to: 'verified', actor, at })],
      },
      waitStart(deps, record, link),
      at,
    ));
  }
  const saved = await deps.requests.save(record, next, events);
  // Only now may data leave or be destroyed: the workflow starts on verification, or, where the
  // policy needs an approval (portability), when the console approves it, or, for a type that
  // waits, when the sweeper ends the wait (whichever of the last two comes last).
  const awaitingApproval = saved.status === 'verified' && !isApproved(saved, policy);
  const waiting = saved.fulfilmentNotBefore !== undefined;
  if (saved.status === 'verified' && !awaitingApproval && !waiting) await deps.fulfilment.start(requestId);
  if (waiting) await mailWaitNotice(deps, saved, { link, awaitingApproval });
  return {
    outcome: 'verified',
    answer: {
      requestId,
      status: saved.status,
      dueDate: saved.deadline.dueDate,
      ...(saved.deadline.provisional
        ? { provisional: true, provisionalYears: saved.deadline.provisionalYears }
        : {}),
      ...(needsManualReview(record, policy)
        ? {
            note: `Your ${proven} is verified. An agent will now review your authority to act for the subject.`,
          }
        : {}),
      ...(awaitingApproval
        ? { note: `Your ${proven} is verified. A supervisor approves this request before it is carried out.` }
        : {}),
      ...(waiting ? { fulfilmentNotBefore: saved.fulfilmentNotBefore } : {}),
    },
  };
}
