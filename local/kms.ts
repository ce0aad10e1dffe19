/**
 * Local KMS endpoint (`AWS_ENDPOINT_URL_KMS`): the AWS JSON 1.1 protocol with the two operations of
 * an HMAC key, `TrentService.GenerateMac` and `TrentService.VerifyMac`, over one key whose 32 bytes
 * are kept in `<stateDir>/audit-trail-key` (made on first start, kept across restarts so old MACs
 * still verify). The functions sign audit events through the SDK exactly as on AWS
 * (adapters/aws/kms-trail-mac.ts); only the endpoint differs.
 *
 * Reproduced: KeyId as the key's ARN, its key id or `alias/...` name; MacAlgorithm HMAC_SHA_256 only;
 * a Message of 1 to 4096 bytes; `NotFoundException` for an unknown key, `KMSInvalidMacException` for
 * a MAC that does not verify, `UnknownOperationException` for every other operation.
 *
 * Not reproduced: key policies and grants (local mode has no IAM: any caller may make MACs), other
 * key specs, grant tokens, dry runs, request signing checks (loopback only).
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { AwsJsonServiceError, writeAwsJsonError } from './aws-json-protocol';
import { LOCAL_REGION } from './credentials';
import { type LocalEndpoint, PayloadTooLargeError, readBody, serveOnLoopback } from './http-server';
import { LOCAL_ACCOUNT_ID } from './lambda';

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'TrentService.';
const MAX_REQUEST_BYTES = 64 * 1024;
const MAX_MESSAGE_BYTES = 4096;

/** The local trail key's id: fixed, so a restarted stack's functions keep their configuration. */
export const LOCAL_TRAIL_KEY_ID = '00000000-0000-4000-8000-a0d170000001';
export const LOCAL_TRAIL_KEY_ARN = `arn:aws:kms:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:key/${LOCAL_TRAIL_KEY_ID}`;
export const LOCAL_TRAIL_KEY_ALIAS = 'alias/dsar-audit-trail';

export interface LocalKmsOptions {
  /** The HMAC key's bytes. */
  readonly trailKey: Buffer;
  /** @default 0 (a free port) */
  readonly port?: number;
}

export async function startKms(options: LocalKmsOptions): Promise<LocalEndpoint> {
  const names = new Set([LOCAL_TRAIL_KEY_ID, LOCAL_TRAIL_KEY_ARN, LOCAL_TRAIL_KEY_ALIAS]);

  function macOf(params: Record<string, unknown>): Buffer {
    const { KeyId, MacAlgorithm, Message } = params;
    if (typeof KeyId !== 'string' || !names.has(KeyId)) {
      throw new AwsJsonServiceError('NotFoundException', `Key '${String(KeyId)}' does not exist`);
    }
    if (MacAlgorithm !== 'HMAC_SHA_256') {
      throw new AwsJsonServiceError('InvalidKeyUsageException', 'The key supports HMAC_SHA_256 only');
    }
    const message = typeof Message === 'string' ? Buffer.from(Message, 'base64') : Buffer.alloc(0);
    if (message.length < 1 || message.length > MAX_MESSAGE_BYTES) {
      throw new AwsJsonServiceError('ValidationException', 'Message must be 1 to 4096 bytes');
    }
    return createHmac('sha256', options.trailKey).update(message).digest();
  }

  function operate(operation: string, params: Record<string, unknown>) {
    const common = { KeyId: LOCAL_TRAIL_KEY_ARN, MacAlgorithm: 'HMAC_SHA_256' };
    if (operation === 'GenerateMac') return { ...common, Mac: macOf(params).toString('base64') };
    if (operation === 'VerifyMac') {
      const expected = macOf(params);
      const given = typeof params.Mac === 'string' ? Buffer.from(params.Mac, 'base64') : Buffer.alloc(0);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new AwsJsonServiceError('KMSInvalidMacException', 'The MAC does not verify');
      }
      return { ...common, MacValid: true };
    }
    throw new AwsJsonServiceError('UnknownOperationException', `Unknown operation ${operation}`);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.setHeader('x-amzn-RequestId', randomUUID());
    const target = String(request.headers['x-amz-target'] ?? '');
    if (request.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
      throw new AwsJsonServiceError('UnknownOperationException', `Unknown operation ${target}`);
    }
    let params: Record<string, unknown>;
    try {
      const body = (await readBody(request, MAX_REQUEST_BYTES)).toString('utf8');
      params = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
    } catch (error) {
      if (error instanceof PayloadTooLargeError || error instanceof SyntaxError) {
        throw new AwsJsonServiceError('ValidationException', error.message);
      }
      throw error;
    }
    const result = operate(target.slice(TARGET_PREFIX.length), params);
    response.writeHead(200, { 'Content-Type': JSON_CONTENT_TYPE }).end(JSON.stringify(result));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      writeAwsJsonError(response, JSON_CONTENT_TYPE, error, 'KMSInternalException');
    });
  });
  return serveOnLoopback(server, options.port);
}
