/**
 * Identity checked by an agent: at the counter, by calling back, by reviewing
 * an identity document, or by the subject's signed-in session. The agent is
 * recorded as having verified the identifiers the check proves; only verified
 * identifiers are ever used to find a subject's data.
 */
import type { AuditEventBody } from '../audit';
import type { PlainDate } from '../clock';
import { type Actor, planTransition, type RequestStatus } from '../lifecycle';
import { withFloor } from '../policy/organisation';
import type { PolicyProfile } from '../policy/schema';
import type { IdentifierKind } from '../request';
import { requestClock } from '../request-clock';
import type { RequestRecord, SubjectIdentifier } from '../request-record';
import type { ActionContext, RecordChange } from './action';
import { assertSeparateDuties } from './approval';
import type { AgentIdentityMethod } from './case-records';
import {
  EvidenceNotOnRequest,
  EvidenceRequired,
  IdentifierNotOnRequest,
  IdentifiersRequired,
  IdentityAlreadyVerified,
  IdentityMethodNotAllowed,
} from './errors';
import { endPause } from './pause';
import { refuseRequest } from './refusal';

export interface AgentIdentityCheck {
  readonly method: AgentIdentityMethod;
  /** The document reviewed (a key of the request's `evidenceKeys`). */
  readonly evidenceKey?: string;
  /**
   * Identifier kinds the check proves; every identifier of the request when absent (console intake only,
   * where the agent typed them in; an identity review must name them: ReviewedIdentityCheck).
   */
  readonly identifiers?: readonly IdentifierKind[];
}

/** Statuses in which identity is still open: the check can settle it. */
const IDENTITY_OPEN: readonly RequestStatus[] = ['received', 'pending-verification', 'awaiting-requester'];

/**
 * The identifiers with those the check proves marked verified by the agent,
 * and the identity-verified event. Validates the method against the policy
 * and the document against the request. Used by console intake and review.
 */
export function verifyIdentifiersByAgent(
  input: {
    readonly policy: PolicyProfile;
    readonly identifiers: readonly SubjectIdentifier[];
    readonly evidenceKeys: readonly string[];
    readonly check: AgentIdentityCheck;
  },
  actor: Actor,
  at: string,
): { identifiers: SubjectIdentifier[]; event: AuditEventBody } {
  const { policy, check, evidenceKeys } = input;
  if (!(policy.identityMethods as readonly string[]).includes(check.method)) {
    throw new IdentityMethodNotAllowed(check.method, policy.id, policy.identityMethods);
  }
  if (check.evidenceKey !== undefined && !evidenceKeys.includes(check.evidenceKey)) {
    throw new EvidenceNotOnRequest(evidenceKeys);
  }
  // A document sent with the request is what an id-document check reviews: the agent must say which.
  if (check.method === 'id-document' && evidenceKeys.length > 0 && check.evidenceKey === undefined) {
    throw new EvidenceRequired();
  }
  const kinds = check.identifiers ?? input.identifiers.map((identifier) => identifier.kind);
  for (const kind of kinds) {
    if (!input.identifiers.some((identifier) => identifier.kind === kind))
      throw new IdentifierNotOnRequest(kind);
  }
  const identifiers = input.identifiers.map((identifier) =>
    kinds.includes(identifier.kind) && !identifier.verified
      ? { ...identifier, verified: true, verifiedBy: check.method, verifiedAt: at }
      : identifier,
  );
  return {
    identifiers,
    event: {
      type: 'identity-verified',
      actor,
      at,
      details: {
        method: check.method,
        identifiers: identifiers.filter((i) => kinds.includes(i.kind)).map((i) => i.masked),
        ...(check.evidenceKey ? { evidenceKey: check.evidenceKey } : {}),
      },
    },
  };
}

/** A review's check: the agent names the identifiers it proved (never "all of them" by default). */
export interface ReviewedIdentityCheck extends AgentIdentityCheck {
  readonly identifiers: readonly IdentifierKind[];
}

/**
 * An agent approves the requester's identity: the identifiers the agent names are verified (the others
 * stay as they were, unverified unless verified before),
 * the request moves to verified (a pause waiting for the evidence ends), and
 * the clock of verification-start policies starts today. The agent is kept as the identity checker, whom
 * an approval the request needs cannot come from (domain/console/approval.ts).
 */
export function approveIdentity(
  record: RequestRecord,
  policy: PolicyProfile,
  check: ReviewedIdentityCheck,
  context: ActionContext,
): RecordChange {
  const { actor, at, today, calendars } = context;
  if (!IDENTITY_OPEN.includes(record.status)) throw new IdentityAlreadyVerified(record.status);
  if (check.identifiers.length === 0) throw new IdentifiersRequired();
  // Where fulfilment needs an approval, whoever approved it does not also vouch for the requester.
  assertSeparateDuties(record, policy, actor.id, 'check-identity');
  const verified = verifyIdentifiersByAgent(
    {
      // The organisation's floor may accept fewer methods than the policy (domain/policy/organisation.ts).
      policy: withFloor(policy, record.organisationFloor),
      identifiers: record.identifiers,
      evidenceKeys: record.evidenceKeys ?? [],
      check,
    },
    actor,
    at,
  );
  const statusChange = planTransition(record.status, { to: 'verified', actor, at });
  const ended = endPause(record, policy, actor, at, today, calendars);
  const verifiedOn: PlainDate = record.verifiedOn ?? today;
  const clock = requestClock(
    policy,
    {
      receivedAt: record.receivedAt,
      verifiedOn,
      extended: ended.record.extended,
      pausedUnits: ended.record.pausedUnits,
    },
    calendars,
  );
  return {
    next: {
      ...ended.record,
      status: 'verified',
      identifiers: verified.identifiers,
      ...(actor.kind === 'agent' ? { identityCheckedBy: actor.id } : {}),
      verifiedOn,
      deadline: clock.deadline,
    },
    events: [...ended.events, verified.event, statusChange],
  };
}

/** An agent could not establish who the requester is: refused on that ground, which every profile lists. */
export function rejectIdentity(
  record: RequestRecord,
  policy: PolicyProfile,
  reason: string,
  context: ActionContext,
): RecordChange {
  if (!IDENTITY_OPEN.includes(record.status)) throw new IdentityAlreadyVerified(record.status);
  return refuseRequest(record, policy, { ground: 'identity-not-verified', reason }, context);
}
