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
import type { z } from 'zod';
import { logger, metrics } from '../shared/runtime';
import { HttpProblem, problemFor } from './http-problem';

export type HttpResult = APIGatewayProxyStructuredResultV2;

/** An API Gateway v2 event whose body has been parsed and validated to `TBody`. */
export type ParsedEvent<TBody> = Omit<APIGatewayProxyEventV2, 'body'> & { body: TBody };

export interface JsonBodyOptions<TSchema extends z.ZodType> {
  readonly schema: TSchema;
  /** @default 65536 (64 KiB): a request form never needs more; larger bodies get 413. */
  readonly maxBytes?: number;
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Our own body parser rather than @middy/http-json-body-parser, because that
 * one answers malformed JSON with 415 instead of 400, and puts the raw body
 * (PII) into the error's cause where an error logger would print it.
 */
export function jsonBody<TSchema extends z.ZodType>(
  options: JsonBodyOptions<TSchema>,
): MiddlewareObj<APIGatewayProxyEventV2> {
  const maxBytes = options.maxBytes ?? 64 * 1024;
  return {
    before: (request) => {
      const { event } = request;
      const raw = event.body === undefined ? '' : event.body;
      const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
      if (bytes.byteLength > maxBytes) {
        throw new HttpProblem(413, 'payload-too-large', `Request body exceeds ${maxBytes} bytes`);
      }
      if (!JSON_MEDIA_TYPE.test(event.headers['content-type'] ?? '')) {
        throw new HttpProblem(415, 'unsupported-media-type', 'Content-Type must be application/json');
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw new HttpProblem(400, 'malformed-json', 'Request body is not valid JSON');
      }
      const result = options.schema.safeParse(parsed);
      if (!result.success) {
        const issue = result.error.issues[0]!;
        const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
        const path = [...issue.path, ...keys.slice(0, 1)].map(String).join('.');
        const message =
          issue.code === 'unrecognized_keys' ? `Unknown field ${path}` : `${path}: ${issue.message}`;
        throw new HttpProblem(400, 'invalid-field', message, path || undefined);
      }
      (event as { body: unknown }).body = result.data;
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
        request.response = jsonResponse(problem.statusCode, {
          error: {
            code: problem.code,
            message: problem.message,
            ...(problem.field ? { field: problem.field } : {}),
          },
        });
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

/** Wraps a handler for a route without a request body. */
export function httpApi(handler: Handler<APIGatewayProxyEventV2>) {
  return middy<APIGatewayProxyEventV2, HttpResult>(handler)
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .use(httpSecurityHeaders())
    .use(problemResponses())
    .use(httpHeaderNormalizer());
}

/** Wraps a handler for a route with a JSON body validated against `options.schema`. */
export function httpApiWithBody<TSchema extends z.ZodType>(
  options: JsonBodyOptions<TSchema>,
  handler: Handler<ParsedEvent<z.output<TSchema>>>,
) {
  return httpApi(handler as unknown as Handler<APIGatewayProxyEventV2>).use(jsonBody(options));
}
