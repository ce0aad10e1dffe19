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
