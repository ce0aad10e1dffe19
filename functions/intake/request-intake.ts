/**
 * Turns an accepted submission (web form, API, email or console) into a stored
 * request: identifiers normalised and keyed, the policy's clock computed in the
 * policy's time zone, the status token issued, and — for online channels — a
 * one-time code mailed to the subject's address. Shared by every intake handler.
 */

import { createHash, randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AuditEventBody } from '../../domain/audit';
import type { ConsoleIntakeChannel } from '../../domain/console/case-records';
import { type AgentIdentityCheck, verifyIdentifiersByAgent } from '../../domain/console/identity';
import { receivedOnFor } from '../../domain/deadline';
import { identifierKey, maskIdentifier, normaliseIdentifier } from '../../domain/identifiers';
import { type Actor, planTransition } from '../../domain/lifecycle';
import { verificationNotice } from '../../domain/notices';
import type { PolicyProfile } from '../../domain/policy/schema';
import type { Channel, IdentifierKind, RequestType } from '../../domain/request';
import { requestClock } from '../../domain/request-clock';
import type { RequestRecord, SubjectIdentifier } from '../../domain/request-record';
import { CODE_LIFETIME_MINUTES, hashSecret, newChallenge } from '../../domain/verification';
import { sendMail } from '../shared/mailer';
import { createRequest } from '../shared/request-store';
import { logger, metrics } from '../shared/runtime';
import { hashKey, newVerificationCode } from '../shared/secrets';

export interface IntakeInput {
  /** Set by callers that must derive the id (email intake: from the SES message id, for idempotency). */
  readonly requestId?: string;
  readonly policy: PolicyProfile;
  readonly channel: Channel;
  readonly type: RequestType | undefined;
  readonly triageCandidates?: readonly RequestType[];
  readonly identifiers: Partial<Record<IdentifierKind, string>>;
  readonly requester: RequestRecord['requester'];
  readonly details?: string;
  readonly portabilityTarget?: RequestRecord['portabilityTarget'];
  readonly locale: RequestRecord['locale'];
  readonly evidenceKeys?: readonly string[];
  readonly inboundMessageKey?: string;
  readonly actor: Actor;
  readonly now: Date;
  /** Issued by the caller (see submit-request.ts for why); only its hash is stored. */
  readonly statusToken: string;
  /** Console intake: an agent has checked the requester's identity, so no code is sent and the request starts verified. */
  readonly identityCheck?: AgentIdentityCheck;
  /** Console intake: how the request reached the organisation. */
  readonly receivedVia?: ConsoleIntakeChannel;
}

export interface IntakeResult {
  readonly record: RequestRecord;
}

export function statusTokenHash(requestId: string, token: string): string {
  return hashSecret(hashKey(), 'status-token', requestId, token);
}

export function statusUrl(requestId: string, token: string): string {
  const base = process.env.PUBLIC_BASE_URL ?? '';
  return `${base}/v1/requests/${requestId}?token=${token}`;
}

/** Content-derived key, so a double-clicked form or a resent email creates one request, not two. */
export function submissionFingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

export async function takeInRequest(input: IntakeInput): Promise<IntakeResult> {
  const key = hashKey();
  const requestId = input.requestId ?? `dsr-${randomUUID()}`;
  const at = input.now.toISOString();
  const identifiers: SubjectIdentifier[] = Object.entries(input.identifiers)
    .filter((entry): entry is [IdentifierKind, string] => typeof entry[1] === 'string')
    .map(([kind, raw]) => {
      const value = normaliseIdentifier(kind, raw);
      return {
        kind,
        value,
        key: identifierKey(kind, value, key),
        masked: maskIdentifier(kind, value),
        verified: false,
      };
    });
  const primary = identifiers.find((identifier) => identifier.kind === 'email') ?? identifiers[0]!;
  const checked = input.identityCheck
    ? verifyIdentifiersByAgent(
        {
          policy: input.policy,
          identifiers,
          evidenceKeys: input.evidenceKeys ?? [],
          check: input.identityCheck,
        },
        input.actor,
        at,
      )
    : undefined;
  const verifiedOn = checked ? receivedOnFor(input.policy, input.now) : undefined;
  const { deadline, calendarDataMissingYear } = requestClock(input.policy, {
    receivedAt: at,
    ...(verifiedOn ? { verifiedOn } : {}),
    extended: false,
    pausedUnits: 0,
  });
  if (calendarDataMissingYear) {
    metrics.addMetric('CalendarDataMissing', MetricUnit.Count, 1);
    logger.error('No official calendar data for this period', { requestId, year: calendarDataMissingYear });
  }
  const { statusToken } = input;
  const code = primary.kind === 'email' && !checked ? newVerificationCode() : undefined;

  const events: AuditEventBody[] = [
    {
      type: 'request-received',
      actor: input.actor,
      at,
      details: {
        channel: input.channel,
        type: input.type ?? 'needs-triage',
        policy: input.policy.id,
        ...(input.receivedVia ? { receivedVia: input.receivedVia } : {}),
        role: input.requester.role,
        identifiers: identifiers.map((identifier) => identifier.masked),
        ...(calendarDataMissingYear ? { calendarDataMissingYear } : {}),
      },
    },
  ];
  let status: RequestRecord['status'] = 'received';
  if (code) {
    events.push(planTransition(status, { to: 'pending-verification', actor: input.actor, at }));
    status = 'pending-verification';
    events.push({ type: 'verification-code-sent', actor: input.actor, at, details: { to: primary.masked } });
  }
  if (checked) {
    events.push(checked.event, planTransition(status, { to: 'verified', actor: input.actor, at }));
    status = 'verified';
  }

  const record = await createRequest(
    {
      requestId,
      policyId: input.policy.id,
      ...(input.type ? { type: input.type } : {}),
      needsTriage: input.type === undefined,
      ...(input.triageCandidates ? { triageCandidates: input.triageCandidates } : {}),
      channel: input.channel,
      status,
      requester: input.requester,
      identifiers: checked?.identifiers ?? identifiers,
      ...(input.receivedVia ? { receivedVia: input.receivedVia } : {}),
      subjectKey: primary.key,
      ...(input.details ? { details: input.details } : {}),
      ...(input.portabilityTarget ? { portabilityTarget: input.portabilityTarget } : {}),
      locale: input.locale,
      receivedAt: at,
      deadline,
      ...(verifiedOn ? { verifiedOn } : {}),
      ...(code
        ? { verification: newChallenge(hashSecret(key, 'verification-code', requestId, code), input.now) }
        : {}),
      statusTokenHash: statusTokenHash(requestId, statusToken),
      ...(input.evidenceKeys ? { evidenceKeys: input.evidenceKeys } : {}),
      ...(input.inboundMessageKey ? { inboundMessageKey: input.inboundMessageKey } : {}),
      pausedUnits: 0,
      extended: false,
    },
    events,
  );

  if (code) {
    const notice = verificationNotice({
      requestId,
      code,
      lifetimeMinutes: CODE_LIFETIME_MINUTES,
      statusUrl: statusUrl(requestId, statusToken),
      organisation: input.policy.organisation,
    });
    // The request is already safely stored; a mail failure is logged by name
    // and the requester can ask for a new code, rather than losing the request.
    await sendMail({ to: primary.value, ...notice }).catch((error: Error) => {
      logger.error('Verification mail not sent', { requestId, errorName: error.name });
    });
  }
  return { record };
}
