/**
 * The OpenAPI 3.1 document, generated from the shared route table and the
 * same zod schemas the handlers validate with, so the document cannot drift
 * from the code. Served at /openapi.json and committed as docs/openapi.json.
 */
import { z } from 'zod';
import { PIPELINE_ROUTES, type RouteDefinition } from '../../definitions/routes';
import {
  RequestIdSchema,
  ResendCodeSchema,
  StatusTokenSchema,
  SubmissionSchema,
  VerificationAttemptSchema,
} from '../../domain/submission';
import { CONSOLE_OPERATIONS } from './console-openapi';

const ProblemSchema = z.object({
  error: z.object({
    code: z.string().describe('Stable machine-readable code, e.g. invalid-field'),
    message: z.string(),
    field: z.string().optional().describe('The offending field, for validation errors'),
    problems: z
      .array(z.string())
      .optional()
      .describe('Every problem found, where one input has several (an imported calendar notice)'),
  }),
});

interface Operation {
  readonly requestBody?: z.ZodType;
  /** The body may be left out entirely (it is then read as `{}`). @default false */
  readonly requestBodyOptional?: boolean;
  readonly responses: Readonly<Record<string, string>>;
  readonly parameters?: readonly object[];
  /** Media type of the success response. @default application/json */
  readonly mediaType?: 'application/json' | 'text/html' | 'application/zip';
}

const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  schema: z.toJSONSchema(RequestIdSchema),
};

/** Answers every route gives to input it cannot take. */
const INPUT_PROBLEMS = {
  '413': 'Body larger than the route accepts (64 KiB at most)',
  '415': 'Content-Type is not application/json',
};

const OPERATIONS: Readonly<Record<string, Operation>> = {
  'POST /v1/requests': {
    requestBody: SubmissionSchema,
    parameters: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'Repeating a key within 24 hours returns the request already created',
        schema: { type: 'string', maxLength: 255 },
      },
    ],
    responses: {
      '202': 'Accepted: request id, status, due date (or the event that starts the clock) and a status token',
      '400': 'Invalid field (named in error.field), unknown field, malformed JSON or Idempotency-Key',
      ...INPUT_PROBLEMS,
      '422': 'Idempotency-Key reused with a different body',
    },
  },
  'GET /v1/requests/{id}': {
    parameters: [
      idParameter,
      {
        name: 'token',
        in: 'query',
        required: false,
        description: 'Status token (or Authorization: Bearer)',
        schema: z.toJSONSchema(StatusTokenSchema),
      },
    ],
    responses: {
      '200': 'Status, clock (due date, days left) and timeline',
      '400': 'Malformed id or token, an unknown query parameter, or a request body (this route takes none)',
      '404': 'Unknown request or wrong token (indistinguishable on purpose)',
      ...INPUT_PROBLEMS,
    },
  },
  'POST /v1/requests/{id}/verify': {
    requestBody: VerificationAttemptSchema,
    parameters: [idParameter],
    responses: {
      '200': 'Verified: status and due date',
      '400': 'Wrong code (tries left in the message), malformed id or invalid body',
      '404': 'Unknown request',
      '409': 'The request is not waiting for a code',
      '410': 'The code has expired',
      '423': 'Locked after too many wrong codes',
      ...INPUT_PROBLEMS,
    },
  },
  'POST /v1/requests/{id}/verification-code': {
    requestBody: ResendCodeSchema,
    requestBodyOptional: true,
    parameters: [idParameter],
    responses: {
      '202':
        'Accepted. The same answer whether or not the request exists or waits for a code; a code is sent only if it does',
      '400': 'Malformed id, malformed JSON or an unknown field',
      '429': 'The request has had all the new codes it may get',
      ...INPUT_PROBLEMS,
    },
  },
  'GET /v1/requests/{id}/not-me': {
    mediaType: 'text/html',
    parameters: [
      idParameter,
      {
        name: 'token',
        in: 'query',
        required: true,
        description: 'The cancel token from the code mail or the wait notice',
        schema: z.toJSONSchema(StatusTokenSchema),
      },
    ],
    responses: {
      '200':
        '"This was not me": what the request asks for and a button that cancels it (opening the page changes nothing), or why it can no longer be cancelled',
      '400': 'Malformed id or token, or an unknown query parameter',
      '404': 'Unknown request or wrong token (indistinguishable on purpose)',
    },
  },
  'POST /v1/requests/{id}/cancel': {
    parameters: [
      idParameter,
      {
        name: 'token',
        in: 'query',
        required: false,
        description: 'The cancel token from the mail (or Authorization: Bearer)',
        schema: z.toJSONSchema(StatusTokenSchema),
      },
    ],
    responses: {
      '200':
        'Cancelled (again, if it already was): request id and status; an HTML page when the caller accepts text/html',
      '400': 'Malformed id or token, an unknown query parameter, or a request body (this route takes none)',
      '404': 'Unknown request or wrong token (indistinguishable on purpose)',
      '409': 'Fulfilment has started (verified and the wait is over): the link can no longer cancel it',
      ...INPUT_PROBLEMS,
    },
  },
  'GET /openapi.json': {
    responses: {
      '200': 'This document',
      '400': 'A query parameter or a request body (this route takes neither)',
      ...INPUT_PROBLEMS,
    },
  },
  'GET /v1/downloads/{token}': {
    parameters: [
      {
        name: 'token',
        in: 'path',
        required: true,
        description: 'The bearer token from the download link',
        schema: { type: 'string' },
      },
    ],
    responses: {
      '302': 'Redirect (Location) to a presigned URL of the package, valid for a few minutes',
      '403': 'Unknown or expired link (indistinguishable on purpose)',
      '410': 'The link was revoked, or the package has been deleted',
    },
  },
  'GET /': {
    mediaType: 'text/html',
    responses: { '200': 'The request form: bilingual, sends POST /v1/requests and then the code' },
  },
  'GET /status': {
    mediaType: 'text/html',
    parameters: [
      {
        name: 'id',
        in: 'query',
        required: true,
        description: 'Request id (read by the page, which calls GET /v1/requests/{id})',
        schema: { type: 'string' },
      },
      {
        name: 'token',
        in: 'query',
        required: true,
        description: 'Status token, sent by the page as Authorization: Bearer',
        schema: { type: 'string' },
      },
    ],
    responses: { '200': 'The status page: status badge, due-date countdown and timeline' },
  },
  'GET /console': {
    mediaType: 'text/html',
    responses: {
      '200':
        'The console page: sign in with a console token, then the work queue and request detail through /v1/console/…',
    },
  },
  ...CONSOLE_OPERATIONS,
};

const SUCCESS_SCHEMAS: Readonly<Record<NonNullable<Operation['mediaType']>, object>> = {
  'application/json': {},
  'text/html': { type: 'string' },
  'application/zip': { type: 'string', contentMediaType: 'application/zip' },
};

function operationFor(route: RouteDefinition) {
  const key = `${route.method} ${route.path}`;
  const operation = OPERATIONS[key];
  if (!operation) throw new Error(`No OpenAPI description for route ${key}`);
  const successType = operation.mediaType ?? 'application/json';
  const responses = Object.fromEntries(
    Object.entries(operation.responses).map(([status, description]) => [
      status,
      // A redirect has a Location header and no body worth describing.
      status.startsWith('3')
        ? { description, headers: { Location: { schema: { type: 'string', format: 'uri' } } } }
        : {
            description,
            content: status.startsWith('2')
              ? { [successType]: { schema: SUCCESS_SCHEMAS[successType] } }
              : { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } },
          },
    ]),
  );
  return {
    operationId: route.functionId,
    summary: route.summary,
    ...(route.auth === 'console' ? { security: [{ consoleJwt: [] }] } : { security: [] }),
    ...(operation.parameters ? { parameters: operation.parameters } : {}),
    ...(operation.requestBody
      ? {
          requestBody: {
            required: operation.requestBodyOptional !== true,
            content: {
              'application/json': { schema: z.toJSONSchema(operation.requestBody, { io: 'input' }) },
            },
          },
        }
      : {}),
    responses,
  };
}

export function buildOpenApiDocument(routes: readonly RouteDefinition[] = PIPELINE_ROUTES) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operationFor(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'DSAR pipeline API',
      version: '1',
      description: 'Intake, verification and status of data subject requests; console actions for agents.',
    },
    paths,
    components: {
      schemas: { Problem: z.toJSONSchema(ProblemSchema) },
      securitySchemes: {
        consoleJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Console user pool token',
        },
      },
    },
  };
}
