/**
 * Signing and checking processor callbacks: HMAC-SHA256 of the raw body under
 * the processor's shared secret, hex-encoded in `X-OpenDSR-Signature`.
 *
 * The check compares in constant time, so how long a rejection takes says
 * nothing about how many leading characters of a forged signature were right.
 * It must be given the body exactly as received (bytes, before any JSON
 * parsing): re-serialised JSON would not match.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The signature a processor sends with `body`. */
export function signCallback(body: string | Uint8Array, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** Whether `signature` is the HMAC-SHA256 of `body` under `secret`. */
export function verifyCallbackSignature(
  body: string | Uint8Array,
  signature: string | undefined,
  secret: string,
): boolean {
  // An empty secret would make every signature forgeable by anyone who knows that.
  if (secret === '' || signature === undefined || !HEX_SHA256.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}
