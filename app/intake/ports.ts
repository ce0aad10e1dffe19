/**
 * The ports of the intake use cases, besides the shared ones in app/ports.ts (request repository, clock,
 * mailer, calendars, secrets). Production adapters are in adapters/aws/; tests use adapters/memory/.
 */

/** Fresh one-time secrets: handed to the requester once, stored only hashed. */
export interface OneTimeSecrets {
  /** A numeric verification code of CODE_DIGITS digits. */
  verificationCode(): string;
  /** 256 random bits, URL-safe: a status token. */
  bearerToken(): string;
}

/** What makes two submissions "the same", and what must match for a replay to be one. */
export interface SubmissionKey {
  /** The Idempotency-Key header (`key:…`), or the content's fingerprint (`content:…`). */
  readonly idempotencyKey: string;
  /** Same key with a different body is a client error (IdempotencyValidationError), not a silent replay. */
  readonly payloadFingerprint: string;
}

/**
 * Runs `create` once per key within the idempotency window: a repeat gets the first call's result
 * (as stored, so plain JSON), a repeat while the first is still running fails with
 * IdempotencyAlreadyInProgressError.
 */
export interface SubmissionLedger {
  once<T extends Record<string, unknown>>(key: SubmissionKey, create: () => Promise<T>): Promise<T>;
}

/** Counts and error lines for the operators (metrics and logs); never personal data. */
export interface IntakeTelemetry {
  count(metric: string): void;
  error(message: string, fields: Readonly<Record<string, string>>): void;
}

/** Where a received mail is stored: SES's S3 action writes the raw MIME to the inbound bucket. */
export interface StoredMail {
  readonly bucket: string;
  readonly key: string;
}

/** A tag on a stored mail: why it was rejected, or that SES truncated its headers in the event. */
export interface MailTag {
  readonly key: string;
  readonly value: string;
}

/** The received mail, as stored. */
export interface InboundMailStore {
  /** Size in bytes of the whole message as stored (header section included), as SES measures its limit. */
  size(mail: StoredMail): Promise<number>;
  /** The raw MIME message. */
  read(mail: StoredMail): Promise<Uint8Array>;
  /** Replaces the stored message's tags. */
  tag(mail: StoredMail, tags: readonly MailTag[]): Promise<void>;
}

/**
 * Where evidence a requester sent (typically ID documents) is kept, encrypted at rest; its names and
 * contents are never logged.
 */
export interface EvidenceStore {
  put(evidence: {
    readonly key: string;
    readonly content: Buffer;
    readonly contentType: string;
    /** The channel it came by, stored with it. */
    readonly source: 'email';
  }): Promise<void>;
}

/** Intake telemetry, plus the warnings and notes email intake logs (never personal data). */
export interface InboundMailTelemetry extends IntakeTelemetry {
  warn(message: string, fields: Readonly<Record<string, string>>): void;
  info(message: string, fields: Readonly<Record<string, string>>): void;
}

/**
 * Counters in fixed windows that expire on their own (domain/intake-limits.ts): wrong codes per subject,
 * requests per client. Names hold only keyed hashes, never an address.
 */
export interface AbuseCounters {
  /** Adds `by` (default 1) to the counter in the window of `windowSeconds` containing `now`; the new total. */
  add(counter: string, windowSeconds: number, now: Date, by?: number): Promise<number>;
  /** The counter's total in the window containing `now` (0 if none). */
  read(counter: string, windowSeconds: number, now: Date): Promise<number>;
}
