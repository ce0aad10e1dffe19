/**
 * Verification of SigV4 presigned URLs (query-string authentication), as S3
 * does it.
 *
 * Why it exists: export packages are delivered through expiring presigned S3
 * links. The S3-compatible server used in local mode (s3rver) enforces their
 * expiry but accepts any signature, so a tampered link (another key, a longer
 * expiry) would work locally and fail on AWS. This module recomputes the
 * signature the way S3 does, so local mode rejects what AWS rejects.
 *
 * What it reproduces: the canonical request of a presigned URL (method,
 * URI-encoded path, sorted canonical query without X-Amz-Signature, the
 * headers named in X-Amz-SignedHeaders, and UNSIGNED-PAYLOAD unless the query
 * carries X-Amz-Content-Sha256), the credential scope from X-Amz-Credential,
 * the HMAC-SHA256 signing-key chain, and the X-Amz-Expires window (at most
 * seven days). The signature is checked before the expiry so that only
 * authentic expiry values are trusted.
 *
 * What it does not: header-signed (Authorization) requests, chunked payload
 * signatures, session tokens' validity, region checks; S3's
 * "not yet valid" check on future X-Amz-Date values.
 *
 * Pure: no I/O, and `now` comes in as an argument.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { LocalCredentials } from './credentials';

export type PresignFailure = 'malformed' | 'unknown-access-key' | 'signature-mismatch' | 'expired';

export type PresignVerification =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: PresignFailure; readonly message: string };

export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_EXPIRES_SECONDS = 604_800;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const HEX_SIGNATURE = /^[0-9a-f]{64}$/;

/** True when the request authenticates with a SigV4 presigned query string. */
export function isPresignedRequest(url: string): boolean {
  const query = splitTarget(url).query;
  return query !== undefined && /(?:^|&)X-Amz-Signature=/.test(query);
}

/**
 * Verifies a presigned request. `url` is the request target as received (path
 * and query, e.g. `req.url`) or an absolute URL; `headers` are the request
 * headers (any case).
 */
export function verifyPresignedUrl(
  method: string,
  url: string,
  headers: RequestHeaders,
  credentials: LocalCredentials,
  now: Date,
): PresignVerification {
  const { path, query } = splitTarget(url);
  const params = parseQuery(query ?? '');
  if (params === undefined) return malformed('The query string is not valid percent-encoding');

  const single = (name: string): string | undefined => {
    const values = params.filter(([key]) => key === name);
    return values.length === 1 ? values[0]?.[1] : undefined;
  };
  const algorithm = single('X-Amz-Algorithm');
  const credential = single('X-Amz-Credential');
  const amzDate = single('X-Amz-Date');
  const expires = single('X-Amz-Expires');
  const signedHeaders = single('X-Amz-SignedHeaders');
  const signature = single('X-Amz-Signature');
  if (
    algorithm === undefined ||
    credential === undefined ||
    amzDate === undefined ||
    expires === undefined ||
    signedHeaders === undefined ||
    signature === undefined
  ) {
    return malformed(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, ' +
        'X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (algorithm !== ALGORITHM) return malformed('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');

  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) {
    return malformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  }
  if (!/^\d+$/.test(expires) || Number(expires) > MAX_EXPIRES_SECONDS) {
    return malformed('X-Amz-Expires must be a whole number of seconds, at most 604800');
  }

  const [accessKeyId, scopeDate, region, service, terminator, ...rest] = credential.split('/');
  if (
    accessKeyId === undefined ||
    region === undefined ||
    service === undefined ||
    terminator !== 'aws4_request' ||
    rest.length > 0
  ) {
    return malformed('X-Amz-Credential must be <access key>/<date>/<region>/<service>/aws4_request');
  }
  if (scopeDate !== amzDate.slice(0, 8)) {
    return malformed('The date in X-Amz-Credential does not match X-Amz-Date');
  }
  if (accessKeyId !== credentials.accessKeyId) {
    return {
      ok: false,
      reason: 'unknown-access-key',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
    };
  }

  const canonicalUri = canonicalPath(path);
  if (canonicalUri === undefined) return malformed('The path is not valid percent-encoding');
  const headerNames = signedHeaders.split(';');
  const canonicalHeaders: string[] = [];
  for (const name of headerNames) {
    const value = headerValue(headers, name);
    if (value === undefined) return mismatch();
    canonicalHeaders.push(`${name}:${value}\n`);
  }
  const canonicalRequest = [
    method.toUpperCase(),
    canonicalUri,
    canonicalQuery(params),
    canonicalHeaders.join(''),
    signedHeaders,
    single('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = [scopeDate, region, service, 'aws4_request'].reduce<Buffer>(
    (key, part) => hmac(key, part),
    Buffer.from(`AWS4${credentials.secretAccessKey}`, 'utf8'),
  );
  const expected = hmac(signingKey, stringToSign);
  if (!HEX_SIGNATURE.test(signature) || !timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    return mismatch();
  }

  if (now.getTime() > signedAt + Number(expires) * 1000) {
    return { ok: false, reason: 'expired', message: 'Request has expired' };
  }
  return { ok: true };
}

/** The status and error code S3 answers a presigned request with when it fails verification. */
export function s3ErrorForPresignFailure(reason: PresignFailure): { status: number; code: string } {
  switch (reason) {
    case 'malformed':
      return { status: 400, code: 'AuthorizationQueryParametersError' };
    case 'unknown-access-key':
      return { status: 403, code: 'InvalidAccessKeyId' };
    case 'signature-mismatch':
      return { status: 403, code: 'SignatureDoesNotMatch' };
    case 'expired':
      return { status: 403, code: 'AccessDenied' };
  }
}

function splitTarget(url: string): { readonly path: string; readonly query: string | undefined } {
  // An absolute URL is reduced to its target by hand: new URL() would re-encode the path.
  const target = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').replace(/#.*$/, '');
  const mark = target.indexOf('?');
  return mark < 0
    ? { path: target || '/', query: undefined }
    : { path: target.slice(0, mark) || '/', query: target.slice(mark + 1) };
}

function parseQuery(query: string): Array<[string, string]> | undefined {
  const params: Array<[string, string]> = [];
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawKey = equals < 0 ? pair : pair.slice(0, equals);
    const rawValue = equals < 0 ? '' : pair.slice(equals + 1);
    try {
      params.push([decodeURIComponent(rawKey), decodeURIComponent(rawValue)]);
    } catch {
      return undefined;
    }
  }
  return params;
}

/** RFC 3986 encoding, as SigV4 requires: everything but unreserved characters. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** S3 signs the path encoded once, segment by segment (unlike other services, it is not encoded twice). */
function canonicalPath(path: string): string | undefined {
  try {
    return path
      .split('/')
      .map((segment) => uriEncode(decodeURIComponent(segment)))
      .join('/');
  } catch {
    return undefined;
  }
}

function canonicalQuery(params: ReadonlyArray<readonly [string, string]>): string {
  return params
    .filter(([key]) => key !== 'X-Amz-Signature')
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort(([keyA, valueA], [keyB, valueB]) =>
      keyA < keyB ? -1 : keyA > keyB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0,
    )
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  const value = entry?.[1];
  if (value === undefined) return undefined;
  const joined = typeof value === 'string' ? value : value.join(',');
  return joined.trim().replace(/\s+/g, ' ');
}

function parseAmzDate(value: string): number | undefined {
  const match = AMZ_DATE.exec(value);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const time = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  return Number.isNaN(time) ? undefined : time;
}

function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function hmac(key: Buffer, value: string): Buffer {
  return createHmac('sha256', key).update(value, 'utf8').digest();
}

function malformed(message: string): PresignVerification {
  return { ok: false, reason: 'malformed', message };
}

function mismatch(): PresignVerification {
  return {
    ok: false,
    reason: 'signature-mismatch',
    message:
      'The request signature we calculated does not match the signature you provided. ' +
      'Check your key and signing method.',
  };
}
