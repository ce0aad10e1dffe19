/**
 * The HTTP API route table, imported by both the local API Gateway emulator
 * and the CDK HTTP API so that the two can never disagree.
 * Plain data, no aws-cdk-lib imports.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway path syntax, e.g. `/v1/requests/{id}`. */
  readonly path: string;
  /** The `FunctionDefinition.id` that handles the route. */
  readonly functionId: string;
  /** `public` routes have no authoriser; `console` routes require a JWT from the console user pool. */
  readonly auth: 'public' | 'console';
  readonly summary: string;
}

/** Every route of the HTTP API; each `functionId` must name an entry of `PIPELINE_FUNCTIONS`. */
export const PIPELINE_ROUTES: readonly RouteDefinition[] = [
  {
    method: 'POST',
    path: '/v1/requests',
    functionId: 'SubmitRequest',
    auth: 'public',
    summary: 'Submit a data subject request',
  },
  {
    method: 'GET',
    path: '/v1/requests/{id}',
    functionId: 'GetRequestStatus',
    auth: 'public',
    summary: "A request's status, due date and timeline (status token required)",
  },
  {
    method: 'POST',
    path: '/v1/requests/{id}/verify',
    functionId: 'VerifyRequest',
    auth: 'public',
    summary: 'Verify the requester with the one-time code sent by email',
  },
  {
    method: 'POST',
    path: '/v1/requests/{id}/verification-code',
    functionId: 'ResendVerificationCode',
    auth: 'public',
    summary: 'Send a new one-time code (the previous one stops working)',
  },
  {
    method: 'GET',
    path: '/v1/downloads/{token}',
    functionId: 'GetDownload',
    auth: 'public',
    summary: 'Download an export package through its expiring link (redirects to the file)',
  },
  {
    method: 'GET',
    path: '/',
    functionId: 'ServeWebPages',
    auth: 'public',
    summary: 'The request form (HTML)',
  },
  {
    method: 'GET',
    path: '/status',
    functionId: 'ServeWebPages',
    auth: 'public',
    summary: "The requester's status page (HTML): status, due-date countdown and timeline",
  },
  {
    method: 'GET',
    path: '/openapi.json',
    functionId: 'GetOpenApi',
    auth: 'public',
    summary: 'This API as an OpenAPI 3.1 document',
  },
];
