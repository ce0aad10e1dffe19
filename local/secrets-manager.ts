/**
 * Local Secrets Manager endpoint (`AWS_ENDPOINT_URL_SECRETS_MANAGER`): the AWS
 * JSON 1.1 protocol with one operation, `secretsmanager.GetSecretValue`, over
 * the secrets the local stack creates at start. The functions read their
 * secrets (the HMAC key, connector credentials) through Powertools Parameters
 * and the SDK exactly as on AWS; only the endpoint differs.
 *
 * Reproduced: SecretId as a name, a full ARN or a partial ARN (without the
 * six-character suffix); the response fields ARN, Name, VersionId,
 * SecretString, VersionStages and CreatedDate; `ResourceNotFoundException`
 * (400) for an unknown secret; a VersionStage other than AWSCURRENT is not
 * found; `UnknownOperationException` for every other operation.
 *
 * Not reproduced: versions, rotation, binary secrets, resource policies,
 * encryption keys, request signing checks (loopback only).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { AwsJsonServiceError, writeAwsJsonError } from './aws-json-protocol';
import { LOCAL_REGION } from './credentials';
import { type LocalEndpoint, PayloadTooLargeError, readBody, serveOnLoopback } from './http-server';
import { LOCAL_ACCOUNT_ID } from './lambda';

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'secretsmanager.';
/** GetSecretValue requests are small; anything larger is not one. */
const MAX_REQUEST_BYTES = 64 * 1024;

/** The local stack's name for the HMAC key's secret (its value is kept in `<stateDir>/pipeline-hmac-key`). */
export const HMAC_KEY_SECRET_NAME = 'dsar-pipeline/hmac-key';

export interface LocalSecret {
  /** The secret's name, e.g. `dsar-pipeline/hmac-key`. */
  readonly name: string;
  readonly value: string;
}

export interface LocalSecretsManagerOptions {
  readonly secrets: readonly LocalSecret[];
  /** @default 0 (a free port) */
  readonly port?: number;
}

export interface LocalSecretsManager extends LocalEndpoint {
  /** The ARN of a secret this endpoint holds. */
  arnOf(name: string): string;
}

/**
 * The ARN local mode gives a secret. Secrets Manager ends an ARN with a
 * random six-character suffix; here it is derived from the name, so the ARN
 * is the same on every start (a restarted stack's functions keep working).
 */
export function localSecretArn(name: string): string {
  const suffix = createHash('sha256').update(name).digest('base64url').replace(/[-_]/g, 'x').slice(0, 6);
  return `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:secret:${name}-${suffix}`;
}

/** `arn:…:secret:name-AbCdEf` and `arn:…:secret:name` (a partial ARN) both name `name`. */
function partialArnOf(arn: string): string {
  return arn.slice(0, -'-AbCdEf'.length);
}

export async function startSecretsManager(options: LocalSecretsManagerOptions): Promise<LocalSecretsManager> {
  const createdDate = Date.now() / 1000;
  const byId = new Map<
    string,
    { readonly secret: LocalSecret; readonly arn: string; readonly versionId: string }
  >();
  for (const secret of options.secrets) {
    const entry = { secret, arn: localSecretArn(secret.name), versionId: randomUUID() };
    for (const id of [secret.name, entry.arn, partialArnOf(entry.arn)]) byId.set(id, entry);
  }

  function getSecretValue(params: Record<string, unknown>) {
    const { SecretId, VersionStage } = params;
    if (typeof SecretId !== 'string' || SecretId === '') {
      throw new AwsJsonServiceError('InvalidParameterException', 'SecretId is required');
    }
    const entry = byId.get(SecretId);
    if (entry === undefined || (VersionStage !== undefined && VersionStage !== 'AWSCURRENT')) {
      throw new AwsJsonServiceError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret.",
      );
    }
    return {
      ARN: entry.arn,
      Name: entry.secret.name,
      VersionId: entry.versionId,
      SecretString: entry.secret.value,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: createdDate,
    };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.setHeader('x-amzn-RequestId', randomUUID());
    const target = request.headers['x-amz-target'];
    if (request.method !== 'POST' || target !== `${TARGET_PREFIX}GetSecretValue`) {
      throw new AwsJsonServiceError('UnknownOperationException', `Unknown operation ${String(target)}`);
    }
    let params: Record<string, unknown>;
    try {
      const body = (await readBody(request, MAX_REQUEST_BYTES)).toString('utf8');
      params = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
    } catch (error) {
      if (error instanceof PayloadTooLargeError || error instanceof SyntaxError) {
        throw new AwsJsonServiceError('InvalidRequestException', error.message);
      }
      throw error;
    }
    const result = getSecretValue(params);
    response.writeHead(200, { 'Content-Type': JSON_CONTENT_TYPE }).end(JSON.stringify(result));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      writeAwsJsonError(response, JSON_CONTENT_TYPE, error, 'InternalServiceError');
    });
  });
  const endpoint = await serveOnLoopback(server, options.port);
  return {
    ...endpoint,
    arnOf(name: string) {
      const entry = byId.get(name);
      if (entry === undefined) throw new Error(`The local Secrets Manager holds no secret named ${name}`);
      return entry.arn;
    },
  };
}
