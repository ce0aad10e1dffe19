/**
 * Random secrets and the server-side key that hashes them. Codes and tokens
 * are generated here, handed to the requester once, and stored only hashed.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { CODE_DIGITS } from '../../domain/verification';
import { requiredEnv } from './runtime';

/** Key for HMACs of identifiers, codes and tokens (a deployment secret; see docs/limits.md). */
export const hashKey = () => requiredEnv('PIPELINE_HMAC_KEY');

/** A uniformly random numeric code of CODE_DIGITS digits, leading zeros kept. */
export function newVerificationCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

/** 256 random bits, URL-safe: for status and download tokens. */
export function newBearerToken(): string {
  return randomBytes(32).toString('base64url');
}
