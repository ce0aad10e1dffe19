/**
 * Limits that hold across requests, so that a fresh request never buys fresh guesses.
 *
 * The per-request lock (domain/verification.ts) stops five wrong codes on one request; without these,
 * an attacker who files request after request for someone else's address gets five more guesses each
 * time. Three limits close that:
 * - **open unverified requests per subject**: past the cap, a new request for the subject is stored but
 *   sends no code; it waits for an agent in the console (`identityHold`);
 * - **wrong codes per subject**, counted across all its requests in a window: past the threshold, every
 *   pending request of the subject stops accepting codes and new ones go to the console;
 * - **requests per client** (by keyed hash of the source address) on the public routes, per minute.
 *
 * Pure: counts come in as arguments (the AbuseCounters port keeps them), and so does the time.
 */
import { z } from 'zod';

/** Why a request waits for an agent to check the requester's identity instead of getting a code. */
export type IdentityHoldReason = 'subject-locked' | 'too-many-open-requests';

export interface IdentityHold {
  readonly reason: IdentityHoldReason;
  readonly at: string;
}

export const IntakeLimitsSchema = z.strictObject({
  /** Requests of one subject that may wait for their code at once; more go to an agent. */
  maxOpenUnverifiedPerSubject: z.number().int().min(1).max(20),
  /** Wrong codes across a subject's requests within `subjectWindowHours` that lock the subject. */
  wrongCodesPerSubject: z.number().int().min(1).max(100),
  /** The window of the subject's wrong-code count, and so how long a lock lasts at most. */
  subjectWindowHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30),
});

export type IntakeLimits = z.output<typeof IntakeLimitsSchema>;

/**
 * Defaults: three open requests cover a requester who retries twice; ten wrong codes a day per subject
 * leave a typo-prone person room (two requests' worth) and an attacker one chance in ten million a day
 * against an eight-digit code (domain/verification.ts CODE_DIGITS).
 */
export const DEFAULT_INTAKE_LIMITS: IntakeLimits = {
  maxOpenUnverifiedPerSubject: 3,
  wrongCodesPerSubject: 10,
  subjectWindowHours: 24,
};

/** The profile's limits over the defaults (a profile may tighten or loosen each one). */
export function intakeLimitsFor(profile: { readonly intakeLimits?: Partial<IntakeLimits> }): IntakeLimits {
  return { ...DEFAULT_INTAKE_LIMITS, ...profile.intakeLimits };
}

/** What a new request that would get a code does instead, if anything. */
export function identityHoldFor(
  counts: { readonly openUnverified: number; readonly wrongCodes: number },
  limits: IntakeLimits,
): IdentityHoldReason | undefined {
  if (counts.wrongCodes >= limits.wrongCodesPerSubject) return 'subject-locked';
  if (counts.openUnverified >= limits.maxOpenUnverifiedPerSubject) return 'too-many-open-requests';
  return undefined;
}

/** Whether a subject with this many wrong codes in the window may try another. */
export function subjectLocked(wrongCodes: number, limits: IntakeLimits): boolean {
  return wrongCodes >= limits.wrongCodesPerSubject;
}

/** The fixed window containing `now`: its start (which names the counter) and when its counter expires. */
export function fixedWindow(now: Date, seconds: number): { readonly start: number; readonly endsAt: Date } {
  const start = Math.floor(now.getTime() / 1000 / seconds) * seconds;
  return { start, endsAt: new Date((start + seconds) * 1000) };
}

/** Names of the counters, in one place: a typo here would be a limit that never trips. */
export const COUNTERS = {
  wrongCodes: (subjectKey: string) => `wrong-codes#${subjectKey}`,
  client: (route: string, clientKey: string) => `client#${route}#${clientKey}`,
} as const;

export type ClientRateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/** A client's request number `count` in the window ending `endsAt`, against `limit` per window. */
export function clientRate(count: number, limit: number, now: Date, endsAt: Date): ClientRateDecision {
  if (count <= limit) return { allowed: true };
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((endsAt.getTime() - now.getTime()) / 1000)),
  };
}
