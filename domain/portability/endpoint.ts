/**
 * What a requester may name as the endpoint of a portability transfer,
 * checked at intake (syntax only: where the name resolves is checked when the
 * push runs, see address-policy.ts and adapters/net/outbound-guard.ts).
 */

/** An endpoint longer than this is refused (UTF-8 bytes). */
export const MAX_ENDPOINT_BYTES = 2048;

/** The origin of an endpoint (`scheme://host[:port]`), or undefined if it is not an absolute http(s) URL. */
export function endpointOrigin(raw: string): string | undefined {
  if (!/^https?:\/\//i.test(raw) || !URL.canParse(raw)) return undefined;
  return new URL(raw).origin;
}

/**
 * Why `raw` may not be a portability endpoint, or undefined if it may. It must
 * be an absolute `https://` URL without credentials (a password in a URL ends
 * up in logs and audit trails); plain `http://` only for an origin in
 * `allowedOrigins` (local mode's fake processor; empty on AWS).
 */
export function endpointProblem(raw: string, allowedOrigins: readonly string[] = []): string | undefined {
  if (new TextEncoder().encode(raw).byteLength > MAX_ENDPOINT_BYTES) {
    return `must be at most ${MAX_ENDPOINT_BYTES} bytes`;
  }
  const origin = endpointOrigin(raw);
  if (origin === undefined) return 'must be an absolute https:// URL';
  const url = new URL(raw);
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  if (url.protocol !== 'https:' && !allowedOrigins.includes(origin)) return 'must be an https:// URL';
  return undefined;
}
