/**
 * The OpenAPI 3.1 document, generated from the shared route table and the
 * same zod schemas the handlers validate with, so the document cannot drift
 * from the code. Served at /openapi.json and committed as docs/openapi.json.
 */
import { z } from 'zod';
import { SubmissionSchema, VerificationAttemptSchema } from '../../domain/submission';
import { PIPELINE_ROUTES, type RouteDefinition } from '../../infra/definitions/routes';
import { CONSOLE_OPERATIONS } from '../console/console-openapi';

const ProblemSchema = z.object({
  error: z.object({
    code: z.string().describe('Stable machine-readable code, e.g. invalid-field'),
    message: z.string(),
    field: z.string().optional().describe('The offending field, for validation errors'),
  }),
});

interface Operation {
  readonly requestBody?: z.ZodType;
  readonly responses: Readonly<Record<string, string>>;
  readonly parameters?: readonly object[];
}

const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

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
      '400': 'Invalid field (named in error.field), unknown field, or malformed JSON',
      '413': 'Body larger than 64 KiB',
      '415': 'Content-Type is not application/json',
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
        schema: { type: 'string' },
      },
    ],
    responses: {
      '200': 'Status, clock (due date, days left) and timeline',
      '404': 'Unknown request or wrong token (indistinguishable on purpose)',
    },
  },
  'POST /v1/requests/{id}/verify': {
    requestBody: VerificationAttemptSchema,
    parameters: [idParameter],
    responses: {
      '200': 'Verified: status and due date',
      '400': 'Wrong code (tries left in the message) or invalid body',
      '404': 'Unknown request',
      '409': 'The request is not waiting for a code',
      '410': 'The code has expired',
      '423': 'Locked after too many wrong codes',
    },
  },
  'GET /openapi.json': { responses: { '200': 'This document' } },
  ...CONSOLE_OPERATIONS,
};

function operationFor(route: RouteDefinition) {
  const key = `${route.method} ${route.path}`;
  const operation = OPERATIONS[key];
  if (!operation) throw new Error(`No OpenAPI description for route ${key}`);
  const responses = Object.fromEntries(
    Object.entries(operation.responses).map(([status, description]) => [
      status,
      {
        description,
        content: {
          'application/json': {
            schema: status.startsWith('2') ? {} : { $ref: '#/components/schemas/Problem' },
          },
        },
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
            required: true,
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
