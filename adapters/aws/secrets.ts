/**
 * Random secrets, the server-side key that hashes them, and every other
 * deployment secret the functions read (SMTP relay credentials, connector
 * credentials). Codes and tokens are generated here, handed to the requester
 * once, and stored only hashed.
 *
 * Deployment secrets live in Secrets Manager and are read through Powertools
 * Parameters, which keeps each value in memory for SECRET_MAX_AGE_SECONDS: a
 * warm container asks Secrets Manager at most once per period per secret, not
 * once per invocation. Local mode runs the same code against its own Secrets
 * Manager endpoint (local/secrets-manager.ts, AWS_ENDPOINT_URL_SECRETS_MANAGER).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { OneTimeSecrets } from '../../app/intake/ports';
import type { SecretsReader } from '../../app/ports';
import { PermanentError } from '../../domain/errors';
import { CODE_DIGITS } from '../../domain/verification';
import { requiredEnv } from './runtime';

/** Environment variable naming the Secrets Manager secret (ARN) that holds the HMAC key. */
export const HMAC_KEY_SECRET_VARIABLE = 'PIPELINE_HMAC_KEY_SECRET_ARN';

/**
 * How long a secret read is reused. Long enough that Secrets Manager is asked a
 * few times an hour per container; short enough that a changed relay password
 * or connection URL reaches every warm container within minutes.
 */
export const SECRET_MAX_AGE_SECONDS = 300;

/** A secret that exists but holds no text (binary, or empty): a deployment mistake. */
export class SecretNotText extends PermanentError {
  override readonly name = 'SecretNotText' as const;
  readonly code = 'secret-not-text';
  constructor(readonly secretId: string) {
    super(`Secret ${secretId} holds no text value`);
  }
}

/**
 * The current text value of a Secrets Manager secret, by ARN or name, from the
 * shared cache. Secrets Manager's own failures (no such secret, access denied,
 * throttling) surface as Powertools' `GetParameterError` with the SDK error as
 * its cause.
 */
export async function readSecret(secretId: string): Promise<string> {
  const value = await getSecret(secretId, { maxAge: SECRET_MAX_AGE_SECONDS });
  if (typeof value !== 'string' || value === '') throw new SecretNotText(secretId);
  return value;
}

/**
 * Key for HMACs of identifiers, codes and tokens: the secret named by
 * PIPELINE_HMAC_KEY_SECRET_ARN. Never rotate it without re-keying every stored
 * hash (docs/limits.md).
 */
export async function hashKey(): Promise<string> {
  return readSecret(requiredEnv(HMAC_KEY_SECRET_VARIABLE));
}

/** A uniformly random numeric code of CODE_DIGITS digits, leading zeros kept. */
export function newVerificationCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

/** 256 random bits, URL-safe: for status and download tokens. */
export function newBearerToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The HMAC key as the use cases' SecretsReader port. */
export const secretsReader: SecretsReader = { hashKey };

/** Fresh codes and tokens as the intake use cases' OneTimeSecrets port. */
export const oneTimeSecrets: OneTimeSecrets = {
  verificationCode: newVerificationCode,
  bearerToken: newBearerToken,
};
