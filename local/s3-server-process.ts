/**
 * The S3 server's own process: s3rver behind a SigV4 presigned-URL check.
 * Started by local/s3.ts as
 *
 *   node --openssl-legacy-provider --import tsx local/s3-server-process.ts '<json options>'
 *
 * with an IPC channel; it reports `{ listening: port }` over IPC once bound.
 *
 * Why a separate process: s3rver encrypts ListObjectsV2 continuation tokens
 * with DES, which OpenSSL 3 only offers with the legacy provider. Enabling it
 * for the whole local stack would weaken crypto for every handler, so only
 * this process gets the flag. Without it, paging past 1000 keys fails.
 *
 * Why a server in front of s3rver: s3rver enforces a presigned URL's expiry but never
 * verifies its signature. Every request carrying X-Amz-Signature in its query
 * is verified here (sigv4-presign.ts) against LOCAL_CREDENTIALS; a tampered
 * or expired link gets S3's 403 XML error. Requests signed in the
 * Authorization header (the SDK's normal calls) pass through unchecked.
 * Uploads in the SDK's aws-chunked encoding are decoded (s3-aws-chunked.ts),
 * and the versioning subresource, which s3rver misroutes, is answered here.
 *
 * The process exits when its parent disconnects (IPC closes, even when the
 * parent is killed with SIGKILL) or on SIGTERM/SIGINT.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createRequire } from 'node:module';
import { pipeline } from 'node:stream/promises';
import { LOCAL_CREDENTIALS } from './credentials';
import { closeServer, LOOPBACK_HOST, listenOnLoopback } from './ports';
import { AwsChunkedDecoder, decodedRequestHeaders, isAwsChunked } from './s3-aws-chunked';
import {
  isPresignedRequest,
  type PresignFailure,
  s3ErrorForPresignFailure,
  verifyPresignedUrl,
} from './sigv4-presign';

interface S3ServerProcessOptions {
  /** Where s3rver keeps buckets and objects. */
  readonly directory: string;
  readonly port: number;
}

/** The parts of s3rver (which ships no type declarations) used here. */
interface S3rverInstance {
  callback(): (request: IncomingMessage, response: ServerResponse) => void;
}
type S3rverConstructor = new (options: {
  directory: string;
  silent: boolean;
  vhostBuckets: boolean;
  resetOnClose: boolean;
}) => S3rverInstance;
interface S3rverAccount {
  createKeyPair(accessKeyId: string, secretAccessKey: string): void;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);
}

function rejectPresigned(
  request: IncomingMessage,
  response: ServerResponse,
  reason: PresignFailure,
  message: string,
) {
  const { status, code } = s3ErrorForPresignFailure(reason);
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>` +
    `<RequestId>${requestId}</RequestId></Error>`;
  // The body of a rejected upload is not read, so the connection cannot be reused.
  response.writeHead(status, {
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(body),
    'x-amz-request-id': requestId,
    Connection: 'close',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

function sendXml(request: IncomingMessage, response: ServerResponse, status: number, xml: string) {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
  response.writeHead(status, {
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * s3rver does not know the `versioning` subresource and routes
 * `PUT /<bucket>?versioning` to CreateBucket (which would even create a
 * missing bucket). Answer as s3rver means to: versioning is not implemented,
 * and a bucket's versioning status is "never enabled".
 */
function answerVersioning(request: IncomingMessage, response: ServerResponse, url: string): boolean {
  const [path = '', query = ''] = url.split('?', 2);
  const isBucketPath = /^\/[^/]+\/?$/.test(path);
  if (!isBucketPath || !query.split('&').some((pair) => pair.split('=')[0] === 'versioning')) return false;
  if (request.method === 'GET' || request.method === 'HEAD') {
    sendXml(
      request,
      response,
      200,
      '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>',
    );
  } else {
    sendXml(
      request,
      response,
      501,
      '<Error><Code>NotImplemented</Code>' +
        '<Message>A parameter you provided implies functionality that is not implemented</Message></Error>',
    );
  }
  return true;
}

/** Passes a request on to s3rver, decoding an aws-chunked body on the way. */
function forward(
  request: IncomingMessage,
  response: ServerResponse,
  backendPort: number,
  agent: Agent,
): void {
  const chunked = isAwsChunked(request.headers);
  const outgoing = httpRequest({
    host: LOOPBACK_HOST,
    port: backendPort,
    method: request.method,
    path: request.url,
    headers: chunked ? decodedRequestHeaders(request.headers) : request.headers,
    agent,
  });
  outgoing.on('response', (incoming) => {
    response.writeHead(incoming.statusCode ?? 502, incoming.headers);
    pipeline(incoming, response).catch(() => response.destroy());
  });
  outgoing.on('error', () => {
    if (!response.headersSent) {
      sendXml(
        request,
        response,
        500,
        '<Error><Code>InternalError</Code><Message>S3 backend failed</Message></Error>',
      );
    } else {
      response.destroy();
    }
  });
  const body = chunked ? [request, new AwsChunkedDecoder()] : [request];
  pipeline([...body, outgoing]).catch(() => {
    if (!response.headersSent) {
      sendXml(
        request,
        response,
        400,
        '<Error><Code>IncompleteBody</Code><Message>The request body could not be read</Message></Error>',
      );
    }
    outgoing.destroy();
  });
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as S3ServerProcessOptions;
  await mkdir(options.directory, { recursive: true });

  const require = createRequire(import.meta.url);
  const S3rver = require('s3rver') as S3rverConstructor;
  const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account') as { DUMMY_ACCOUNT: S3rverAccount };
  // s3rver rejects header-signed requests from access keys it does not know.
  DUMMY_ACCOUNT.createKeyPair(LOCAL_CREDENTIALS.accessKeyId, LOCAL_CREDENTIALS.secretAccessKey);
  const s3rver = new S3rver({
    directory: options.directory,
    // Its request log would print object keys; no personal data in logs.
    silent: true,
    // Path-style only: clients use forcePathStyle, and a Host header must never be taken for a bucket.
    vhostBuckets: false,
    resetOnClose: false,
  });
  // s3rver listens on an internal loopback port; the public server in front of it
  // checks presigned URLs and removes aws-chunked framing before forwarding.
  const backend = createServer(s3rver.callback());
  const backendPort = await listenOnLoopback(backend, 0);
  const agent = new Agent({ keepAlive: true });

  const server = createServer((request, response) => {
    const url = request.url ?? '/';
    if (isPresignedRequest(url)) {
      const result = verifyPresignedUrl(
        request.method ?? 'GET',
        url,
        request.headers,
        LOCAL_CREDENTIALS,
        new Date(),
      );
      if (!result.ok) {
        rejectPresigned(request, response, result.reason, result.message);
        return;
      }
    }
    if (answerVersioning(request, response, url)) return;
    forward(request, response, backendPort, agent);
  });
  const port = await listenOnLoopback(server, options.port);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    Promise.allSettled([closeServer(server), closeServer(backend)]).finally(() => process.exit(0));
  };
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.send?.({ listening: port });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  process.exit(1);
});
