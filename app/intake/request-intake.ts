/**
 * Turns an accepted submission (web form, API, email or console) into a stored
 * request: identifiers normalised and keyed, the policy's clock computed in the
 * policy's time zone, the status token issued, and — for online channels — a
 * one-time code mailed to the subject's address. Shared by every intake channel (the submit use case,
 * email intake and console intake), over the ports in `IntakeDeps`.
 */

import { randomUUID } from 'node:crypto';
import { IDENTITY_HELD_METRIC } from '../../definitions/metrics';
import type { AuditEventBody } from '../../domain/audit';
import type { ConsoleIntakeChannel } from '../../domain/console/case-records';
import { type AgentIdentityCheck, verifyIdentifiersByAgent } from '../../domain/console/identity';
import { receivedOnFor } from '../../domain/deadline';
import { identifierKey, maskIdentifier, normaliseIdentifier } from '../../domain/identifiers';
import {
  COUNTERS,
  type IdentityHoldReason,
  identityHoldFor,
  intakeLimitsFor,
} from '../../domain/intake-limits';
import { type Actor, planTransition } from '../../domain/lifecycle';
import type { MailFlag } from '../../domain/mail-authenticity';
import { verificationNotice, verificationSms } from '../../domain/notices';
import { type OrganisationSettings, withFloor } from '../../domain/policy/organisation';
import type { PolicyProfile } from '../../domain/policy/schema';
import type { Channel, IdentifierKind, RequestType } from '../../domain/request';
import { requestClock } from '../../domain/request-clock';
import type { RequestRecord, SubjectIdentifier } from '../../domain/request-record';
import {
  CODE_LIFETIME_MINUTES,
  type CodeMethod,
  codeMethodFor,
  hashSecret,
  newChallenge,
} from '../../domain/verification';
import type { CalendarSource, Clock, Mailer, RequestRepository, SecretsReader, SmsSender } from '../ports';
import { approvedRequestOf, cancelTokenHash, cancelUrl } from './cancel-link';
import type { AbuseCounters, IntakeTelemetry, OneTimeSecrets } from './ports';

/** The ports every intake channel stores a request through. */
export interface IntakeDeps {
  readonly requests: RequestRepository;
  readonly calendars: CalendarSource;
  readonly secrets: SecretsReader;
  readonly oneTimeSecrets: OneTimeSecrets;
  readonly mailer: Mailer;
  readonly sms: SmsSender;
  readonly clock: Clock;
  readonly telemetry: IntakeTelemetry;
  readonly counters: AbuseCounters;
  /** The organisation's settings: its residences and their policies, and its floor. */
  readonly organisation: OrganisationSettings;
}

/** What mailing a code needs: the mail goes out, and a failure is recorded on the trail. */
export type VerificationCodeDeps = Pick<IntakeDeps, 'requests' | 'mailer' | 'sms' | 'clock' | 'telemetry'>;

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
  /**
   * Email intake: what the mail's verdicts said was wrong with it. A flagged request waits for triage
   * whatever its type; a suspected-spoofing one gets no code (the From: address may not be the sender's).
   */
  readonly mailFlags?: readonly MailFlag[];
  /** More facts for the request-received event (never PII), e.g. the failed checks or dropped attachments. */
  readonly receivedDetails?: Readonly<Record<string, unknown>>;
  readonly actor: Actor;
  /** When the request was received (the clock's start), from the caller's clock. */
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

export async function statusTokenHash(
  secrets: SecretsReader,
  requestId: string,
  token: string,
): Promise<string> {
  return hashSecret(await secrets.hashKey(), 'status-token', requestId, token);
}

/** The requester's status page (web/pages.ts), which reads the JSON API with the token. */
export function statusUrl(requestId: string, token: string): string {
  const base = process.env.PUBLIC_BASE_URL ?? '';
  const query = new URLSearchParams({ id: requestId, token });
  return `${base}/status?${query.toString()}`;
}

/**
 * Content-derived key, so a double-clicked form or a resent submission creates one request, not two.
 * Keyed (an HMAC under the pipeline key): the idempotency table stores it, and an unkeyed hash of a
 * body holding an email address could be confirmed by anyone who guesses the address.
 */
export function submissionFingerprint(hashKey: string, parts: unknown): string {
  return hashSecret(hashKey, 'submission-content', 'intake', JSON.stringify(parts));
}

export async function takeInRequest(deps: IntakeDeps, input: IntakeInput): Promise<IntakeResult> {
  const key = await deps.secrets.hashKey();
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
  // Email first (the code goes there), then a phone number (an SMS), then whatever was given.
  const primary =
    identifiers.find((identifier) => identifier.kind === 'email') ??
    identifiers.find((identifier) => identifier.kind === 'phone') ??
    identifiers[0]!;
  const { floor } = deps.organisation;
  // A right the policy does not offer is for a person to decide, never for automatic fulfilment.
  const notOffered = input.type !== undefined && !input.policy.rightsOffered.includes(input.type);
  const triageCandidates = notOffered ? [input.type!] : input.triageCandidates;
  const mailFlags = input.mailFlags?.length ? input.mailFlags : undefined;
  const spoofed = mailFlags?.includes('suspected-spoofing') === true;
  // The classifier's guess stays among the candidates; a flagged mail is typed by a person.
  const type = notOffered || mailFlags ? undefined : input.type;
  const checked = input.identityCheck
    ? verifyIdentifiersByAgent(
        {
          policy: withFloor(input.policy, floor),
          identifiers,
          evidenceKeys: input.evidenceKeys ?? [],
          check: input.identityCheck,
        },
        input.actor,
        at,
      )
    : undefined;
  const verifiedOn = checked ? receivedOnFor(input.policy, input.now) : undefined;
  const { deadline } = requestClock(
    input.policy,
    { receivedAt: at, ...(verifiedOn ? { verifiedOn } : {}), extended: false, pausedUnits: 0 },
    await deps.calendars.calendars(),
  );
  if (deadline.provisional) deps.telemetry.count('ProvisionalDeadline');
  const { statusToken } = input;
  // A forged sender gets no code: it would go to the forged address's real owner.
  const method =
    checked || spoofed
      ? undefined
      : codeMethodFor(primary.kind, withFloor(input.policy, floor).identityMethods, deps.sms.enabled);
  const hold = method ? await identityHold(deps, input.policy, primary.key, input.now) : undefined;
  const code = method && !hold ? deps.oneTimeSecrets.verificationCode() : undefined;
  // Issue 13: the code mail carries a "this was not me" link; only its token's HMAC is kept.
  const cancelToken = code && method === 'email-code' ? deps.oneTimeSecrets.bearerToken() : undefined;

  const events: AuditEventBody[] = [
    {
      type: 'request-received',
      actor: input.actor,
      at,
      details: {
        // First, so that nothing it holds can stand in for the facts below.
        ...input.receivedDetails,
        channel: input.channel,
        type: type ?? 'needs-triage',
        ...(notOffered ? { notOffered: input.type } : {}),
        policy: input.policy.id,
        ...(mailFlags ? { mailFlags } : {}),
        ...(input.receivedVia ? { receivedVia: input.receivedVia } : {}),
        role: input.requester.role,
        identifiers: identifiers.map((identifier) => identifier.masked),
        ...(deadline.provisionalYears ? { provisionalYears: deadline.provisionalYears } : {}),
      },
    },
  ];
  let status: RequestRecord['status'] = 'received';
  if (code) {
    events.push(planTransition(status, { to: 'pending-verification', actor: input.actor, at }));
    status = 'pending-verification';
    events.push({
      type: 'verification-code-sent',
      actor: input.actor,
      at,
      details: { to: primary.masked, method },
    });
  }
  if (hold) {
    events.push({
      type: 'identity-held',
      actor: { kind: 'system', id: 'intake-limits' },
      at,
      details: { reason: hold },
    });
    deps.telemetry.count(IDENTITY_HELD_METRIC);
  }
  if (checked) {
    events.push(checked.event, planTransition(status, { to: 'verified', actor: input.actor, at }));
    status = 'verified';
  }

  const record = await deps.requests.create(
    {
      requestId,
      policyId: input.policy.id,
      ...(type ? { type } : {}),
      needsTriage: type === undefined,
      ...(triageCandidates ? { triageCandidates } : {}),
      organisationFloor: floor,
      channel: input.channel,
      status,
      requester: input.requester,
      identifiers: checked?.identifiers ?? identifiers,
      ...(input.receivedVia ? { receivedVia: input.receivedVia } : {}),
      // Who may not approve it later (domain/console/approval.ts): the agent who took it, and who checked.
      ...(input.channel === 'console' && input.actor.kind === 'agent' ? { takenBy: input.actor.id } : {}),
      ...(checked && input.actor.kind === 'agent' ? { identityCheckedBy: input.actor.id } : {}),
      subjectKey: primary.key,
      ...(input.details ? { details: input.details } : {}),
      ...(input.portabilityTarget ? { portabilityTarget: input.portabilityTarget } : {}),
      locale: input.locale,
      receivedAt: at,
      deadline,
      ...(verifiedOn ? { verifiedOn } : {}),
      ...(hold ? { identityHold: { reason: hold, at } } : {}),
      ...(code && method
        ? {
            verification: newChallenge(
              hashSecret(key, 'verification-code', requestId, code),
              input.now,
              method,
            ),
          }
        : {}),
      statusTokenHash: await statusTokenHash(deps.secrets, requestId, statusToken),
      ...(cancelToken
        ? { cancelTokenHashes: [await cancelTokenHash(deps.secrets, requestId, cancelToken)] }
        : {}),
      ...(input.evidenceKeys ? { evidenceKeys: input.evidenceKeys } : {}),
      ...(input.inboundMessageKey ? { inboundMessageKey: input.inboundMessageKey } : {}),
      ...(mailFlags ? { mailFlags } : {}),
      pausedUnits: 0,
      extended: false,
    },
    events,
  );

  if (code && method) {
    return {
      record: await sendVerificationCode(deps, record, {
        method,
        to: primary.value,
        code,
        organisation: input.policy.organisation,
        statusUrl: statusUrl(requestId, statusToken),
        ...(cancelToken ? { cancelUrl: cancelUrl(requestId, cancelToken) } : {}),
      }),
    };
  }
  return { record };
}

/**
 * Whether the subject's limits send this request to an agent instead of mailing a code: the subject is
 * locked by wrong codes across its requests, or has too many requests waiting for a code already
 * (domain/intake-limits.ts). Reads the subject index for the policy's verification window only.
 */
async function identityHold(
  deps: Pick<IntakeDeps, 'requests' | 'counters'>,
  policy: PolicyProfile,
  subjectKey: string,
  now: Date,
): Promise<IdentityHoldReason | undefined> {
  const limits = intakeLimitsFor(policy);
  const wrongCodes = await deps.counters.read(
    COUNTERS.wrongCodes(subjectKey),
    limits.subjectWindowHours * 3600,
    now,
  );
  const since = new Date(now.getTime() - policy.unverifiedExpiryDays * 86_400_000).toISOString();
  const ids = await deps.requests.subjectRequestIds(subjectKey, since);
  const open = ids.length === 0 ? [] : await deps.requests.getMany(ids);
  const openUnverified = open.filter((record) => record.status === 'pending-verification').length;
  return identityHoldFor({ openUnverified, wrongCodes }, limits);
}

export interface VerificationCodeMessage {
  readonly method: CodeMethod;
  /** The normalised email address or phone number the code goes to. */
  readonly to: string;
  readonly code: string;
  readonly organisation: string;
  /** Only the first mail has it (the token is not kept, only its hash); an SMS never does. */
  readonly statusUrl?: string;
  /** The "this was not me" page, with a token whose hash is on the request (app/intake/cancel-link.ts); mail only. */
  readonly cancelUrl?: string;
}

/**
 * Sends a code for a request that is already safely stored: by mail (saying what the code approves,
 * with the status link on the first and a "this was not me" link) or by SMS (the code, the request type
 * and the organisation only). A failed send must not lose the request: it is recorded on the trail as
 * `notification-failed` (by error name only) and the requester can ask for a new code. Returns the
 * request as it now stands.
 */
export async function sendVerificationCode(
  deps: VerificationCodeDeps,
  record: RequestRecord,
  message: VerificationCodeMessage,
): Promise<RequestRecord> {
  const { requestId } = record;
  const channel = message.method === 'sms-code' ? 'sms' : 'mail';
  try {
    if (channel === 'sms') {
      const text = verificationSms({
        code: message.code,
        type: record.type,
        organisation: message.organisation,
        locale: record.locale,
      });
      await deps.sms.send({ to: message.to, text });
    } else {
      const notice = verificationNotice({
        requestId,
        code: message.code,
        lifetimeMinutes: CODE_LIFETIME_MINUTES,
        ...(message.statusUrl ? { statusUrl: message.statusUrl } : {}),
        // Issue 13: the mail says what the code approves.
        ...approvedRequestOf(record),
        ...(message.cancelUrl ? { cancelUrl: message.cancelUrl } : {}),
        organisation: message.organisation,
      });
      await deps.mailer.send({ to: message.to, ...notice });
    }
    return record;
  } catch (error) {
    const errorName = error instanceof Error ? error.name : 'UnknownError';
    deps.telemetry.error('Verification code not sent', { requestId, channel, errorName });
    deps.telemetry.count('NotificationFailed');
    const failure: AuditEventBody = {
      type: 'notification-failed',
      actor: { kind: 'system', id: channel === 'sms' ? 'sms' : 'mailer' },
      at: deps.clock.now().toISOString(),
      details: { notice: 'verification-code', ...(channel === 'sms' ? { channel } : {}), errorName },
    };
    return deps.requests.save(record, record, [failure]).catch((saveError: unknown) => {
      // The request stands either way; the log line and the metric remain.
      deps.telemetry.error('Send failure not recorded on the trail', {
        requestId,
        errorName: saveError instanceof Error ? saveError.name : 'UnknownError',
      });
      return record;
    });
  }
}
