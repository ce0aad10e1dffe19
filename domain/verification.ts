/**
 * Identity verification by one-time code: the rules, without the randomness
 * or the clock (both come in as arguments). Codes are stored only as an HMAC
 * and compared in constant time; five wrong tries lock the challenge.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface VerificationChallenge {
  readonly method: 'email-code';
  /** HMAC of the code; the code itself exists only in the email. */
  readonly codeHash: string;
  readonly sentAt: string;
  readonly expiresAt: string;
  readonly attempts: number;
  readonly lockedAt?: string;
}

export const CODE_DIGITS = 6;
export const CODE_LIFETIME_MINUTES = 30;
export const MAX_CODE_ATTEMPTS = 5;

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

export function newChallenge(codeHash: string, now: Date): VerificationChallenge {
  return {
    method: 'email-code',
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
