/**
 * The middleware stack of every HTTP API handler, written once:
 * context-aware logging, EMF metrics, security headers, JSON body parsing with
 * size and media-type limits, schema validation, and errors mapped to JSON
 * problems. Handlers stay thin: parse, call domain code, return.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { z } from 'zod';
import { logger, metrics } from '../aws/runtime';
import { HttpProblem, problemFor } from './http-problem';

export type HttpResult = APIGatewayProxyStructuredResultV2;

/** An API Gateway v2 event whose body has been parsed and validated to `TBody`. */
export type ParsedEvent<TBody> = Omit<APIGatewayProxyEventV2, 'body'> & { body: TBody };

/** What a route accepts besides its body: path and query parameters, each validated strictly. */
export interface RouteInputOptions {
  /** Path parameters, e.g. `z.strictObject({ id: RequestIdSchema })`. */
  readonly path?: z.ZodType;
  /** Query parameters. @default none: any query parameter is an unknown field */
  readonly query?: z.ZodType;
}

/** A route's own check of the caller, before any of its input is read. */
export interface RouteGuardOptions {
  /**
   * Runs after the shared stack and before the body and parameters are read
   * (e.g. the console's authorisation: a caller who may not use a route learns
   * nothing of its input rules); its onError runs before the problem mapper's.
   */
  readonly guard?: MiddlewareObj<APIGatewayProxyEventV2>;
}

export interface JsonBodyOptions<TSchema extends z.ZodType> extends RouteInputOptions, RouteGuardOptions {
  readonly schema: TSchema;
  /** @default 65536 (64 KiB): a request form never needs more; larger bodies get 413. */
  readonly maxBytes?: number;
  /** An absent body is read as `{}` (routes whose body has no required field). @default false */
  readonly bodyOptional?: boolean;
}

/** Larger bodies are refused on every route, whether or not it takes one. */
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const NO_QUERY = z.strictObject({});

function bodyBytes(event: APIGatewayProxyEventV2): Buffer {
  const raw = event.body === undefined ? '' : event.body;
  return event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
}

function checkSize(bytes: Buffer, maxBytes: number): void {
  if (bytes.byteLength > maxBytes) {
    throw new HttpProblem(413, 'payload-too-large', `Request body exceeds ${maxBytes} bytes`);
  }
}

/** Validates `value` against `schema`; the 400 names the offending field (the unknown one, for strict objects). */
function validated(schema: z.ZodType, value: unknown): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = [...issue.path, ...keys.slice(0, 1)].map(String).join('.');
  const message =
    issue.code === 'unrecognized_keys' ? `Unknown field ${path}` : `${path || 'body'}: ${issue.message}`;
  throw new HttpProblem(400, 'invalid-field', message, path || undefined);
}

/** Path and query parameters are input too: validated as strictly as a body, before the handler runs. */
function routeParameters(options: RouteInputOptions): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: ({ event }) => {
      if (options.path) {
        (event as { pathParameters?: unknown }).pathParameters = validated(
          options.path,
          event.pathParameters ?? {},
        );
      }
      (event as { queryStringParameters?: unknown }).queryStringParameters = validated(
        options.query ?? NO_QUERY,
        event.queryStringParameters ?? {},
      );
    },
  };
}

/**
 * A route without a request body refuses one rather than ignoring it: a client
 * sending content to it has misunderstood the API and should hear so.
 */
function noBody(): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: ({ event }) => {
      const bytes = bodyBytes(event);
      checkSize(bytes, DEFAULT_MAX_BODY_BYTES);
      if (bytes.byteLength === 0) return;
      if (!JSON_MEDIA_TYPE.test(event.headers['content-type'] ?? '')) {
        throw new HttpProblem(415, 'unsupported-media-type', 'This route takes no request body');
      }
      throw new HttpProblem(400, 'body-not-allowed', 'This route takes no request body');
    },
  };
}

/**
 * Our own body parser rather than @middy/http-json-body-parser, because that
 * one answers malformed JSON with 415 instead of 400, and puts the raw body
 * (PII) into the error's cause where an error logger would print it.
 */
function jsonBody<TSchema extends z.ZodType>(
  options: JsonBodyOptions<TSchema>,
): MiddlewareObj<APIGatewayProxyEventV2> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  return {
    before: (request) => {
      const { event } = request;
      const bytes = bodyBytes(event);
      checkSize(bytes, maxBytes);
      let parsed: unknown = {};
      if (bytes.byteLength > 0 || !options.bodyOptional) {
        if (!JSON_MEDIA_TYPE.test(event.headers['content-type'] ?? '')) {
          throw new HttpProblem(415, 'unsupported-media-type', 'Content-Type must be application/json');
        }
        try {
          parsed = JSON.parse(bytes.toString('utf8'));
        } catch {
          throw new HttpProblem(400, 'malformed-json', 'Request body is not valid JSON');
        }
      }
      (event as { body: unknown }).body = validated(options.schema, parsed);
    },
  };
}

/** Maps every failure to a JSON problem; logs names and codes only, never bodies or messages with input. */
function problemResponses(): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  return {
    onError: (request) => {
      const problem = problemFor(request.error);
      if (problem) {
        // Recorded, not just answered: a metric per code, and a log line without input values.
        metrics.addMetric('RejectedInput', MetricUnit.Count, 1);
        logger.warn('Rejected input', {
          status: problem.statusCode,
          code: problem.code,
          ...(problem.field ? { field: problem.field } : {}),
          routeKey: request.event.routeKey,
        });
        request.response = jsonResponse(
          problem.statusCode,
          {
            error: {
              code: problem.code,
              message: problem.message,
              ...(problem.field ? { field: problem.field } : {}),
              ...(problem.problems ? { problems: problem.problems } : {}),
            },
          },
          problem.headers,
        );
        return;
      }
      logger.error('Unhandled error', { errorName: (request.error as Error | undefined)?.name });
      request.response = jsonResponse(500, { error: { code: 'internal', message: 'Internal error' } });
    },
  };
}

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

type Handler<TEvent> = (event: TEvent, context: Context) => Promise<HttpResult>;

export interface HttpApiOptions extends RouteInputOptions, RouteGuardOptions {
  /**
   * Options for @middy/http-security-headers. HTML pages need this: the default
   * Content-Security-Policy for text/html (sandbox, no scripts at all) would
   * stop a page's own script, so a page turns it off and sends its own.
   * @default the middleware's defaults (helmet's)
   */
  readonly securityHeaders?: Parameters<typeof httpSecurityHeaders>[0];
}

/** The middleware every route shares, in the order the before-phases must run. */
function baseStack(
  handler: Handler<APIGatewayProxyEventV2>,
  options: Pick<HttpApiOptions, 'securityHeaders' | 'guard'> = {},
) {
  const stack = middy<APIGatewayProxyEventV2, HttpResult>(handler)
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .use(httpSecurityHeaders(options.securityHeaders))
    .use(problemResponses())
    .use(httpHeaderNormalizer());
  return options.guard ? stack.use(options.guard) : stack;
}

/** Wraps a handler for a route without a request body. */
export function httpApi(handler: Handler<APIGatewayProxyEventV2>, options: HttpApiOptions = {}) {
  return baseStack(handler, options).use(noBody()).use(routeParameters(options));
}

/** Wraps a handler for a route with a JSON body validated against `options.schema`. */
export function httpApiWithBody<TSchema extends z.ZodType>(
  options: JsonBodyOptions<TSchema>,
  handler: Handler<ParsedEvent<z.output<TSchema>>>,
) {
  return baseStack(handler as unknown as Handler<APIGatewayProxyEventV2>, options)
    .use(jsonBody(options))
    .use(routeParameters(options));
}
