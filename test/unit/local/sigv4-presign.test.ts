import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/credentials';
import {
  isPresignedRequest,
  s3ErrorForPresignFailure,
  verifyPresignedUrl,
} from '../../../local/sigv4-presign';

const HOST = '127.0.0.1:4566';
const SIGNED_AT = new Date('2025-03-01T10:00:00Z');
const EXPIRES_IN = 900;
const client = new S3Client({
  endpoint: `http://${HOST}`,
  region: LOCAL_REGION,
  credentials: LOCAL_CREDENTIALS,
  forcePathStyle: true,
});

afterAll(() => client.destroy());

async function presignGet(key: string, expiresIn = EXPIRES_IN): Promise<string> {
  return getSignedUrl(client, new GetObjectCommand({ Bucket: 'dsar-exports', Key: key }), {
    expiresIn,
    signingDate: SIGNED_AT,
  });
}

/** The request target (path and query) a server sees for an absolute URL. */
function target(url: string): string {
  return url.slice(`http://${HOST}`.length);
}

const withinValidity = new Date(SIGNED_AT.getTime() + 60_000);

function verifyGet(url: string, now = withinValidity, host = HOST) {
  return verifyPresignedUrl('GET', target(url), { host }, LOCAL_CREDENTIALS, now);
}

/** Replaces the character at `index` with a different one of the same kind. */
function changeCharacterAt(text: string, index: number): string {
  const original = text[index]!;
  const replacement = /[0-9]/.test(original)
    ? String((Number(original) + 1) % 10)
    : original === 'a'
      ? 'b'
      : 'a';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

describe('verifyPresignedUrl', () => {
  it('accepts a GET link produced by the SDK presigner within its validity', async () => {
    expect(verifyGet(await presignGet('exports/req-1/package.zip'))).toEqual({ ok: true });
  });

  it('accepts a link given as an absolute URL', async () => {
    const url = await presignGet('exports/req-1/package.zip');
    expect(verifyPresignedUrl('GET', url, { Host: HOST }, LOCAL_CREDENTIALS, withinValidity)).toEqual({
      ok: true,
    });
  });

  it('accepts keys with spaces, reserved characters and non-ASCII text', async () => {
    expect(verifyGet(await presignGet("导出/请求 1/(copy) it's+all!*.zip"))).toEqual({ ok: true });
  });

  it('accepts a presigned PUT for the method it was signed for', async () => {
    const url = await getSignedUrl(
      client,
      new PutObjectCommand({ Bucket: 'dsar-evidence', Key: 'req-1/id.pdf' }),
      { expiresIn: EXPIRES_IN, signingDate: SIGNED_AT },
    );
    expect(verifyPresignedUrl('PUT', target(url), { host: HOST }, LOCAL_CREDENTIALS, withinValidity)).toEqual(
      {
        ok: true,
      },
    );
    expect(
      verifyPresignedUrl('GET', target(url), { host: HOST }, LOCAL_CREDENTIALS, withinValidity),
    ).toMatchObject({ ok: false, reason: 'signature-mismatch' });
  });

  it('rejects a link whose key has one character changed', async () => {
    const url = await presignGet('exports/req-1/package.zip');
    expect(verifyGet(url.replace('req-1', 'req-2'))).toMatchObject({
      ok: false,
      reason: 'signature-mismatch',
    });
  });

  it('rejects a link whose expiry was lengthened', async () => {
    const url = await presignGet('exports/req-1/package.zip');
    expect(verifyGet(url.replace(`X-Amz-Expires=${EXPIRES_IN}`, 'X-Amz-Expires=9000'))).toMatchObject({
      ok: false,
      reason: 'signature-mismatch',
    });
  });

  it('rejects a link with an added query parameter', async () => {
    const url = await presignGet('exports/req-1/package.zip');
    expect(verifyGet(`${url}&response-content-type=text%2Fhtml`)).toMatchObject({
      ok: false,
      reason: 'signature-mismatch',
    });
  });

  it('rejects a link presented to another host', async () => {
    const url = await presignGet('exports/req-1/package.zip');
    expect(verifyGet(url, withinValidity, '127.0.0.1:9999')).toMatchObject({
      ok: false,
      reason: 'signature-mismatch',
    });
  });

  it('rejects a link signed with another secret', async () => {
    const url = await presignGet('exports/req-1/package.zip');
    const otherSecret = { ...LOCAL_CREDENTIALS, secretAccessKey: 'not-the-local-secret' };
    expect(verifyPresignedUrl('GET', target(url), { host: HOST }, otherSecret, withinValidity)).toMatchObject(
      {
        ok: false,
        reason: 'signature-mismatch',
      },
    );
  });

  it('rejects a link for an access key it does not know', async () => {
    const url = await presignGet('exports/req-1/package.zip');
    const otherKey = { ...LOCAL_CREDENTIALS, accessKeyId: 'someone-else' };
    expect(verifyPresignedUrl('GET', target(url), { host: HOST }, otherKey, withinValidity)).toMatchObject({
      ok: false,
      reason: 'unknown-access-key',
    });
  });

  it('accepts a link at the last second of its validity and rejects it one second later', async () => {
    const url = await presignGet('exports/req-1/package.zip');
    const lastValid = new Date(SIGNED_AT.getTime() + EXPIRES_IN * 1000);
    expect(verifyGet(url, lastValid)).toEqual({ ok: true });
    expect(verifyGet(url, new Date(lastValid.getTime() + 1000))).toEqual({
      ok: false,
      reason: 'expired',
      message: 'Request has expired',
    });
  });

  it('reports a tampered signature as a mismatch even after expiry, since expiry is only trusted once signed', async () => {
    const url = await presignGet('exports/req-1/package.zip');
    const tampered = url.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_, c: string) => `X-Amz-Signature=${c === 'a' ? 'b' : 'a'}`,
    );
    expect(verifyGet(tampered, new Date(SIGNED_AT.getTime() + 86_400_000))).toMatchObject({
      reason: 'signature-mismatch',
    });
  });

  it.each([
    ['X-Amz-Date', /X-Amz-Date=[^&]+&?/],
    ['X-Amz-Credential', /X-Amz-Credential=[^&]+&?/],
    ['X-Amz-SignedHeaders', /X-Amz-SignedHeaders=[^&]+&?/],
  ])('rejects a link without %s as malformed', async (_, parameter) => {
    const url = await presignGet('exports/req-1/package.zip');
    expect(verifyGet(url.replace(parameter, ''))).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('rejects an expiry longer than seven days as malformed', async () => {
    const url = await presignGet('exports/req-1/package.zip');
    expect(verifyGet(url.replace(`X-Amz-Expires=${EXPIRES_IN}`, 'X-Amz-Expires=604801'))).toMatchObject({
      reason: 'malformed',
    });
  });

  it('rejects any single changed character in the signature', async () => {
    const url = await presignGet('exports/req-1/package.zip');
    const signature = /X-Amz-Signature=([0-9a-f]{64})/.exec(url)?.[1] ?? '';
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 63 }), (index) => {
        const tampered = url.replace(signature, changeCharacterAt(signature, index));
        expect(verifyGet(tampered)).toMatchObject({ ok: false, reason: 'signature-mismatch' });
      }),
    );
  });

  it('accepts a fresh link for any key the presigner can sign', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), async (key) => {
        expect(verifyGet(await presignGet(key))).toEqual({ ok: true });
      }),
      { numRuns: 50 },
    );
  });
});

describe('isPresignedRequest', () => {
  it.each([
    ['/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc', true],
    ['/bucket/key?list-type=2', false],
    ['/bucket/key', false],
    ['/bucket/key?x-X-Amz-Signature=abc', false],
  ])('tells whether %s carries a presigned signature', (url, expected) => {
    expect(isPresignedRequest(url)).toBe(expected);
  });
});

describe('s3ErrorForPresignFailure', () => {
  it.each([
    ['signature-mismatch', 403, 'SignatureDoesNotMatch'],
    ['expired', 403, 'AccessDenied'],
    ['unknown-access-key', 403, 'InvalidAccessKeyId'],
    ['malformed', 400, 'AuthorizationQueryParametersError'],
  ] as const)('answers %s with %i %s, as S3 does', (reason, status, code) => {
    expect(s3ErrorForPresignFailure(reason)).toEqual({ status, code });
  });
});
