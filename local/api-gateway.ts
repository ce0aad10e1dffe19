/**
 * Local API Gateway: an **HTTP API with Lambda proxy integrations, payload
 * format 2.0**, over the shared route table (`definitions/routes.ts`),
 * invoking handlers over the real Lambda Invoke protocol as API Gateway's
 * service integration does.
 *
 * Reproduced from AWS:
 * - Routing by method and path template, most specific route first: literal
 *   segments beat `{param}` segments, which beat a greedy `{proxy+}`. Paths
 *   are case-sensitive and a trailing slash makes a different path; a method
 *   without a route is 404, as on AWS.
 * - The v2 event: routeKey, rawPath, rawQueryString, cookies, lower-cased
 *   headers with duplicates comma-joined, queryStringParameters,
 *   pathParameters, the body (base64 with `isBase64Encoded` unless the content
 *   type is text/*, application/json, application/xml or
 *   application/javascript — form posts and requests without a content type
 *   arrive base64-encoded on AWS too), and requestContext (with
 *   `authorizer.jwt` on console routes).
 * - Response mapping: an object with `statusCode` is a structured response
 *   (headers, cookies as Set-Cookie, body, isBase64Encoded); any other JSON is
 *   returned as a 200 application/json body.
 * - Gateway errors with AWS's bodies: 404 Not Found, 401 Unauthorized, 413
 *   Request Entity Too Large (10 MB), 500 Internal Server Error (function
 *   error or malformed response), 503 Service Unavailable (30 s integration
 *   timeout). Every response carries `apigw-requestid`.
 * - Access log lines: request id, method, routeKey, status, latency. Never
 *   paths, query values, headers or bodies, which may carry personal data.
 *
 * Not reproduced: JWT validation itself (the `authorizer` hook does it; local
 * mode without one answers 401 on console routes), CORS preflight,
 * throttling, custom domains and stages other than `$default`, TLS (the
 * `x-forwarded-*` headers describe a plain-HTTP loopback request, and
 * `domainName` keeps the port so links built from it work locally).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { InvokeCommand, LambdaClient, LambdaServiceException } from '@aws-sdk/client-lambda';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { RouteDefinition } from '../definitions/routes';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './credentials';
import { type LocalEndpoint, PayloadTooLargeError, readBody, serveOnLoopback } from './http-server';
import { LOCAL_ACCOUNT_ID } from './lambda';

/** HTTP API quotas. */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;
export const INTEGRATION_TIMEOUT_MS = 30_000;

export interface JwtAuthorization {
  readonly claims: Readonly<Record<string, string | number | boolean | string[]>>;
  readonly scopes?: readonly string[];
}

/** Verifies the caller of a console route; `null` (or a throw) means 401. */
export type Authorizer = (request: IncomingMessage) => Promise<JwtAuthorization | null>;

/** Serves what no route matches (static files…); returns false to let the gateway answer 404. */
export type Fallback = (request: IncomingMessage, response: ServerResponse) => boolean | Promise<boolean>;

export interface AccessLogEntry {
  readonly requestId: string;
  readonly method: string;
  /** The matched route key, or `-` when no route matched. */
  readonly routeKey: string;
  readonly status: number;
  readonly latencyMs: number;
}

export interface ApiGatewayOptions {
  readonly routes: readonly RouteDefinition[];
  /** URL of the (local) Lambda service that route functions are invoked on. */
  readonly lambdaEndpoint: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  readonly authorizer?: Authorizer;
  readonly fallback?: Fallback;
  /** @default one JSON line per request on stdout */
  readonly accessLog?: (entry: AccessLogEntry) => void;
  /** @default console.error */
  readonly log?: (line: string) => void;
  /** @default 'local' */
  readonly apiId?: string;
}

type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'parameter'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

export interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly routeKey: string;
  readonly segments: readonly Segment[];
}

export class InvalidRouteError extends Error {
  override name = 'InvalidRouteError' as const;
}

/** Parses the route table once; rejects templates and duplicates API Gateway would reject. */
export function compileRoutes(routes: readonly RouteDefinition[]): CompiledRoute[] {
  const seen = new Set<string>();
  return routes.map((route) => {
    const routeKey = `${route.method} ${route.path}`;
    if (seen.has(routeKey)) throw new InvalidRouteError(`Duplicate route ${routeKey}`);
    seen.add(routeKey);
    if (!route.path.startsWith('/')) throw new InvalidRouteError(`Route path must start with /: ${routeKey}`);
    const parts = route.path === '/' ? [] : route.path.slice(1).split('/');
    const segments = parts.map((part, index): Segment => {
      const greedy = /^\{([A-Za-z0-9_]+)\+\}$/.exec(part);
      if (greedy) {
        if (index !== parts.length - 1)
          throw new InvalidRouteError(`Greedy segment must be last: ${routeKey}`);
        return { kind: 'greedy', name: greedy[1]! };
      }
      const parameter = /^\{([A-Za-z0-9_]+)\}$/.exec(part);
      if (parameter) return { kind: 'parameter', name: parameter[1]! };
      if (part === '' || /[{}]/.test(part))
        throw new InvalidRouteError(`Invalid path segment "${part}": ${routeKey}`);
      return { kind: 'literal', value: part };
    });
    return { route, routeKey, segments };
  });
}

const SEGMENT_RANK = { literal: 0, parameter: 1, greedy: 2 } as const;

/** Orders routes most specific first, position by position. */
function bySpecificity(a: CompiledRoute, b: CompiledRoute): number {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let index = 0; index < length; index += 1) {
    const left = a.segments[index];
    const right = b.segments[index];
    if (!left || !right) return left ? -1 : 1;
    const difference = SEGMENT_RANK[left.kind] - SEGMENT_RANK[right.kind];
    if (difference !== 0) return difference;
  }
  return 0;
}

export interface RouteMatch {
  readonly compiled: CompiledRoute;
  readonly pathParameters: Record<string, string>;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The most specific route for `method` and the raw (still percent-encoded) `rawPath`, if any. */
export function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  rawPath: string,
): RouteMatch | undefined {
  const parts = rawPath === '/' ? [] : rawPath.slice(1).split('/');
  const candidates: RouteMatch[] = [];
  for (const compiled of routes) {
    if (compiled.route.method !== method) continue;
    const pathParameters: Record<string, string> = {};
    let matched = true;
    for (const [index, segment] of compiled.segments.entries()) {
      const part = parts[index];
      if (segment.kind === 'greedy') {
        const rest = parts.slice(index);
        if (rest.length === 0 || rest.every((value) => value === '')) matched = false;
        else pathParameters[segment.name] = rest.map(decodeSegment).join('/');
        break;
      }
      if (part === undefined || part === '') {
        matched = false;
        break;
      }
      if (segment.kind === 'literal' && decodeSegment(part) !== segment.value) {
        matched = false;
        break;
      }
      if (segment.kind === 'parameter') pathParameters[segment.name] = decodeSegment(part);
    }
    const lastSegment = compiled.segments.at(-1);
    if (matched && lastSegment?.kind !== 'greedy' && parts.length !== compiled.segments.length)
      matched = false;
    if (matched) candidates.push({ compiled, pathParameters });
  }
  candidates.sort((a, b) => bySpecificity(a.compiled, b.compiled));
  return candidates[0];
}

/** Whether HTTP APIs pass a body of this content type as text rather than base64. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    mediaType.startsWith('text/') ||
    mediaType === 'application/json' ||
    mediaType === 'application/xml' ||
    mediaType === 'application/javascript'
  );
}

/** API Gateway's request time format, e.g. `12/Mar/2020:19:03:58 +0000`. */
function requestTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

export interface EventInput {
  readonly request: IncomingMessage;
  readonly match: RouteMatch;
  readonly body: Buffer;
  readonly requestId: string;
  readonly receivedAt: Date;
  readonly apiId: string;
  readonly authorization?: JwtAuthorization;
}

/** Builds the payload format 2.0 event for one request. */
export function buildEvent(input: EventInput): APIGatewayProxyEventV2 {
  const { request, match, body, requestId, receivedAt } = input;
  const rawUrl = request.url ?? '/';
  const queryStart = rawUrl.indexOf('?');
  const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : rawUrl.slice(queryStart + 1);

  const headers: Record<string, string> = {};
  let cookies: string[] = [];
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (!values) continue;
    if (name === 'cookie') {
      cookies = values.flatMap((value) => value.split(';').map((cookie) => cookie.trim())).filter(Boolean);
      continue;
    }
    headers[name] = values.join(',');
  }
  const sourceIp = (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']},${sourceIp}`
    : sourceIp;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-port'] = String(request.socket.localPort ?? '');
  headers['x-amzn-trace-id'] =
    `Root=1-${Math.floor(receivedAt.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

  const queryStringParameters: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    queryStringParameters[key] =
      key in queryStringParameters ? `${queryStringParameters[key]},${value}` : value;
  }

  const isBase64Encoded = body.length > 0 && !isTextContentType(headers['content-type']);
  const domainName = headers.host ?? '127.0.0.1';
  const routeKey = match.compiled.routeKey;
  const event: APIGatewayProxyEventV2 & { requestContext: { authorizer?: unknown } } = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(queryStringParameters).length > 0 ? { queryStringParameters } : {}),
    ...(Object.keys(match.pathParameters).length > 0 ? { pathParameters: match.pathParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: input.apiId,
      ...(input.authorization
        ? {
            authorizer: {
              jwt: { claims: { ...input.authorization.claims }, scopes: input.authorization.scopes ?? null },
            },
          }
        : {}),
      domainName,
      domainPrefix: domainName.split('.')[0]!,
      http: {
        method: request.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: requestTime(receivedAt),
      timeEpoch: receivedAt.getTime(),
    },
    ...(body.length > 0 ? { body: isBase64Encoded ? body.toString('base64') : body.toString('utf8') } : {}),
    isBase64Encoded,
  };
  return event;
}

export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
}

export class MalformedIntegrationResponseError extends Error {
  override name = 'MalformedIntegrationResponseError' as const;
}

/** Maps a function's JSON result to the HTTP response, by the payload format 2.0 rules. */
export function toHttpResponse(payloadText: string): HttpResponse {
  const payload: unknown = JSON.parse(payloadText);
  if (
    typeof payload !== 'object' ||
    payload === null ||
    Array.isArray(payload) ||
    !('statusCode' in payload)
  ) {
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(payloadText),
    };
  }
  const result = payload as APIGatewayProxyStructuredResultV2;
  if (!Number.isInteger(result.statusCode) || result.statusCode! < 100 || result.statusCode! > 599) {
    throw new MalformedIntegrationResponseError(
      `statusCode ${String(result.statusCode)} is not an HTTP status`,
    );
  }
  if (result.body !== undefined && typeof result.body !== 'string') {
    throw new MalformedIntegrationResponseError('body must be a string');
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  if (result.cookies && result.cookies.length > 0) headers['set-cookie'] = [...result.cookies];
  const body = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  return { statusCode: result.statusCode!, headers, body };
}

function sendGatewayError(response: ServerResponse, statusCode: number, message: string): void {
  response.writeHead(statusCode, { 'content-type': 'application/json' }).end(JSON.stringify({ message }));
}

export async function startApiGateway(options: ApiGatewayOptions): Promise<LocalEndpoint> {
  const routes = compileRoutes(options.routes);
  const apiId = options.apiId ?? 'local';
  const log = options.log ?? ((line: string) => console.error(line));
  const accessLog = options.accessLog ?? ((entry: AccessLogEntry) => console.log(JSON.stringify(entry)));
  const lambda = new LambdaClient({
    endpoint: options.lambdaEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });

  /** Serves one request; records the matched route key in `trace` for the access log. */
  async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    trace: { readonly requestId: string; routeKey: string },
  ): Promise<void> {
    const { requestId } = trace;
    const receivedAt = new Date();
    const rawPath = (request.url ?? '/').split('?')[0]!;
    const match = matchRoute(routes, request.method ?? 'GET', rawPath);
    if (!match) {
      // The fallback gets the request body unread.
      if (options.fallback && (await options.fallback(request, response))) return;
      request.resume();
      sendGatewayError(response, 404, 'Not Found');
      return;
    }
    const { routeKey } = match.compiled;
    trace.routeKey = routeKey;

    let body: Buffer;
    try {
      body = await readBody(request, MAX_REQUEST_BODY_BYTES);
    } catch (error) {
      if (!(error instanceof PayloadTooLargeError)) throw error;
      sendGatewayError(response, 413, 'Request Entity Too Large');
      return;
    }

    let authorization: JwtAuthorization | undefined;
    if (match.compiled.route.auth === 'console') {
      const verdict = options.authorizer
        ? await options.authorizer(request).catch((error: unknown) => {
            log(
              `[local api] authorizer failed on ${routeKey}: ${error instanceof Error ? error.name : typeof error}`,
            );
            return null;
          })
        : null;
      if (!verdict) {
        sendGatewayError(response, 401, 'Unauthorized');
        return;
      }
      authorization = verdict;
    }

    const event = buildEvent({
      request,
      match,
      body,
      requestId,
      receivedAt,
      apiId,
      ...(authorization ? { authorization } : {}),
    });
    let httpResponse: HttpResponse;
    try {
      const result = await lambda.send(
        new InvokeCommand({
          FunctionName: match.compiled.route.functionId,
          Payload: Buffer.from(JSON.stringify(event)),
        }),
        { abortSignal: AbortSignal.timeout(INTEGRATION_TIMEOUT_MS) },
      );
      const payloadText = Buffer.from(result.Payload ?? new Uint8Array()).toString('utf8');
      if (result.FunctionError) {
        const { errorType } = JSON.parse(payloadText) as { errorType?: string };
        log(`[local api] ${routeKey} (${requestId}): function error ${errorType ?? 'unknown'}`);
        sendGatewayError(response, 500, 'Internal Server Error');
        return;
      }
      httpResponse = toHttpResponse(payloadText);
    } catch (error) {
      if (error instanceof LambdaServiceException && error.name === 'RequestEntityTooLargeException') {
        sendGatewayError(response, 413, 'Request Entity Too Large');
      } else if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
        sendGatewayError(response, 503, 'Service Unavailable');
      } else {
        log(
          `[local api] ${routeKey} (${requestId}): integration failed: ${error instanceof Error ? error.name : error}`,
        );
        sendGatewayError(response, 500, 'Internal Server Error');
      }
      return;
    }
    response.writeHead(httpResponse.statusCode, httpResponse.headers).end(httpResponse.body);
  }

  const server = createServer((request, response) => {
    const startedAt = performance.now();
    // Base64 of 11 random bytes: the length and alphabet of API Gateway's request ids.
    const requestId = randomBytes(11).toString('base64');
    response.setHeader('apigw-requestid', requestId);
    const trace = { requestId, routeKey: '-' };
    response.on('finish', () =>
      accessLog({
        requestId,
        method: request.method ?? '-',
        routeKey: trace.routeKey,
        status: response.statusCode,
        latencyMs: Math.round(performance.now() - startedAt),
      }),
    );
    handle(request, response, trace).catch((error: unknown) => {
      log(`[local api] internal error (${requestId}): ${error instanceof Error ? error.name : typeof error}`);
      if (!response.headersSent) sendGatewayError(response, 500, 'Internal Server Error');
      else response.end();
    });
  });
  const endpoint = await serveOnLoopback(server, options.port);
  return {
    ...endpoint,
    stop: async () => {
      await endpoint.stop();
      lambda.destroy();
    },
  };
}
