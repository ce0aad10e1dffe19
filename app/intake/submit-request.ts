/**
 * POST /v1/requests — the web form and the public API.
 *
 * Accepts with the request id, its status, the due date (or that the clock
 * starts on verification) and a status token. The answer is the same whether
 * or not we hold data about the subject: intake never looks the subject up.
 * Idempotent: a repeated Idempotency-Key, or the same submission within 24
 * hours, returns the request already created (the SubmissionLedger port).
 *
 * A replay by content (no Idempotency-Key) may come from someone else who typed the same form — the
 * subject's address is no secret — so its answer reveals nothing of the first request: no id, status
 * or date, only that the submission was received. A replay by Idempotency-Key comes from the client
 * that chose the key, and gets the first receipt without the status token (which went out by email).
 */
import { residenceFor, withFloor } from '../../domain/policy/organisation';
import { getPolicy } from '../../domain/policy/registry';
import { IdempotencyKeySchema, type Submission } from '../../domain/submission';
import { codeMethodFor, hashesMatch, SmsVerificationNotOffered } from '../../domain/verification';
import type { SubmissionLedger } from './ports';
import {
  type IntakeDeps,
  statusTokenHash,
  statusUrl,
  submissionFingerprint,
  takeInRequest,
} from './request-intake';

export interface SubmitRequestDeps extends IntakeDeps {
  readonly ledger: SubmissionLedger;
}

export interface SubmitRequestInput {
  readonly submission: Submission;
  readonly channel: 'web' | 'api';
  /** The Idempotency-Key header, as sent. */
  readonly idempotencyKey: string | undefined;
}

export type SubmitRequestResult =
  | { readonly outcome: 'invalid-idempotency-key' }
  | { readonly outcome: 'accepted'; readonly receipt: Record<string, unknown> };

export async function submitRequest(
  deps: SubmitRequestDeps,
  input: SubmitRequestInput,
): Promise<SubmitRequestResult> {
  const { submission, channel } = input;
  const fingerprint = submissionFingerprint(await deps.secrets.hashKey(), submission);
  const headerKey = input.idempotencyKey;
  if (headerKey !== undefined && !IdempotencyKeySchema.safeParse(headerKey).success) {
    return { outcome: 'invalid-idempotency-key' };
  }
  // The organisation's policy for where the requester lives (the schema admits listed residences only).
  const policy = getPolicy(residenceFor(deps.organisation, submission.residence)!.policyId);
  // A phone number alone is verified by SMS, where the policy accepts it and the deployment sends SMS;
  // otherwise the requester is told at once, rather than left with a request nobody can verify.
  if (
    submission.subject.email === undefined &&
    codeMethodFor('phone', withFloor(policy, deps.organisation.floor).identityMethods, deps.sms.enabled) ===
      undefined
  ) {
    throw new SmsVerificationNotOffered(deps.sms.enabled ? 'policy' : 'deployment', policy.id);
  }
  // Issued before the ledger and outside its key: a first call stores its hash, a replay returns the
  // first call's hash, so comparing the two tells whether this caller may be shown the token.
  const token = deps.oneTimeSecrets.bearerToken();
  const result = await deps.ledger.once(
    {
      idempotencyKey: headerKey ? `key:${headerKey}` : `content:${fingerprint}`,
      payloadFingerprint: fingerprint,
    },
    async () => {
      const { record } = await takeInRequest(deps, {
        policy,
        channel,
        type: submission.type,
        identifiers: submission.subject,
        requester: submission.requester,
        ...(submission.details ? { details: submission.details } : {}),
        ...(submission.portabilityTarget ? { portabilityTarget: submission.portabilityTarget } : {}),
        locale: submission.locale,
        actor: { kind: 'requester', id: channel },
        now: deps.clock.now(),
        statusToken: token,
      });
      // The stored idempotency result holds only the token's hash, never the token.
      return { requestId: record.requestId, statusTokenHash: record.statusTokenHash };
    },
  );
  const record = await deps.requests.get(result.requestId);
  // A replay gets no token: the first caller has it, and it went out by email.
  const fresh = hashesMatch(
    record.statusTokenHash,
    await statusTokenHash(deps.secrets, record.requestId, token),
  );
  if (!fresh && headerKey === undefined) {
    return {
      outcome: 'accepted',
      receipt: {
        type: submission.type,
        replayed: true,
        note: 'This submission was already received; its status link was sent by email.',
      },
    };
  }
  return {
    outcome: 'accepted',
    receipt: {
      requestId: record.requestId,
      status: record.status,
      type: record.type ?? null,
      policyId: record.policyId,
      receivedAt: record.receivedAt,
      clockStart: record.deadline.clockStart,
      dueDate: record.deadline.dueDate,
      ...(record.deadline.provisional
        ? { provisional: true, provisionalYears: record.deadline.provisionalYears }
        : {}),
      ...(record.deadline.pendingOn ? { dueDatePendingOn: record.deadline.pendingOn } : {}),
      verification: record.verification
        ? { method: record.verification.method, expiresAt: record.verification.expiresAt }
        : undefined,
      ...(record.needsTriage &&
      record.triageCandidates?.length === 1 &&
      submission.type === record.triageCandidates[0]
        ? {
            note: 'This right is not among the rights the policy for where you live offers; a member of our team will look at your request.',
          }
        : {}),
      ...(record.identityHold
        ? {
            note: 'No code was sent: too many recent requests or wrong codes for this address. A member of our team will check your identity and contact you.',
          }
        : {}),
      ...(fresh
        ? { statusToken: token, statusUrl: statusUrl(record.requestId, token) }
        : { replayed: true, note: 'This request was already received; its status link was sent by email.' }),
    },
  };
}
