/**
 * The middleware of every console handler, on top of the shared HTTP stack
 * (logging, metrics, security headers, problems): in this order,
 *
 * 1. authorisation: the caller from the validated JWT claims (401 without a
 *    usable identity) and the route's row of the authorisation matrix (403);
 *    before any input is looked at, so a caller who may not use a route
 *    learns nothing about its input rules;
 * 2. parameters: the `{id}` path parameter and the query string, validated
 *    strictly (400 naming the field);
 * 3. the JSON body, validated against the route's schema (400 naming the field);
 * 4. on the way out, console domain errors mapped to problems by name.
 *
 * A module serving several routes gives one handler per route key to
 * `consoleRoutes`, which picks by `event.routeKey`.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { z } from 'zod';
import { type HttpResult, httpApi, type JsonBodyOptions, jsonBody } from '../middleware/http-api';
import { HttpProblem } from '../middleware/http-problem';
import { CONSOLE_AUTHORISATION, type ConsoleRouteKey, mayCall } from './authorisation';
import { CallerNotIdentified, type ConsoleCaller, callerFromClaims } from './caller';
import { consoleProblemFor } from './console-errors';

/** `dsr-` and a UUID: the shape of every request id the pipeline makes. */
export const REQUEST_ID = /^dsr-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A console handler's event: the validated body and query, the request id, and who is calling. */
export interface ConsoleEvent<TBody = undefined, TQuery = Record<string, never>>
  extends Omit<APIGatewayProxyEventV2, 'body'> {
  readonly body: TBody;
  readonly query: TQuery;
  /** The `{id}` path parameter, on routes that have one ('' otherwise). */
  readonly requestId: string;
  readonly caller: ConsoleCaller;
}

type ConsoleHandler<TBody, TQuery> = (
  event: ConsoleEvent<TBody, TQuery>,
  context: Context,
) => Promise<HttpResult>;
type ClaimsContext = { authorizer?: { jwt?: { claims?: Record<string, unknown> } } };

function consoleAuthorisation(): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: ({ event }) => {
      const claims = (event.requestContext as ClaimsContext).authorizer?.jwt?.claims;
      let caller: ConsoleCaller;
      try {
        caller = callerFromClaims(claims);
      } catch (error) {
        if (error instanceof CallerNotIdentified) throw new HttpProblem(401, 'unauthorized', error.message);
        throw error;
      }
      if (!mayCall(event.routeKey, caller.roles)) {
        const row = (CONSOLE_AUTHORISATION as Record<string, Record<string, boolean>>)[event.routeKey] ?? {};
        const allowed = Object.keys(row).filter((role) => row[role]);
        throw new HttpProblem(
          403,
          'forbidden',
          `${caller.roles.length ? `Role ${caller.roles.join(', ')}` : 'A user with no console role'} may not call ${event.routeKey}${allowed.length ? `; allowed: ${allowed.join(', ')}` : ''}`,
        );
      }
      (event as { caller?: ConsoleCaller }).caller = caller;
    },
  };
}

/** Validates `value` against `schema`; a 400 names the offending field (the unknown one for strict objects). */
export function validated<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = [...issue.path, ...keys.slice(0, 1)].map(String).join('.');
  const message = issue.code === 'unrecognized_keys' ? `Unknown field ${path}` : `${path}: ${issue.message}`;
  throw new HttpProblem(400, 'invalid-field', message, path || undefined);
}

const NO_QUERY = z.strictObject({});

function consoleParameters(query: z.ZodType): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: ({ event }) => {
      const id = event.pathParameters?.id;
      if (id !== undefined && !REQUEST_ID.test(id)) {
        throw new HttpProblem(400, 'invalid-field', 'id: not a request id (dsr-<uuid>)', 'id');
      }
      (event as { requestId?: string }).requestId = id ?? '';
      (event as { query?: unknown }).query = validated(query, event.queryStringParameters ?? {});
    },
  };
}

function consoleErrors(): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    onError: (request) => {
      // Runs before the shared problem mapper, which then answers the HttpProblem.
      const problem = consoleProblemFor(request.error);
      if (problem) request.error = problem;
    },
  };
}

export interface ConsoleRouteOptions<TQuery extends z.ZodType> {
  /** Query parameters. @default none: any query parameter is an unknown field */
  readonly query?: TQuery;
}

/** A console route without a body. */
export function consoleRoute<TQuery extends z.ZodType = typeof NO_QUERY>(
  options: ConsoleRouteOptions<TQuery>,
  handler: ConsoleHandler<undefined, z.output<TQuery>>,
) {
  return httpApi(
    handler as unknown as (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>,
  )
    .use(consoleErrors())
    .use(consoleAuthorisation())
    .use(consoleParameters(options.query ?? NO_QUERY));
}

/** A console route with a JSON body validated against `options.schema`. */
export function consoleRouteWithBody<TSchema extends z.ZodType>(
  options: JsonBodyOptions<TSchema>,
  handler: ConsoleHandler<z.output<TSchema>, Record<string, never>>,
) {
  return httpApi(
    handler as unknown as (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>,
  )
    .use(consoleErrors())
    .use(consoleAuthorisation())
    .use(consoleParameters(NO_QUERY))
    .use(jsonBody(options));
}

type RouteHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>;

/** One Lambda handler for several console routes of one concern, dispatched by route key. */
export function consoleRoutes(routes: Partial<Record<ConsoleRouteKey, RouteHandler>>) {
  return async (event: APIGatewayProxyEventV2, context: Context): Promise<HttpResult> => {
    const route = routes[event.routeKey as ConsoleRouteKey];
    if (!route) {
      return {
        statusCode: 404,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ error: { code: 'not-found', message: `No route ${event.routeKey}` } }),
      };
    }
    return route(event, context);
  };
}
