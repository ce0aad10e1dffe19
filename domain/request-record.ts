/**
 * The stored shape of a request: the single source of truth that every handler
 * and workflow step reads and writes (with optimistic locking on `version`).
 */
import type { Attention } from './attention';
import type { AuditEventBody } from './audit';
import type { PlainDate } from './clock';
import type {
  Approval,
  CaseNote,
  ConsoleIntakeChannel,
  Refusal,
  RepeatDecision,
} from './console/case-records';
import type { DeadlineResult } from './deadline';
import type { FulfilmentState } from './fulfilment';
import type { IdentityHold } from './intake-limits';
import { isOpen, type RequestStatus } from './lifecycle';
import type { MailFlag } from './mail-authenticity';
import type { OrganisationFloor } from './policy/organisation';
import type { Channel, IdentifierKind, IdentityMethod, RequesterRole, RequestType } from './request';
import type { VerificationChallenge } from './verification';

export interface SubjectIdentifier {
  readonly kind: IdentifierKind;
  /**
   * Normalised value. Needed to find the subject's data, so it is kept, but only
   * in the KMS-encrypted request table; it is never logged or returned by the API.
   */
  readonly value: string;
  /** Keyed hash of the value (see domain/identifiers.ts). */
  readonly key: string;
  readonly masked: string;
  /** Only verified identifiers may be used to find data (Fides #2451). */
  readonly verified: boolean;
  readonly verifiedBy?: IdentityMethod;
  readonly verifiedAt?: string;
}

export interface RequestRecord {
  readonly requestId: string;
  readonly policyId: string;
  /** Undefined while an email request waits for an agent to triage it. */
  readonly type?: RequestType;
  readonly needsTriage: boolean;
  readonly triageCandidates?: readonly RequestType[];
  readonly channel: Channel;
  readonly status: RequestStatus;
  readonly requester: {
    readonly role: RequesterRole;
    readonly name?: string;
    readonly relation?: string;
    readonly proof?: string;
  };
  readonly identifiers: readonly SubjectIdentifier[];
  /** Key of the primary identifier, for the bySubject index. */
  readonly subjectKey: string;
  readonly details?: string;
  readonly portabilityTarget?: { readonly recipientName: string; readonly endpoint: string };
  readonly locale: 'zh-CN' | 'en';
  /** ISO-8601 instant of receipt. */
  readonly receivedAt: string;
  /**
   * ISO-8601 instant the request last moved from an open to a closed status
   * (set by the request store from that status change; absent while open, and
   * on requests closed before the field existed).
   */
  readonly closedAt?: string;
  /**
   * ISO instant the clear values (identifier values, names, free text) were replaced by masked ones,
   * the profile's `clearValuesRetentionDays` after the close (domain/minimisation.ts).
   */
  readonly minimisedAt?: string;
  readonly deadline: DeadlineResult;
  readonly verifiedOn?: PlainDate;
  readonly verification?: VerificationChallenge;
  /**
   * No code was sent because the subject's limits were reached (domain/intake-limits.ts): an agent
   * checks the requester's identity in the console instead.
   */
  readonly identityHold?: IdentityHold;
  /**
   * The organisation's floor when the request came in (domain/policy/organisation.ts): approvals and
   * identity methods that apply whatever the policy says. Kept on the request so that a later change of
   * the settings does not change what an open request needs.
   */
  readonly organisationFloor?: OrganisationFloor;
  /** SHA-256 of the requester's status token. */
  readonly statusTokenHash: string;
  /**
   * HMACs of the "this was not me" tokens mailed with the codes and the wait notice (one per mail; the
   * tokens are not kept): any of them cancels the request before fulfilment starts (domain/fulfilment-wait.ts).
   */
  readonly cancelTokenHashes?: readonly string[];
  /**
   * ISO instant before which fulfilment must not start (a destructive type's wait after verification);
   * present until the sweeper ends the wait, so its presence means "verified, fulfilment not started".
   */
  readonly fulfilmentNotBefore?: string;
  /** S3 keys (evidence bucket) of documents that came with the request. */
  readonly evidenceKeys?: readonly string[];
  /** S3 key (inbound bucket) of the raw email, for email requests. */
  readonly inboundMessageKey?: string;
  /**
   * What SES's verdicts said was wrong with the mail a request came from
   * (domain/mail-authenticity.ts); absent when nothing was. Such a request
   * waits for triage, and a suspected-spoofing one was sent no code.
   */
  readonly mailFlags?: readonly MailFlag[];
  readonly pausedUnits: number;
  readonly extended: boolean;
  /** Day the clock stopped while awaiting the requester (policies that allow a pause); absent while it runs. */
  readonly pausedSince?: PlainDate;
  /** Status to return to when the requester answers; present while awaiting the requester. */
  readonly resumeTo?: RequestStatus;
  /** Day the requester was told of the extension, and why. */
  readonly postponedOn?: PlainDate;
  readonly extensionReason?: string;
  /** Console user the request is assigned to. */
  readonly assignee?: string;
  /** How a request taken in the console reached the organisation. */
  readonly receivedVia?: ConsoleIntakeChannel;
  /** The console user who took the request (console channel): never its four-eyes approver. */
  readonly takenBy?: string;
  /**
   * The console user who checked the requester's identity (at intake or in an identity review); absent
   * when a code or nobody did. Where fulfilment needs an approval, the approver must be someone else.
   */
  readonly identityCheckedBy?: string;
  /** Approvals of fulfilment, where the policy or the request type needs one (the workflow waits for it). */
  readonly approvals?: readonly Approval[];
  readonly refusal?: Refusal;
  /** The request this one was closed as a duplicate of. */
  readonly duplicateOf?: string;
  readonly repeat?: RepeatDecision;
  readonly notes?: readonly CaseNote[];
  /**
   * Timer notices already sent, by kind (`reminder:0.5`, `acknowledgement`, …) → ISO instant:
   * the sweeper sends each kind at most once (domain/timers/timer-events.ts).
   */
  readonly remindersSent?: Readonly<Record<string, string>>;
  /** Set once, the day after the due date passed with the request still open; the request stays open. */
  readonly breach?: { readonly at: string; readonly dueDate: PlainDate };
  /** Present only on closed requests not yet minimised: makes the byClosedAt index sparse. */
  readonly clearShard?: 'CLEAR';
  /** Present only while the request is open: makes the byDueDate index sparse. */
  readonly openShard?: 'OPEN';
  /** Manual stores waiting for an agent (derived on every write; absent when none): the list's filter. */
  readonly openManualTasks?: number;
  /** `<dueDate or 9999-12-31>#<requestId>`: due-date order in the byDueDate index. */
  readonly dueSortKey: string;
  readonly fulfilment?: FulfilmentState;
  /** Why the workflow stopped; present while the request needs attention (domain/workflow-failure.ts). */
  readonly attention?: Attention;
  /** Times the workflow was run again from the console: names each new execution. */
  readonly redrives?: number;
  readonly lastSeq: number;
  readonly lastHash: string;
  readonly version: number;
}

/** Due date for index ordering: requests whose clock has not started sort last. */
export function dueSortKey(requestId: string, dueDate: string | null): string {
  return `${dueDate ?? '9999-12-31'}#${requestId}`;
}

/**
 * `closedAt` of a record about to be stored, decided in one place (the request
 * store) so every path that closes a request sets it: the instant of the status
 * change that closed it; kept while it stays closed (a closed-to-closed move,
 * e.g. partially fulfilled to fulfilled, does not move the close); dropped when
 * a redrive reopens it, and set again when it closes again. `previous` is
 * undefined for a new record.
 */
export function closedAtAfter(
  previous: Pick<RequestRecord, 'status' | 'closedAt'> | undefined,
  nextStatus: RequestStatus,
  events: readonly AuditEventBody[],
): string | undefined {
  if (isOpen(nextStatus)) return undefined;
  if (previous !== undefined && !isOpen(previous.status)) return previous.closedAt;
  const closing = events.findLast(
    (event) => event.type === 'status-changed' && event.details?.to === nextStatus,
  );
  return (closing ?? events.at(-1))?.at;
}
