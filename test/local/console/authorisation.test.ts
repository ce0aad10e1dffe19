/**
 * The authorisation matrix cell by cell against the running local API: every
 * console route called with a token of every role. A cell that allows the
 * role must reach the handler (a request id no request has gives 404, the
 * list and the report 200, an empty create 400); a cell that does not must be 403 before
 * any input is looked at. Then the token checks API Gateway makes (401).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CONSOLE_AUTHORISATION,
  CONSOLE_ROLES,
  type ConsoleRouteKey,
} from '../../../definitions/console-roles';
import { LOCAL_CONSOLE_AUDIENCE, loadOrCreateSigningKey, signJwt } from '../../../local/console-issuer';
import { call, stack, tokenFor } from './support';

const UNKNOWN_ID = `dsr-${randomUUID()}`;

/** A body each route accepts, so an allowed call fails only because the request does not exist. */
const VALID_BODIES: Readonly<Record<ConsoleRouteKey, unknown>> = {
  'GET /v1/console/requests': undefined,
  'GET /v1/console/requests/{id}': undefined,
  'GET /v1/console/reports': undefined,
  // Deliberately empty: an allowed role gets the 400 of validation, which runs after authorisation.
  'POST /v1/console/requests': {},
  'POST /v1/console/requests/{id}/triage': { action: 'set-type', type: 'access' },
  'POST /v1/console/requests/{id}/identity': { decision: 'reject', reason: 'No document' },
  'POST /v1/console/requests/{id}/awaiting-requester': { message: 'Which account?' },
  'POST /v1/console/requests/{id}/resume': {},
  'POST /v1/console/requests/{id}/approve': {},
  'POST /v1/console/requests/{id}/refuse': { ground: 'trade-secrets', reason: 'x' },
  'POST /v1/console/requests/{id}/extend': { reason: 'x' },
  'POST /v1/console/requests/{id}/notes': { text: 'x' },
  'POST /v1/console/requests/{id}/assign': { assignee: 'alice' },
  'POST /v1/console/requests/{id}/repeat': {},
  'POST /v1/console/requests/{id}/corrections': {
    changes: [{ storeId: 'accounts', category: 'account', field: 'region', value: 'x' }],
  },
  'POST /v1/console/requests/{id}/stores/{storeId}/done': { deleted: 1 },
  'POST /v1/console/requests/{id}/redrive': {},
  'POST /v1/console/requests/{id}/download-links/revoke': {},
  'GET /v1/console/requests/{id}/evidence': undefined,
  'GET /v1/console/calendars': undefined,
  // Not a notice: an allowed role gets the 400 of the notice check, and the calendar is left alone.
  'PUT /v1/console/calendars/{calendarId}/notices/{year}': {},
};

const ALLOWED_STATUS: Readonly<Record<string, number>> = {
  'GET /v1/console/requests': 200,
  'GET /v1/console/reports': 200,
  'POST /v1/console/requests': 400,
  'GET /v1/console/calendars': 200,
  'PUT /v1/console/calendars/{calendarId}/notices/{year}': 400,
};

function request(route: ConsoleRouteKey, token?: string) {
  const [method, template] = route.split(' ') as [string, string];
  const body = VALID_BODIES[route];
  return call(
    method,
    template
      .replace('{id}', UNKNOWN_ID)
      .replace('{storeId}', 'paper-archive')
      .replace('{calendarId}', 'cn-state-council')
      .replace('{year}', '2098'),
    {
      ...(token ? { token } : {}),
      ...(body === undefined ? {} : { body }),
    },
  );
}

const cells = (Object.keys(CONSOLE_AUTHORISATION) as ConsoleRouteKey[]).flatMap((route) =>
  CONSOLE_ROLES.map((role) => [route, role, CONSOLE_AUTHORISATION[route][role]] as const),
);

describe('the console authorisation matrix, cell by cell', () => {
  const tokens = Object.fromEntries(CONSOLE_ROLES.map((role) => [role, tokenFor(role)]));

  it.each(cells)('%s as %s: allowed %s', async (route, role, allowed) => {
    const answer = await request(route, tokens[role]);
    if (allowed) {
      expect(answer.status).toBe(ALLOWED_STATUS[route] ?? 404);
    } else {
      expect(answer.status).toBe(403);
      expect(answer.body.error).toMatchObject({ code: 'forbidden' });
      expect(answer.body.error.message).toContain(route);
    }
  });
});

describe('console tokens', () => {
  const route: ConsoleRouteKey = 'GET /v1/console/requests';
  const now = Math.floor(Date.now() / 1000);

  function signed(claims: Record<string, unknown>): string {
    const { stateDir, api } = stack();
    const key = loadOrCreateSigningKey(stateDir);
    return signJwt(key.privateKey, key.kid, {
      iss: api,
      aud: LOCAL_CONSOLE_AUDIENCE,
      username: 'mallory',
      'cognito:groups': ['supervisor'],
      iat: now - 60,
      exp: now + 3600,
      ...claims,
    });
  }

  it.each(Object.keys(CONSOLE_AUTHORISATION) as ConsoleRouteKey[])(
    'answers 401 to %s without a token',
    async (each) => {
      expect((await request(each)).status).toBe(401);
    },
  );

  it.each([
    ['has expired', () => signed({ exp: now - 10 })],
    ['is not valid yet', () => signed({ nbf: now + 3600 })],
    ['was issued in the future', () => signed({ iat: now + 3600 })],
    ['comes from another issuer', () => signed({ iss: 'https://evil.example.com' })],
    ['is for another audience', () => signed({ aud: 'another-app' })],
    ['has no expiry', () => signed({ exp: undefined })],
    [
      'is signed with a key the issuer does not publish',
      () => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        return signJwt(privateKey, loadOrCreateSigningKey(stack().stateDir).kid, {
          iss: stack().api,
          aud: LOCAL_CONSOLE_AUDIENCE,
          username: 'mallory',
          'cognito:groups': ['supervisor'],
          exp: now + 3600,
        });
      },
    ],
    ['is not a JWT', () => 'not-a-token'],
  ])('answers 401 to a token that %s', async (_case, token) => {
    expect((await request(route, token())).status).toBe(401);
  });

  it('accepts a Cognito-style access token with client_id instead of aud', async () => {
    const answer = await request(route, signed({ aud: undefined, client_id: LOCAL_CONSOLE_AUDIENCE }));
    expect(answer.status).toBe(200);
  });

  it('answers 403 to a valid token with no console role', async () => {
    const answer = await request(route, signed({ 'cognito:groups': ['sales'] }));
    expect(answer.status).toBe(403);
  });

  it('accepts the roles claim of an outside issuer', async () => {
    const answer = await request(route, signed({ 'cognito:groups': undefined, roles: ['auditor'] }));
    expect(answer.status).toBe(200);
  });

  it('publishes the issuer key set and discovery document on the local API', async () => {
    const { api } = stack();
    const jwks = (await (await fetch(`${api}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string; alg: string }[];
    };
    expect(jwks.keys).toEqual([
      expect.objectContaining({ kid: loadOrCreateSigningKey(stack().stateDir).kid, alg: 'RS256' }),
    ]);
    const discovery = (await (await fetch(`${api}/.well-known/openid-configuration`)).json()) as Record<
      string,
      string
    >;
    expect(discovery).toMatchObject({ issuer: api, jwks_uri: `${api}/.well-known/jwks.json` });
  });
});
