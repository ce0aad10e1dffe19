/**
 * What every console handler runs in: the shared HTTP stack (logging, metrics,
 * security headers, problems, strict input) with the console's guard in front
 * of the input, so in this order:
 *
 * 1. the guard's authorisation: the caller from the validated JWT claims (401
 *    without a usable identity) and the route's row of the authorisation
 *    matrix (403), before any input is looked at, so a caller who may not use
 *    a route learns nothing about its input rules;
 * 2. the `{id}` path parameter, the query string and the JSON body, each
 *    validated strictly by the shared stack (400 naming the field; a GET with
 *    a body is refused);
 * 3. on the way out, the shared problem mapper answers domain errors by their
 *    kind (domain/errors.ts), as on every other route.
 *
 * A module serving several routes gives one handler per route key to
 * `consoleRoutes`, which picks by `event.routeKey`.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { z } from 'zod';
import { CONSOLE_AUTHORISATION, type ConsoleRouteKey, mayCall } from '../../definitions/console-roles';
import { IMPORTABLE_CALENDARS } from '../../domain/console/calendar-import';
import { RequestIdSchema } from '../../domain/submission';
import { type ConsoleCaller, callerFromClaims } from './console-caller';
import { type HttpResult, httpApi, httpApiWithBody, type JsonBodyOptions } from './http-api';
import { HttpProblem } from './http-problem';

/** Console path parameters: the request id, a store id on store routes, a calendar and year on calendar routes. */
const CONSOLE_PATH = z.strictObject({
  id: RequestIdSchema.optional(),
  storeId: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a store id')
    .max(64)
    .optional(),
  calendarId: z
    .enum(IMPORTABLE_CALENDARS, {
      error: `expected a calendar that takes notices: ${IMPORTABLE_CALENDARS.join(', ')}`,
    })
    .optional(),
  year: z
    .string()
    .regex(/^\d{4}$/, 'expected a year written YYYY')
    .optional(),
});

/** A console handler's event: the validated body and query, the request id, and who is calling. */
export interface ConsoleEvent<TBody = undefined, TQuery = Record<string, never>>
  extends Omit<APIGatewayProxyEventV2, 'body'> {
  readonly body: TBody;
  readonly query: TQuery;
  /** The `{id}` path parameter, on routes that have one ('' otherwise). */
  readonly requestId: string;
  /** The `{storeId}` path parameter, on store routes ('' otherwise). */
  readonly storeId: string;
  readonly caller: ConsoleCaller;
}

type ConsoleHandler<TBody, TQuery> = (
  event: ConsoleEvent<TBody, TQuery>,
  context: Context,
) => Promise<HttpResult>;
type RouteHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>;
type ClaimsContext = { authorizer?: { jwt?: { claims?: Record<string, unknown> } } };

/** Authorisation before any input is read (401 without an identity, 403 off the role matrix). */
function consoleGuard(): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: ({ event }) => {
      const claims = (event.requestContext as ClaimsContext).authorizer?.jwt?.claims;
      // CallerNotIdentified is Unauthenticated: the shared mapper answers it 401.
      const caller = callerFromClaims(claims);
      if (!mayCall(event.routeKey, caller.roles)) {
        const row = (CONSOLE_AUTHORISATION as Record<string, Record<string, boolean>>)[event.routeKey] ?? {};
        const allowed = Object.keys(row).filter((role) => row[role]);
        const who = caller.roles.length ? `Role ${caller.roles.join(', ')}` : 'A user with no console role';
        throw new HttpProblem(
          403,
          'forbidden',
          `${who} may not call ${event.routeKey}${allowed.length ? `; allowed: ${allowed.join(', ')}` : ''}`,
        );
      }
      (event as { caller?: ConsoleCaller }).caller = caller;
    },
  };
}

/** The console's view of an event the shared stack has validated. */
function consoleHandler<TBody, TQuery>(handler: ConsoleHandler<TBody, TQuery>): RouteHandler {
  return (event, context) =>
    handler(
      {
        ...(event as unknown as Omit<ConsoleEvent<TBody, TQuery>, 'requestId' | 'storeId' | 'query'>),
        requestId: event.pathParameters?.id ?? '',
        storeId: event.pathParameters?.storeId ?? '',
        query: (event.queryStringParameters ?? {}) as TQuery,
      },
      context,
    );
}

export interface ConsoleRouteOptions<TQuery extends z.ZodType> {
  /** Query parameters. @default none: any query parameter is an unknown field */
  readonly query?: TQuery;
}

/** A console route without a body. */
export function consoleRoute<TQuery extends z.ZodType = z.ZodObject<Record<string, never>>>(
  options: ConsoleRouteOptions<TQuery>,
  handler: ConsoleHandler<undefined, z.output<TQuery>>,
) {
  return httpApi(consoleHandler(handler), {
    guard: consoleGuard(),
    path: CONSOLE_PATH,
    ...(options.query ? { query: options.query } : {}),
  });
}

/** A console route with a JSON body validated against `options.schema` (and query parameters, if given). */
export function consoleRouteWithBody<
  TSchema extends z.ZodType,
  TQuery extends z.ZodType = z.ZodObject<Record<string, never>>,
>(
  options: Omit<JsonBodyOptions<TSchema>, 'guard' | 'path' | 'query'> & { readonly query?: TQuery },
  handler: ConsoleHandler<z.output<TSchema>, z.output<TQuery>>,
) {
  return httpApiWithBody(
    { ...options, guard: consoleGuard(), path: CONSOLE_PATH },
    consoleHandler(handler) as Parameters<typeof httpApiWithBody<TSchema>>[1],
  );
}

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
