/**
 * Bad input on every route gets a 4xx that says what is wrong, never a 5xx:
 * malformed JSON, unknown and invalid fields (named), oversize bodies, wrong
 * media types. Routes without a body refuse one: JSON content is a 400, any
 * other media type a 415. Path and query parameters are validated as strictly
 * as bodies. Requests are sent with node:http, because fetch will not put a
 * body on a GET.
 */
import { request } from 'node:http';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { CONSOLE_ROUTES, PIPELINE_ROUTES } from '../../../definitions/routes';
import { mintConsoleToken } from '../../../local/console-issuer';
import { uniqueEmail, unknownRequestId } from '../support/pipeline';

interface RawAnswer {
  readonly status: number;
  readonly body: { error?: { code?: string; field?: string; message?: string } };
}

function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    // An explicit length: node sends a GET body without framing otherwise.
    const length = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
    const outgoing = request(url, { method, headers: { ...headers, ...length } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: RawAnswer['body'] = {};
        try {
          parsed = JSON.parse(text) as RawAnswer['body'];
        } catch {
          // Leave it empty: the status is what is checked.
        }
        resolve({ status: response.statusCode ?? 0, body: parsed });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };
const TEXT_TYPE = { 'content-type': 'text/plain' };
const OVERSIZE = JSON.stringify({ details: 'x'.repeat(70 * 1024) });

interface Case {
  readonly route: string;
  readonly problem: string;
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Path and query, with `{id}` standing for a well-formed request id. */
  readonly target: string;
  readonly headers?: Record<string, string>;
  /** A function so that every case gets its own address. */
  readonly body?: () => string;
  readonly status: number;
  readonly code?: string;
  readonly field?: string;
}

const submission = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'access', subject: { email: uniqueEmail('bad-input') }, ...extra });

const SUBMIT = 'POST /v1/requests';
const VERIFY = 'POST /v1/requests/{id}/verify';
const RESEND = 'POST /v1/requests/{id}/verification-code';
const STATUS = 'GET /v1/requests/{id}';
const NOT_ME = 'GET /v1/requests/{id}/not-me';
const CANCEL = 'POST /v1/requests/{id}/cancel';
/** Well-formed (43 base64url characters), but no request's cancel token. */
const WELL_FORMED_TOKEN = 'A'.repeat(43);
const OPENAPI = 'GET /openapi.json';
const DOWNLOAD = 'GET /v1/downloads/{token}';
const FORM = 'GET /';
const STATUS_PAGE = 'GET /status';
const CONSOLE_PAGE = 'GET /console';

/** One bad input per console route: malformed JSON on each POST, a bad parameter on each GET. */
function consoleCases(): Case[] {
  const authorization = {
    authorization: `Bearer ${mintConsoleToken({ stateDir: inject('stack').stateDir, roles: ['supervisor'], user: 'bad-input' })}`,
  };
  return CONSOLE_ROUTES.map((route): Case => {
    const key = `${route.method} ${route.path}`;
    if (route.method === 'POST' || route.method === 'PUT') {
      return {
        route: key,
        problem: 'malformed JSON',
        method: route.method,
        target: route.path.replace('{calendarId}', 'cn-state-council').replace('{year}', '2099'),
        headers: { ...JSON_TYPE, ...authorization },
        body: () => '{"text":',
        status: 400,
        code: 'malformed-json',
      };
    }
    return route.path.includes('{id}')
      ? {
          route: key,
          problem: 'a malformed id',
          method: 'GET',
          target: route.path.replace('{id}', 'dsr-not-an-id'),
          headers: authorization,
          status: 400,
          code: 'invalid-field',
          field: 'id',
        }
      : {
          route: key,
          problem: 'an unknown query parameter',
          method: 'GET',
          target: `${route.path}?sort=asc`,
          headers: authorization,
          status: 400,
          code: 'invalid-field',
          field: 'sort',
        };
  });
}

const CASES: readonly Case[] = [
  // POST /v1/requests
  {
    route: SUBMIT,
    problem: 'malformed JSON',
    method: 'POST',
    target: '/v1/requests',
    headers: JSON_TYPE,
    body: () => '{"type":',
    status: 400,
    code: 'malformed-json',
  },
  {
    route: SUBMIT,
    problem: 'an unknown field',
    method: 'POST',
    target: '/v1/requests',
    headers: JSON_TYPE,
    body: () => submission({ nickname: 'x' }),
    status: 400,
    field: 'nickname',
  },
  {
    route: SUBMIT,
    problem: 'an unknown nested field',
    method: 'POST',
    target: '/v1/requests',
    headers: JSON_TYPE,
    body: () => JSON.stringify({ type: 'access', subject: { email: uniqueEmail('bad-input'), fax: '1' } }),
    status: 400,
    field: 'subject.fax',
  },
  {
    route: SUBMIT,
    problem: 'an unknown request type',
    method: 'POST',
    target: '/v1/requests',
    headers: JSON_TYPE,
    body: () => submission({ type: 'everything' }),
    status: 400,
    field: 'type',
  },
  {
    route: SUBMIT,
    problem: 'an invalid email address',
    method: 'POST',
    target: '/v1/requests',
    headers: JSON_TYPE,
    body: () => JSON.stringify({ type: 'access', subject: { email: 'not an address' } }),
    status: 400,
    field: 'subject.email',
  },
  {
    route: SUBMIT,
    problem: 'an invalid phone number',
    method: 'POST',
    target: '/v1/requests',
    headers: JSON_TYPE,
    body: () =>
      JSON.stringify({
        type: 'access',
        subject: { email: uniqueEmail('bad-input'), phone: 'call me maybe' },
      }),
    status: 400,
    field: 'subject.phone',
  },
  {
    route: SUBMIT,
    problem: 'neither an email address nor a phone number',
    method: 'POST',
    target: '/v1/requests',
    headers: JSON_TYPE,
    body: () => JSON.stringify({ type: 'access', subject: { accountId: 'cust-1001' } }),
    status: 400,
    field: 'subject.email',
  },
  {
    route: SUBMIT,
    problem: 'a phone number alone under a policy that does not verify by SMS',
    method: 'POST',
    target: '/v1/requests',
    headers: JSON_TYPE,
    body: () => JSON.stringify({ type: 'access', residence: 'EU', subject: { phone: '13800138000' } }),
    status: 400,
    field: 'subject.email',
  },
  {
    route: SUBMIT,
    problem: 'a policy named by the requester (the organisation chooses it)',
    method: 'POST',
    target: '/v1/requests',
    headers: JSON_TYPE,
    body: () => submission({ policyId: 'ccpa' }),
    status: 400,
    field: 'policyId',
  },
  {
    route: SUBMIT,
    problem: 'a residence the organisation does not list',
    method: 'POST',
    target: '/v1/requests',
    headers: JSON_TYPE,
    body: () => submission({ residence: 'Atlantis' }),
    status: 400,
    field: 'residence',
  },
  {
    route: SUBMIT,
    problem: 'a portability request without a target',
    method: 'POST',
    target: '/v1/requests',
    headers: JSON_TYPE,
    body: () => submission({ type: 'portability' }),
    status: 400,
    field: 'portabilityTarget',
  },
  {
    route: SUBMIT,
    problem: 'an agent without a relation',
    method: 'POST',
    target: '/v1/requests',
    headers: JSON_TYPE,
    body: () => submission({ requester: { role: 'guardian' } }),
    status: 400,
    field: 'requester.relation',
  },
  {
    route: SUBMIT,
    problem: 'an array instead of an object',
    method: 'POST',
    target: '/v1/requests',
    headers: JSON_TYPE,
    body: () => '[]',
    status: 400,
    code: 'invalid-field',
  },
  {
    route: SUBMIT,
    problem: 'an overlong Idempotency-Key',
    method: 'POST',
    target: '/v1/requests',
    headers: { ...JSON_TYPE, 'idempotency-key': 'k'.repeat(300) },
    body: () => submission(),
    status: 400,
    field: 'Idempotency-Key',
  },
  {
    route: SUBMIT,
    problem: 'a body over 64 KiB',
    method: 'POST',
    target: '/v1/requests',
    headers: JSON_TYPE,
    body: () => OVERSIZE,
    status: 413,
  },
  {
    route: SUBMIT,
    problem: 'a text/plain body',
    method: 'POST',
    target: '/v1/requests',
    headers: TEXT_TYPE,
    body: () => submission(),
    status: 415,
  },
  {
    route: SUBMIT,
    problem: 'no content type',
    method: 'POST',
    target: '/v1/requests',
    body: () => submission(),
    status: 415,
  },
  // POST /v1/requests/{id}/verify
  {
    route: VERIFY,
    problem: 'malformed JSON',
    method: 'POST',
    target: '/v1/requests/{id}/verify',
    headers: JSON_TYPE,
    body: () => '{code:1}',
    status: 400,
    code: 'malformed-json',
  },
  {
    route: VERIFY,
    problem: 'an unknown field',
    method: 'POST',
    target: '/v1/requests/{id}/verify',
    headers: JSON_TYPE,
    body: () => '{"code":"123456","remember":true}',
    status: 400,
    field: 'remember',
  },
  {
    route: VERIFY,
    problem: 'a code that is not digits',
    method: 'POST',
    target: '/v1/requests/{id}/verify',
    headers: JSON_TYPE,
    body: () => '{"code":"abcdef"}',
    status: 400,
    field: 'code',
  },
  {
    route: VERIFY,
    problem: 'a malformed request id',
    method: 'POST',
    target: '/v1/requests/not-an-id/verify',
    headers: JSON_TYPE,
    body: () => '{"code":"123456"}',
    status: 400,
    field: 'id',
  },
  {
    route: VERIFY,
    problem: 'a body over 64 KiB',
    method: 'POST',
    target: '/v1/requests/{id}/verify',
    headers: JSON_TYPE,
    body: () => OVERSIZE,
    status: 413,
  },
  {
    route: VERIFY,
    problem: 'a text/plain body',
    method: 'POST',
    target: '/v1/requests/{id}/verify',
    headers: TEXT_TYPE,
    body: () => '123456',
    status: 415,
  },
  // POST /v1/requests/{id}/verification-code
  {
    route: RESEND,
    problem: 'malformed JSON',
    method: 'POST',
    target: '/v1/requests/{id}/verification-code',
    headers: JSON_TYPE,
    body: () => '{',
    status: 400,
    code: 'malformed-json',
  },
  {
    route: RESEND,
    problem: 'an unknown field',
    method: 'POST',
    target: '/v1/requests/{id}/verification-code',
    headers: JSON_TYPE,
    body: () => '{"to":"someone.else@example.com"}',
    status: 400,
    field: 'to',
  },
  {
    route: RESEND,
    problem: 'a malformed request id',
    method: 'POST',
    target: '/v1/requests/dsr-XYZ/verification-code',
    headers: JSON_TYPE,
    body: () => '{}',
    status: 400,
    field: 'id',
  },
  {
    route: RESEND,
    problem: 'a body over 64 KiB',
    method: 'POST',
    target: '/v1/requests/{id}/verification-code',
    headers: JSON_TYPE,
    body: () => OVERSIZE,
    status: 413,
  },
  {
    route: RESEND,
    problem: 'a text/plain body',
    method: 'POST',
    target: '/v1/requests/{id}/verification-code',
    headers: TEXT_TYPE,
    body: () => 'again',
    status: 415,
  },
  // GET /v1/requests/{id}/not-me and POST /v1/requests/{id}/cancel: the same 404 for a wrong token and an
  // unknown id (a well-formed id that names no request here).
  {
    route: NOT_ME,
    problem: 'a malformed token',
    method: 'GET',
    target: '/v1/requests/{id}/not-me?token=short',
    status: 400,
    field: 'token',
  },
  {
    route: NOT_ME,
    problem: 'an unknown request or a wrong token',
    method: 'GET',
    target: `/v1/requests/{id}/not-me?token=${WELL_FORMED_TOKEN}`,
    status: 404,
    code: 'not-found',
  },
  {
    route: CANCEL,
    problem: 'an unknown request or a wrong token',
    method: 'POST',
    target: `/v1/requests/{id}/cancel?token=${WELL_FORMED_TOKEN}`,
    status: 404,
    code: 'not-found',
  },
  {
    route: CANCEL,
    problem: 'a body (the token goes in the query)',
    method: 'POST',
    target: `/v1/requests/{id}/cancel?token=${WELL_FORMED_TOKEN}`,
    headers: JSON_TYPE,
    body: () => '{}',
    status: 400,
    code: 'body-not-allowed',
  },
  // GET /v1/requests/{id}
  {
    route: STATUS,
    problem: 'a JSON body (malformed or not)',
    method: 'GET',
    target: `/v1/requests/{id}?token=${'a'.repeat(43)}`,
    headers: JSON_TYPE,
    body: () => '{"token":',
    status: 400,
    code: 'body-not-allowed',
  },
  {
    route: STATUS,
    problem: 'an unknown query parameter',
    method: 'GET',
    target: `/v1/requests/{id}?tokn=${'a'.repeat(43)}`,
    status: 400,
    field: 'tokn',
  },
  {
    route: STATUS,
    problem: 'a malformed token',
    method: 'GET',
    target: '/v1/requests/{id}?token=abc',
    status: 400,
    field: 'token',
  },
  {
    route: STATUS,
    problem: 'a malformed request id',
    method: 'GET',
    target: `/v1/requests/..%2Fadmin?token=${'a'.repeat(43)}`,
    status: 400,
    field: 'id',
  },
  {
    route: STATUS,
    problem: 'a body over 64 KiB',
    method: 'GET',
    target: '/v1/requests/{id}',
    headers: JSON_TYPE,
    body: () => OVERSIZE,
    status: 413,
  },
  {
    route: STATUS,
    problem: 'a text/plain body',
    method: 'GET',
    target: '/v1/requests/{id}',
    headers: TEXT_TYPE,
    body: () => 'hello',
    status: 415,
  },
  // GET /openapi.json
  {
    route: OPENAPI,
    problem: 'a JSON body (malformed or not)',
    method: 'GET',
    target: '/openapi.json',
    headers: JSON_TYPE,
    body: () => '{',
    status: 400,
    code: 'body-not-allowed',
  },
  {
    route: OPENAPI,
    problem: 'an unknown query parameter',
    method: 'GET',
    target: '/openapi.json?format=yaml',
    status: 400,
    field: 'format',
  },
  {
    route: OPENAPI,
    problem: 'a body over 64 KiB',
    method: 'GET',
    target: '/openapi.json',
    headers: JSON_TYPE,
    body: () => OVERSIZE,
    status: 413,
  },
  {
    route: OPENAPI,
    problem: 'a text/plain body',
    method: 'GET',
    target: '/openapi.json',
    headers: TEXT_TYPE,
    body: () => 'hello',
    status: 415,
  },
  {
    route: DOWNLOAD,
    problem: 'a JSON body (malformed or not)',
    method: 'GET',
    target: `/v1/downloads/${'a'.repeat(43)}`,
    headers: JSON_TYPE,
    body: () => '{',
    status: 400,
    code: 'body-not-allowed',
  },
  {
    route: DOWNLOAD,
    problem: 'an unknown query parameter',
    method: 'GET',
    target: `${`/v1/downloads/${'a'.repeat(43)}`}?format=yaml`,
    status: 400,
    field: 'format',
  },
  {
    route: DOWNLOAD,
    problem: 'a body over 64 KiB',
    method: 'GET',
    target: `/v1/downloads/${'a'.repeat(43)}`,
    headers: JSON_TYPE,
    body: () => OVERSIZE,
    status: 413,
  },
  {
    route: DOWNLOAD,
    problem: 'a text/plain body',
    method: 'GET',
    target: `/v1/downloads/${'a'.repeat(43)}`,
    headers: TEXT_TYPE,
    body: () => 'hello',
    status: 415,
  },
  {
    route: FORM,
    problem: 'a JSON body (malformed or not)',
    method: 'GET',
    target: '/',
    headers: JSON_TYPE,
    body: () => '{',
    status: 400,
    code: 'body-not-allowed',
  },
  {
    route: FORM,
    problem: 'an unknown query parameter',
    method: 'GET',
    target: `${'/'}?format=yaml`,
    status: 400,
    field: 'format',
  },
  {
    route: FORM,
    problem: 'a body over 64 KiB',
    method: 'GET',
    target: '/',
    headers: JSON_TYPE,
    body: () => OVERSIZE,
    status: 413,
  },
  {
    route: FORM,
    problem: 'a text/plain body',
    method: 'GET',
    target: '/',
    headers: TEXT_TYPE,
    body: () => 'hello',
    status: 415,
  },
  {
    route: STATUS_PAGE,
    problem: 'a JSON body (malformed or not)',
    method: 'GET',
    target: '/status',
    headers: JSON_TYPE,
    body: () => '{',
    status: 400,
    code: 'body-not-allowed',
  },
  {
    route: STATUS_PAGE,
    problem: 'an unknown query parameter',
    method: 'GET',
    target: `${'/status'}?format=yaml`,
    status: 400,
    field: 'format',
  },
  {
    route: STATUS_PAGE,
    problem: 'a body over 64 KiB',
    method: 'GET',
    target: '/status',
    headers: JSON_TYPE,
    body: () => OVERSIZE,
    status: 413,
  },
  {
    route: STATUS_PAGE,
    problem: 'a text/plain body',
    method: 'GET',
    target: '/status',
    headers: TEXT_TYPE,
    body: () => 'hello',
    status: 415,
  },
  {
    route: CONSOLE_PAGE,
    problem: 'a JSON body (malformed or not)',
    method: 'GET',
    target: '/console',
    headers: JSON_TYPE,
    body: () => '{',
    status: 400,
    code: 'body-not-allowed',
  },
  {
    route: CONSOLE_PAGE,
    problem: 'an unknown query parameter',
    method: 'GET',
    target: '/console?format=yaml',
    status: 400,
    field: 'format',
  },
  // Console routes: with a supervisor's token (every route is open to supervisors), so the input is what fails.
  ...consoleCases(),
];

describe('bad input', () => {
  it('covers every route in the route table', () => {
    const covered = new Set(CASES.map((entry) => entry.route));
    expect(
      PIPELINE_ROUTES.map((route) => `${route.method} ${route.path}`).filter((key) => !covered.has(key)),
    ).toEqual([]);
  });

  it.each(CASES)('$route answers $problem with $status', async (entry) => {
    const { api } = inject('stack');
    const target = entry.target.replace('{id}', unknownRequestId());
    const answer = await send(`${api}${target}`, entry.method, entry.headers ?? {}, entry.body?.());

    expect(answer.status).toBe(entry.status);
    if (entry.code) expect(answer.body.error?.code).toBe(entry.code);
    if (entry.field) {
      expect(answer.body.error?.field).toBe(entry.field);
      expect(answer.body.error?.message).toContain(entry.field.split('.').at(-1));
    }
  });

  it('never answers random JSON-ish bodies on POST /v1/requests with a 5xx', async () => {
    const { api } = inject('stack');
    const field = fc.constantFrom(
      'type',
      'policyId',
      'residence',
      'subject',
      'requester',
      'details',
      'portabilityTarget',
      'locale',
    );
    const leaf = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.emailAddress(),
      fc.constantFrom(
        'access',
        'portability',
        'guardian',
        'self',
        'caftrade',
        'CN',
        'US-CA',
        'zh-CN',
        '',
        ' ',
      ),
    );
    const subject = fc.dictionary(fc.constantFrom('email', 'phone', 'accountId', 'fax'), leaf, {
      maxKeys: 3,
    });
    const submissionLike = fc
      .dictionary(field, fc.oneof(leaf, subject), { maxKeys: 6 })
      .map((value) => JSON.stringify(value));
    const body = fc.oneof(submissionLike, fc.json({ maxDepth: 3 }), fc.string({ maxLength: 200 }));
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      '',
    );

    await fc.assert(
      fc.asyncProperty(body, contentType, async (text, type) => {
        const answer = await send(`${api}/v1/requests`, 'POST', type ? { 'content-type': type } : {}, text);
        expect(answer.status).toBeLessThan(500);
      }),
      { numRuns: 80 },
    );
  });
});
