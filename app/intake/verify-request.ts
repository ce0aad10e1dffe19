/**
 * POST /v1/requests/{id}/verify — the requester proves control of the email
 * address (or, for a code sent by SMS, of the phone number) by the one-time
 * code we sent. On success that identifier, and only that one, is marked
 * verified (only verified identifiers are ever used to find data) and, where
 * the policy says the clock starts at verification (seed 000), the due date is
 * computed from today in the policy's time zone.
 */

import { VERIFICATION_LOCKED_METRIC, WRONG_VERIFICATION_CODE_METRIC } from '../../definitions/metrics';
import type { AuditEventBody } from '../../domain/audit';
import { isApproved } from '../../domain/console/approval';
import { receivedOnFor } from '../../domain/deadline';
import { COUNTERS, intakeLimitsFor, subjectLocked } from '../../domain/intake-limits';
import { planTransition } from '../../domain/lifecycle';
import { getPolicy } from '../../domain/policy/registry';
import { requestClock } from '../../domain/request-clock';
import type { RequestRecord } from '../../domain/request-record';
import { checkCode, hashSecret, identifierKindOf } from '../../domain/verification';
import type { CalendarSource, Clock, RequestRepository, SecretsReader, WorkflowStarter } from '../ports';
import type { AbuseCounters, IntakeTelemetry } from './ports';

export interface VerifyRequestDeps {
  readonly requests: RequestRepository;
  readonly calendars: CalendarSource;
  readonly secrets: SecretsReader;
  readonly clock: Clock;
  readonly fulfilment: WorkflowStarter;
  readonly telemetry: IntakeTelemetry;
  readonly counters: AbuseCounters;
}

export type VerifyRequestResult =
  | { readonly outcome: 'not-awaiting-verification' }
  | { readonly outcome: 'expired' }
  | { readonly outcome: 'locked' }
  | { readonly outcome: 'wrong-code'; readonly attemptsLeft: number }
  | { readonly outcome: 'verified'; readonly answer: Record<string, unknown> };

/** Manual identity review is needed before data leaves or is destroyed on someone else's behalf. */
function needsManualReview(record: RequestRecord): boolean {
  return record.requester.role !== 'self';
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
  const events: AuditEventBody[] = [
    {
      type: 'identity-verified',
      actor,
      at,
      details: { method, identifier: identifiers.find((i) => i.kind === provenKind)?.masked },
    },
  ];
  const proven = provenKind === 'phone' ? 'phone number' : 'email';
  let next: RequestRecord = { ...record, identifiers, verification: check.challenge, verifiedOn };
  if (!needsManualReview(record)) {
    events.push(planTransition(record.status, { to: 'verified', actor, at }));
    const { deadline } = requestClock(policy, { ...record, verifiedOn }, await deps.calendars.calendars());
    next = { ...next, status: 'verified', deadline };
  }
  const saved = await deps.requests.save(record, next, events);
  // Only now may data leave or be destroyed: the workflow starts on verification, or,
  // where the policy needs an approval (portability), when the console approves it.
  const awaitingApproval = saved.status === 'verified' && !isApproved(saved, policy);
  if (saved.status === 'verified' && !awaitingApproval) await deps.fulfilment.start(requestId);
  return {
    outcome: 'verified',
    answer: {
      requestId,
      status: saved.status,
      dueDate: saved.deadline.dueDate,
      ...(saved.deadline.provisional
        ? { provisional: true, provisionalYears: saved.deadline.provisionalYears }
        : {}),
      ...(needsManualReview(record)
        ? {
            note: `Your ${proven} is verified. An agent will now review your authority to act for the subject.`,
          }
        : {}),
      ...(awaitingApproval
        ? { note: `Your ${proven} is verified. A supervisor approves this request before it is carried out.` }
        : {}),
    },
  };
}
