import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  ConsoleIssuerMissing,
  flattenClaims,
  LOCAL_CONSOLE_AUDIENCE,
  loadOrCreateSigningKey,
  mintConsoleToken,
  signJwt,
  startConsoleIssuer,
} from '../../../local/console-issuer';
import { runDsar } from '../cli/run-dsar';

const API = 'http://127.0.0.1:3999';

function issuerIn(): { stateDir: string; jwks: ReturnType<typeof createLocalJWKSet> } {
  const stateDir = mkdtempSync(join(tmpdir(), 'dsar-issuer-'));
  startConsoleIssuer({ stateDir, apiUrl: API });
  return { stateDir, jwks: createLocalJWKSet({ keys: [{ ...loadOrCreateSigningKey(stateDir).publicJwk }] }) };
}

describe('the local console issuer', () => {
  it('mints an RS256 token that jose verifies against the published key, shaped like a Cognito access token', async () => {
    const { stateDir, jwks } = issuerIn();
    const token = mintConsoleToken({ stateDir, roles: ['supervisor'], user: 'sam', hours: 2 });
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: API,
      audience: LOCAL_CONSOLE_AUDIENCE,
      algorithms: ['RS256'],
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: loadOrCreateSigningKey(stateDir).kid });
    expect(payload).toMatchObject({
      sub: 'local:sam',
      username: 'sam',
      'cognito:groups': ['supervisor'],
      token_use: 'access',
    });
    expect(payload.exp! - payload.iat!).toBe(7200);
  });

  it('keeps its key across restarts, so tokens stay valid', () => {
    const { stateDir } = issuerIn();
    const before = loadOrCreateSigningKey(stateDir).kid;
    startConsoleIssuer({ stateDir, apiUrl: API });
    expect(loadOrCreateSigningKey(stateDir).kid).toBe(before);
  });

  it('refuses lifetimes beyond 12 hours, and says to start the pipeline when the state has no issuer', () => {
    const { stateDir } = issuerIn();
    expect(() => mintConsoleToken({ stateDir, roles: ['agent'], user: 'a', hours: 13 })).toThrow(RangeError);
    const empty = mkdtempSync(join(tmpdir(), 'dsar-issuer-'));
    expect(() => mintConsoleToken({ stateDir: empty, roles: ['agent'], user: 'a' })).toThrow(
      ConsoleIssuerMissing,
    );
  });

  it('signs with a key of the caller’s choosing, which the issuer’s key set then rejects', async () => {
    const { jwks } = issuerIn();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = signJwt(privateKey, 'some-kid', {
      iss: API,
      aud: LOCAL_CONSOLE_AUDIENCE,
      exp: 4102444800,
    });
    expect(decodeProtectedHeader(forged).kid).toBe('some-kid');
    await expect(jwtVerify(forged, jwks)).rejects.toThrow();
  });
});

describe('flattenClaims', () => {
  it('passes claims as API Gateway does: strings, arrays as [a b], objects as JSON', () => {
    expect(
      flattenClaims({
        exp: 1767225600,
        'cognito:groups': ['agent', 'auditor'],
        email_verified: true,
        address: { country: 'CN' },
      }),
    ).toEqual({
      exp: '1767225600',
      'cognito:groups': '[agent auditor]',
      email_verified: 'true',
      address: '{"country":"CN"}',
    });
  });
});

describe.concurrent('dsar token', { timeout: 30_000 }, () => {
  it('prints the token and nothing else', async () => {
    const { stateDir, jwks } = issuerIn();
    const run = await runDsar(['token', '--role', 'agent', '--user', 'alice', '--state-dir', stateDir]);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const { payload } = await jwtVerify(run.stdout.trim(), jwks, { issuer: API });
    expect(payload).toMatchObject({ username: 'alice', 'cognito:groups': ['agent'] });
  });

  it.each([
    [['--role', 'admin'], "--role 'admin' is not one of agent, supervisor, auditor"],
    [[], 'missing --role'],
    [['--role', 'agent', '--hours', '48'], "--hours '48'"],
  ])('refuses %j with exit 2', async (args, message) => {
    const { stateDir } = issuerIn();
    const run = await runDsar(['token', ...args, '--state-dir', stateDir]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
  });

  it('tells the user to start the pipeline when the state directory has no issuer', async () => {
    const run = await runDsar([
      'token',
      '--role',
      'agent',
      '--state-dir',
      mkdtempSync(join(tmpdir(), 'dsar-empty-')),
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('start the local pipeline first');
  });
});
