/**
 * The console's token issuer in local mode, standing in for the Cognito user
 * pool (or outside OIDC provider) that signs console users in on AWS.
 *
 * - One RS256 key pair, kept in `<stateDir>/console-issuer/` so tokens stay
 *   valid across restarts (a reset makes a new one). RS256 because the HTTP
 *   API's JWT authoriser accepts RSA keys only: a token that works here is one
 *   that could work there.
 * - Its JWKS and OIDC discovery document are served on the local API
 *   (`/.well-known/jwks.json`, `/.well-known/openid-configuration`) through
 *   the gateway's fallback hook; the issuer is the API's base URL.
 * - `consoleAuthorizer` is the local API Gateway's `authorizer` hook. It makes
 *   the checks API Gateway makes (signature against the JWKS fetched from the
 *   issuer, `kid`, algorithm, `iss`, `aud` or `client_id`, `exp`, `nbf`,
 *   `iat`) with jose, and hands the claims to the handler the way API Gateway
 *   does: every value a string, arrays as `[a b]`.
 * - `mintConsoleToken` signs a token for `npx dsar token`. It is synchronous
 *   (node:crypto) because CLI commands are; jose verifies what it signs, so
 *   the two implementations check each other.
 */
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
  sign,
} from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { Authorizer, Fallback, JwtAuthorization } from './api-gateway';

/** The audience of local console tokens (Cognito's would be the app client id). */
export const LOCAL_CONSOLE_AUDIENCE = 'dsar-console-local';
export const JWKS_PATH = '/.well-known/jwks.json';
export const DISCOVERY_PATH = '/.well-known/openid-configuration';
/** Longest lifetime `mintConsoleToken` signs: a working day and a half, never a standing credential. */
export const MAX_TOKEN_HOURS = 12;

const ISSUER_DIR = 'console-issuer';
const KEY_FILE = 'signing-key.jwk.json';
const ISSUER_FILE = 'issuer.json';

/** The state directory has no issuer yet: the local pipeline has never started there. */
export class ConsoleIssuerMissing extends Error {
  override name = 'ConsoleIssuerMissing' as const;
  constructor(stateDir: string) {
    super(
      `No local console issuer in ${stateDir}: start the local pipeline first (npm start), or pass --state-dir`,
    );
  }
}

export interface ConsoleSigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** The public half as a JWK, with `kid`, `alg` and `use`. */
  readonly publicJwk: Readonly<Record<string, string>>;
}

export interface ConsoleIssuerConfig {
  /** The `iss` of local tokens: the local API's base URL. */
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string;
}

/** RFC 7638 thumbprint of an RSA public key: a stable `kid`. */
function rsaThumbprint(jwk: { e?: string; n?: string }): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

function signingKeyFrom(privateJwk: Record<string, string>): ConsoleSigningKey {
  const privateKey = createPrivateKey({ key: privateJwk, format: 'jwk' });
  const { e, n } = privateJwk;
  const kid = rsaThumbprint({ e, n } as { e: string; n: string });
  return { kid, privateKey, publicJwk: { kty: 'RSA', e: e!, n: n!, kid, alg: 'RS256', use: 'sig' } };
}

/** The issuer's key pair, created on first use. The private key file is readable by its owner only. */
export function loadOrCreateSigningKey(stateDir: string): ConsoleSigningKey {
  const dir = join(stateDir, ISSUER_DIR);
  const file = join(dir, KEY_FILE);
  try {
    return signingKeyFrom(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateJwk = privateKey.export({ format: 'jwk' }) as Record<string, string>;
  writeFileSync(file, JSON.stringify(privateJwk), { mode: 0o600 });
  chmodSync(file, 0o600);
  return signingKeyFrom(privateJwk);
}

/** Reads what `startConsoleIssuer` recorded for the CLI: issuer, audience and JWKS URL. */
export function readIssuerConfig(stateDir: string): ConsoleIssuerConfig {
  try {
    return JSON.parse(readFileSync(join(stateDir, ISSUER_DIR, ISSUER_FILE), 'utf8')) as ConsoleIssuerConfig;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ConsoleIssuerMissing(stateDir);
    throw error;
  }
}

/** A compact JWS (RS256) over `payload`. Exported so tests can sign with keys the issuer does not trust. */
export function signJwt(
  privateKey: KeyObject,
  kid: string,
  payload: Readonly<Record<string, unknown>>,
): string {
  const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const signingInput = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(payload)}`;
  const signature = sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

export interface MintOptions {
  readonly stateDir: string;
  /** Console groups, as Cognito puts them in `cognito:groups`. */
  readonly roles: readonly string[];
  /** The console user name (`username` claim); also the audit trail's actor id. */
  readonly user: string;
  /** @default 8 */
  readonly hours?: number;
  /** @default now */
  readonly now?: Date;
}

/** A console access token from the local issuer, shaped like a Cognito access token. */
export function mintConsoleToken(options: MintOptions): string {
  const hours = options.hours ?? 8;
  if (!(hours > 0 && hours <= MAX_TOKEN_HOURS)) {
    throw new RangeError(`hours must be more than 0 and at most ${MAX_TOKEN_HOURS}`);
  }
  const config = readIssuerConfig(options.stateDir);
  const key = loadOrCreateSigningKey(options.stateDir);
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return signJwt(key.privateKey, key.kid, {
    iss: config.issuer,
    aud: config.audience,
    sub: `local:${options.user}`,
    username: options.user,
    'cognito:groups': [...options.roles],
    token_use: 'access',
    iat: issuedAt,
    nbf: issuedAt,
    exp: issuedAt + Math.round(hours * 3600),
    jti: randomUUID(),
  });
}

/** Claim values as API Gateway passes them to a payload 2.0 handler: strings, arrays as `[a b]`. */
export function flattenClaims(payload: JWTPayload): JwtAuthorization['claims'] {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) claims[name] = `[${value.map(String).join(' ')}]`;
    else if (typeof value === 'object') claims[name] = JSON.stringify(value);
    else claims[name] = String(value);
  }
  return claims;
}

function tokenFrom(request: IncomingMessage): string | undefined {
  // API Gateway's identity source `$request.header.Authorization`: the token, with or without `Bearer `.
  const header = request.headers.authorization?.trim();
  if (!header) return undefined;
  return header.toLowerCase().startsWith('bearer ') ? header.slice('bearer '.length).trim() : header;
}

/** The local API Gateway's `authorizer` hook: API Gateway's JWT checks, made with jose. */
export function consoleAuthorizer(config: ConsoleIssuerConfig): Authorizer {
  const keys = createRemoteJWKSet(new URL(config.jwksUrl));
  return async (request) => {
    const token = tokenFrom(request);
    if (!token) return null;
    const { payload } = await jwtVerify(token, keys, {
      issuer: config.issuer,
      algorithms: ['RS256'],
      requiredClaims: ['exp'],
    });
    // Cognito access tokens carry client_id instead of aud; API Gateway accepts either.
    const audiences = Array.isArray(payload.aud) ? payload.aud : payload.aud ? [payload.aud] : [];
    const clientId = typeof payload.client_id === 'string' ? payload.client_id : undefined;
    if (!audiences.includes(config.audience) && clientId !== config.audience) return null;
    if (typeof payload.iat === 'number' && payload.iat * 1000 > Date.now()) return null;
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : undefined;
    return { claims: flattenClaims(payload), ...(scopes ? { scopes } : {}) };
  };
}

export interface ConsoleIssuer {
  readonly config: ConsoleIssuerConfig;
  readonly authorizer: Authorizer;
  /** Serves the JWKS and the discovery document; pass as the API Gateway's fallback. */
  readonly fallback: Fallback;
}

/**
 * Sets up the issuer for an API served at `apiUrl`: the key (created once),
 * the record the CLI reads, the authoriser and the routes that publish the keys.
 */
export function startConsoleIssuer(options: { stateDir: string; apiUrl: string }): ConsoleIssuer {
  const key = loadOrCreateSigningKey(options.stateDir);
  const config: ConsoleIssuerConfig = {
    issuer: options.apiUrl,
    audience: LOCAL_CONSOLE_AUDIENCE,
    jwksUrl: `${options.apiUrl}${JWKS_PATH}`,
  };
  writeFileSync(join(options.stateDir, ISSUER_DIR, ISSUER_FILE), JSON.stringify(config, null, 2));
  const documents: Record<string, unknown> = {
    [JWKS_PATH]: { keys: [key.publicJwk] },
    [DISCOVERY_PATH]: {
      issuer: config.issuer,
      jwks_uri: config.jwksUrl,
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
    },
  };
  const fallback: Fallback = (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0]!;
    const document = documents[path];
    if (request.method !== 'GET' || document === undefined) return false;
    request.resume();
    response
      .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' })
      .end(JSON.stringify(document));
    return true;
  };
  return { config, authorizer: consoleAuthorizer(config), fallback };
}
