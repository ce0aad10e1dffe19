/**
 * The ports the use cases work through. Production adapters (adapters/aws/) speak to AWS; tests use the
 * in-memory adapters (adapters/memory/), so a use case's behaviour is checked in milliseconds and the
 * local stack is kept for what only the stack can show.
 *
 * A port says what the use case needs, in the domain's words; it never mentions DynamoDB, S3 or SES.
 */
import type { AuditEvent, AuditEventBody } from '../domain/audit';
import type { CalendarSet, PlainDate } from '../domain/clock';
import type { ListQuery } from '../domain/console/console-input';
import type { Actor } from '../domain/lifecycle';
import type { ReportRecord } from '../domain/reports/report';
import type { RequestRecord } from '../domain/request-record';

/** The record as a use case writes it: the repository derives versions, chain heads and index keys. */
export type RequestRecordDraft = Omit<
  RequestRecord,
  'lastSeq' | 'lastHash' | 'version' | 'openShard' | 'clearShard' | 'dueSortKey'
>;

/** What a decision wants written: the next record and the audit events that describe the change. */
export interface Mutation {
  readonly next: RequestRecordDraft;
  readonly events: readonly AuditEventBody[];
}

/**
 * The console list's filters as the repository applies them (domain/console/console-input.ts), and the
 * day `overdue` is judged on: due strictly before it is overdue.
 */
export type RequestListFilter = Omit<ListQuery, 'limit' | 'cursor'> & { readonly today: PlainDate };

/** One page of a listing, and where the listing goes on after it. */
export interface RequestListPage {
  readonly records: readonly RequestRecord[];
  /** A cursor after the last request the page read (app/request-list.ts); undefined when none follows. */
  readonly cursor: string | undefined;
}

/**
 * Every access to requests and their audit trails. A change to a request and the audit events that
 * describe it are written together or not at all, and a write on a stale copy fails with StaleRequest.
 */
export interface RequestRepository {
  /** Stores a new request with its first events; StaleRequest if the id exists. */
  create(record: RequestRecordDraft, events: readonly AuditEventBody[]): Promise<RequestRecord>;
  /** A consistent read; RequestNotFound if there is none. */
  get(requestId: string): Promise<RequestRecord>;
  /** Replaces `current` with `next` unless someone else changed it first (StaleRequest). */
  save(
    current: RequestRecord,
    next: RequestRecordDraft,
    events: readonly AuditEventBody[],
  ): Promise<RequestRecord>;
  /**
   * Reads, lets `decide` choose the change from what is stored now, writes it, and on a concurrent write
   * reads and decides again. `decide` returning undefined means "nothing to do".
   */
  mutate(requestId: string, decide: (current: RequestRecord) => Mutation | undefined): Promise<RequestRecord>;
  /** The request's whole trail, in order. */
  trail(requestId: string): Promise<AuditEvent[]>;
  /** Open requests in due-date order, a page at a time (the sparse due-date index, never a scan). */
  openRequests(pageSize: number): AsyncIterable<RequestRecord[]>;
  /**
   * Closed requests still holding clear values (not minimised) that closed at or before `closedBefore`
   * (ISO instant), oldest close first, a page at a time (the sparse byClosedAt index, never a scan).
   */
  closedWithClearValues(closedBefore: string, pageSize: number): AsyncIterable<RequestRecord[]>;
  /** Ids of a subject's requests received at or after `since` (ISO instant), oldest first. */
  subjectRequestIds(subjectKey: string, since: string): Promise<string[]>;
  /** The requests with these ids that exist, in no particular order. */
  getMany(requestIds: readonly string[]): Promise<RequestRecord[]>;
  /**
   * Requests matching `filter` in due-date order (those whose clock has not started last): the open
   * ones from the sparse due-date index, or those in one status from the status index; never a scan.
   * A page at a time from `from` (a cursor of this listing; InvalidCursor otherwise): each page reads
   * at most `pageSize` requests, and holds fewer where the filters leave some out.
   */
  listRequests(
    filter: RequestListFilter,
    options: { readonly pageSize: number; readonly from?: string },
  ): AsyncIterable<RequestListPage>;
  /**
   * Every request, open or closed, with only what a report counts (no identifiers or other personal
   * data): read from the status index, every page, never a scan.
   */
  reportRecords(): Promise<ReportRecord[]>;
}

/**
 * A request's download links as they are revoked: by the console (a link mailed to a wrong address, a
 * requester who asks), and by a deletion of the same subject (app/fulfilment/withdraw-earlier-packages.ts). On AWS, the Tokens table and the request's trail (adapters/aws/download-links.ts).
 */
export interface RevocableDownloadLinks {
  /** The ids of the request's links that still open its package at `now`, oldest first. */
  liveLinks(requestId: string, now: Date): Promise<string[]>;
  /**
   * Revokes one link of the request and audits it on the request's trail (download-link-revoked, with
   * the actor and the reason). Revoking a revoked link changes nothing.
   */
  revoke(input: {
    readonly requestId: string;
    readonly linkId: string;
    readonly actor: Actor;
    readonly now: Date;
    readonly reason?: string;
  }): Promise<void>;
}

/** The time, injected: use cases never read the machine's clock. */
/**
 * The keyed MAC of the audit trail (domain/audit.ts `mac`), over an event's hash. On AWS a KMS HMAC
 * key that no function can export (adapters/aws/kms-trail-mac.ts): writers may only GenerateMac, so a
 * compromised function can add events but cannot forge a rewritten one. Locally the same adapter
 * talks to the local KMS endpoint (local/kms.ts); in unit tests an HMAC with a key in memory.
 */
export interface TrailMac {
  /** The MAC of an event hash (64 hex digits), base64. */
  sign(hash: string): Promise<string>;
  /** Whether `mac` is the MAC of `hash` under the trail key (false for any malformed input). */
  verify(hash: string, mac: string): Promise<boolean>;
}

export interface Clock {
  now(): Date;
}

/** A message to one recipient; `messageId` makes a resend recognisable as the same mail. */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly messageId?: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/** A text message to one phone number (normalised, `+` and digits). */
export interface OutgoingSms {
  readonly to: string;
  readonly text: string;
}

/** Sends SMS: Amazon SNS, an HTTP SMS provider, or nothing where the deployment sends none. */
export interface SmsSender {
  /** False where the deployment sends no SMS: a phone number alone cannot then be verified online. */
  readonly enabled: boolean;
  send(sms: OutgoingSms): Promise<void>;
}

/** The working calendars with the notices imported at run time. */
export interface CalendarSource {
  calendars(options?: { fresh?: boolean }): Promise<CalendarSet>;
}

/** Secrets the use cases need, read through whatever store the deployment uses. */
export interface SecretsReader {
  /** The pipeline's HMAC key for identifiers, codes and tokens. */
  hashKey(): Promise<string>;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Starts the fulfilment workflow of a request. The run is named after the request (a redrive names
 * its own), so starting it twice is harmless.
 */
export interface WorkflowStarter {
  start(requestId: string, executionName?: string): Promise<void>;
}
