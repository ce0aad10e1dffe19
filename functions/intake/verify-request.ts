/**
 * POST /v1/requests/{id}/verify — the requester proves control of the email
 * address by the one-time code we sent. On success that identifier is marked
 * verified (only verified identifiers are ever used to find data) and, where
 * the policy says the clock starts at verification (seed 000), the due date is
 * computed from today in the policy's time zone.
 */

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { z } from 'zod';
import { loadCalendars } from '../../adapters/aws/calendar-notices';
import { getRequest, saveRequest } from '../../adapters/aws/request-store';
import { metrics } from '../../adapters/aws/runtime';
import { hashKey } from '../../adapters/aws/secrets';
import { startFulfilment } from '../../adapters/aws/workflow-starter';
import { httpApiWithBody, jsonResponse, type ParsedEvent } from '../../adapters/lambda/http-api';
import { HttpProblem } from '../../adapters/lambda/http-problem';
import type { AuditEventBody } from '../../domain/audit';
import { isApproved } from '../../domain/console/approval';
import { receivedOnFor } from '../../domain/deadline';
import { planTransition } from '../../domain/lifecycle';
import { getPolicy } from '../../domain/policy/registry';
import { requestClock } from '../../domain/request-clock';
import type { RequestRecord } from '../../domain/request-record';
import { RequestPathSchema, VerificationAttemptSchema } from '../../domain/submission';
import { checkCode, hashSecret } from '../../domain/verification';

/** Manual identity review is needed before data leaves or is destroyed on someone else's behalf. */
function needsManualReview(record: RequestRecord): boolean {
  return record.requester.role !== 'self';
}

async function lambdaHandler(event: ParsedEvent<z.output<typeof VerificationAttemptSchema>>) {
  const requestId = event.pathParameters?.id ?? '';
  const record = await getRequest(requestId);
  if (record.status !== 'pending-verification' || !record.verification) {
    throw new HttpProblem(
      409,
      'not-awaiting-verification',
      'This request is not waiting for a verification code',
    );
  }
  const now = new Date();
  const at = now.toISOString();
  const actor = { kind: 'requester', id: 'status-link' } as const;
  const check = checkCode(
    record.verification,
    hashSecret(await hashKey(), 'verification-code', requestId, event.body.code),
    now,
  );

  if (check.outcome === 'expired') {
    throw new HttpProblem(410, 'code-expired', 'This code has expired; ask for a new one');
  }
  if (check.outcome === 'locked') {
    if (check.justLocked) {
      await saveRequest(record, { ...record, verification: check.challenge }, [
        { type: 'verification-locked', actor, at, details: { attempts: check.challenge.attempts } },
      ]);
      metrics.addMetric('VerificationLocked', MetricUnit.Count, 1);
    }
    throw new HttpProblem(423, 'verification-locked', 'Too many wrong codes; an agent will contact you');
  }
  if (check.outcome === 'wrong-code') {
    await saveRequest(record, { ...record, verification: check.challenge }, [
      { type: 'verification-failed', actor, at, details: { attemptsLeft: check.attemptsLeft } },
    ]);
    throw new HttpProblem(400, 'wrong-code', `Wrong code; ${check.attemptsLeft} tries left`, 'code');
  }

  const policy = getPolicy(record.policyId);
  const verifiedOn = receivedOnFor(policy, now);
  const identifiers = record.identifiers.map((identifier) =>
    identifier.kind === 'email'
      ? { ...identifier, verified: true, verifiedBy: 'email-code' as const, verifiedAt: at }
      : identifier,
  );
  const events: AuditEventBody[] = [
    {
      type: 'identity-verified',
      actor,
      at,
      details: { method: 'email-code', identifier: identifiers.find((i) => i.kind === 'email')?.masked },
    },
  ];
  let next: RequestRecord = { ...record, identifiers, verification: check.challenge, verifiedOn };
  if (!needsManualReview(record)) {
    events.push(planTransition(record.status, { to: 'verified', actor, at }));
    const { deadline } = requestClock(policy, { ...record, verifiedOn }, await loadCalendars());
    next = { ...next, status: 'verified', deadline };
  }
  const saved = await saveRequest(record, next, events);
  // Only now may data leave or be destroyed: the workflow starts on verification, or,
  // where the policy needs an approval (portability), when the console approves it.
  const awaitingApproval = saved.status === 'verified' && !isApproved(saved, policy);
  if (saved.status === 'verified' && !awaitingApproval) await startFulfilment(requestId);
  return jsonResponse(200, {
    requestId,
    status: saved.status,
    dueDate: saved.deadline.dueDate,
    ...(saved.deadline.provisional
      ? { provisional: true, provisionalYears: saved.deadline.provisionalYears }
      : {}),
    ...(needsManualReview(record)
      ? { note: 'Your email is verified. An agent will now review your authority to act for the subject.' }
      : {}),
    ...(awaitingApproval
      ? { note: 'Your email is verified. A supervisor approves this request before it is carried out.' }
      : {}),
  });
}

export const handler = httpApiWithBody(
  { schema: VerificationAttemptSchema, maxBytes: 1024, path: RequestPathSchema },
  lambdaHandler,
);
