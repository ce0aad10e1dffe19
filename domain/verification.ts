/**
 * Identity verification by one-time code: the rules, without the randomness
 * or the clock (both come in as arguments). Codes are stored only as an HMAC
 * and compared in constant time; five wrong tries lock the challenge.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidInput } from './errors';
import type { IdentifierKind, IdentityMethod } from './request';

/** How a code reaches the subject: by mail to the email address, or by SMS to the phone number. */
export type CodeMethod = Extract<IdentityMethod, 'email-code' | 'sms-code'>;

export interface VerificationChallenge {
  /** The channel the code went by; the identifier of that channel is the one a right code verifies. */
  readonly method: CodeMethod;
  /** HMAC of the code; the code itself exists only in the mail or the SMS. */
  readonly codeHash: string;
  readonly sentAt: string;
  readonly expiresAt: string;
  /** Wrong codes tried so far, across every code sent for the request. */
  readonly attempts: number;
  readonly lockedAt?: string;
  /** New codes sent after the first (see `reissueChallenge`). */
  readonly resends?: number;
}

/**
 * Eight digits: with the subject's wrong-code limit (domain/intake-limits.ts, ten a day) an attacker has
 * one chance in ten million a day; six digits gave one in a hundred thousand.
 */
export const CODE_DIGITS = 8;
export const CODE_LIFETIME_MINUTES = 30;
export const MAX_CODE_ATTEMPTS = 5;
/** New codes a requester may ask for after the first; each one is another mail to someone's inbox. */
export const MAX_CODE_RESENDS = 3;

/** The kind of identifier a code method proves control of. */
export function identifierKindOf(method: CodeMethod): IdentifierKind {
  return method === 'sms-code' ? 'phone' : 'email';
}

/**
 * How an online request's code is sent to its primary identifier, or undefined when none can be
 * (an agent checks the requester instead). An email address always gets a mailed code; a phone
 * number gets an SMS only where the policy accepts SMS codes and the deployment sends SMS.
 */
export function codeMethodFor(
  primary: IdentifierKind,
  accepted: readonly IdentityMethod[],
  smsAvailable: boolean,
): CodeMethod | undefined {
  if (primary === 'email') return 'email-code';
  if (primary === 'phone' && smsAvailable && accepted.includes('sms-code')) return 'sms-code';
  return undefined;
}

/** An online request gave a phone number alone where no SMS code can verify it (400 naming `subject.email`). */
export class SmsVerificationNotOffered extends InvalidInput {
  override readonly name = 'SmsVerificationNotOffered' as const;
  readonly code = 'sms-verification-not-offered';
  constructor(reason: 'policy' | 'deployment', policyId: string) {
    super(
      reason === 'policy'
        ? `Policy ${policyId} does not verify requests by SMS code: give an email address`
        : 'This service sends no SMS: give an email address to verify the request',
      { field: 'subject.email' },
    );
  }
}

/** HMAC-SHA256 of a secret bound to its purpose and owner, so a hash cannot be replayed elsewhere. */
export function hashSecret(key: string, purpose: string, owner: string, secret: string): string {
  return createHmac('sha256', key).update(`${purpose}\u0000${owner}\u0000${secret}`).digest('base64url');
}

/** Constant-time equality of two hashes (different lengths are simply unequal). */
export function hashesMatch(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function newChallenge(
  codeHash: string,
  now: Date,
  method: CodeMethod = 'email-code',
): VerificationChallenge {
  return {
    method,
    codeHash,
    sentAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + CODE_LIFETIME_MINUTES * 60_000).toISOString(),
    attempts: 0,
  };
}

export type CodeCheck =
  | { readonly outcome: 'verified'; readonly challenge: VerificationChallenge }
  | {
      readonly outcome: 'wrong-code';
      readonly challenge: VerificationChallenge;
      readonly attemptsLeft: number;
    }
  | { readonly outcome: 'locked'; readonly challenge: VerificationChallenge; readonly justLocked: boolean }
  | { readonly outcome: 'expired'; readonly challenge: VerificationChallenge };

/**
 * Judges one attempt. The attempt is counted before the comparison, so a
 * locked or expired challenge never reveals whether the code was right.
 */
export function checkCode(challenge: VerificationChallenge, givenHash: string, now: Date): CodeCheck {
  if (challenge.lockedAt) return { outcome: 'locked', challenge, justLocked: false };
  if (now.getTime() > Date.parse(challenge.expiresAt)) return { outcome: 'expired', challenge };
  const attempts = challenge.attempts + 1;
  if (hashesMatch(challenge.codeHash, givenHash)) {
    return { outcome: 'verified', challenge: { ...challenge, attempts } };
  }
  if (attempts >= MAX_CODE_ATTEMPTS) {
    return {
      outcome: 'locked',
      challenge: { ...challenge, attempts, lockedAt: now.toISOString() },
      justLocked: true,
    };
  }
  return {
    outcome: 'wrong-code',
    challenge: { ...challenge, attempts },
    attemptsLeft: MAX_CODE_ATTEMPTS - attempts,
  };
}

export type ReissueDecision =
  | { readonly outcome: 'reissued'; readonly challenge: VerificationChallenge }
  | { readonly outcome: 'locked' }
  | { readonly outcome: 'limit-reached' };

/**
 * Replaces the code of a challenge: the old hash is overwritten, so the old
 * code stops working, and the new one gets a fresh lifetime. Wrong attempts
 * carry over, because the lock counts guesses per request, not per code:
 * asking for new codes must not buy more guesses.
 */
export function reissueChallenge(
  challenge: VerificationChallenge,
  codeHash: string,
  now: Date,
): ReissueDecision {
  if (challenge.lockedAt) return { outcome: 'locked' };
  const resends = (challenge.resends ?? 0) + 1;
  if (resends > MAX_CODE_RESENDS) return { outcome: 'limit-reached' };
  return {
    outcome: 'reissued',
    challenge: { ...newChallenge(codeHash, now, challenge.method), attempts: challenge.attempts, resends },
  };
}
