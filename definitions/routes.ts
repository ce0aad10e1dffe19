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

const consoleRoute = (
  method: HttpMethod,
  path: string,
  functionId: string,
  summary: string,
): RouteDefinition => ({ method, path: `/v1/console/requests${path}`, functionId, auth: 'console', summary });

/**
 * The customer-service console (lambdas/Console*.ts over app/console/). Every route needs a
 * console JWT; which roles may call each is in definitions/console-roles.ts.
 */
export const CONSOLE_ROUTES: readonly RouteDefinition[] = [
  consoleRoute('GET', '', 'ConsoleListRequests', 'List requests in due-date order, filtered and paged'),
  consoleRoute('POST', '', 'ConsoleCreateRequest', "Take a request on the subject's behalf"),
  consoleRoute('GET', '/{id}', 'ConsoleGetRequest', 'A request with its timeline, store results and clock'),
  consoleRoute(
    'POST',
    '/{id}/triage',
    'ConsoleTriage',
    'Set the type of an untyped request, or close a duplicate',
  ),
  consoleRoute(
    'POST',
    '/{id}/identity',
    'ConsoleIdentityReview',
    "Approve or reject the requester's identity",
  ),
  consoleRoute(
    'POST',
    '/{id}/awaiting-requester',
    'ConsoleClock',
    'Ask the requester for more; pause the clock',
  ),
  consoleRoute('POST', '/{id}/resume', 'ConsoleClock', 'The requester answered: restart the clock'),
  consoleRoute('POST', '/{id}/extend', 'ConsoleClock', 'Extend the reply period within the policy cap'),
  consoleRoute('POST', '/{id}/approve', 'ConsoleDecisions', 'Approve fulfilment where the policy needs it'),
  consoleRoute('POST', '/{id}/refuse', 'ConsoleDecisions', 'Refuse on one of the policy refusal grounds'),
  consoleRoute('POST', '/{id}/notes', 'ConsoleCaseWork', 'Add a note'),
  consoleRoute('POST', '/{id}/assign', 'ConsoleCaseWork', 'Assign to a console user'),
  consoleRoute('POST', '/{id}/repeat', 'ConsoleCaseWork', 'Flag a repeat request and apply the fee rule'),
  {
    method: 'GET',
    path: '/v1/console/reports',
    functionId: 'ConsoleReports',
    auth: 'console',
    summary: 'Open, due soon, overdue, breached, closed on time or late, median days to close; JSON or CSV',
  },
  consoleRoute(
    'POST',
    '/{id}/corrections',
    'ConsoleCorrections',
    'Apply a correction through the connectors (allow-listed fields only)',
  ),
  consoleRoute(
    'POST',
    '/{id}/stores/{storeId}/done',
    'ConsoleStoreWork',
    "Confirm a manual store's task with what the agent did",
  ),
  consoleRoute('POST', '/{id}/redrive', 'ConsoleStoreWork', 'Run the failed stores again'),
  consoleRoute(
    'GET',
    '/{id}/evidence',
    'ConsoleEvidencePack',
    'The evidence pack (zip): summary, clock explained, trail and its verdict, notices; audited',
  ),
  consoleRoute(
    'POST',
    '/{id}/download-links/revoke',
    'ConsoleDownloadLinks',
    "Revoke the request's live download links",
  ),
  {
    method: 'GET',
    path: '/v1/console/calendars',
    functionId: 'ConsoleCalendars',
    auth: 'console',
    summary:
      "The official calendars: each year's source, packaged or imported, and whether next year's is missing",
  },
  {
    method: 'PUT',
    path: '/v1/console/calendars/{calendarId}/notices/{year}',
    functionId: 'ConsoleCalendars',
    auth: 'console',
    summary: "Import a year's official holiday notice (State Council), checked, stored and audited",
  },
];

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
    // A page, not an action: mail scanners follow links. Its button posts to /cancel.
    method: 'GET',
    path: '/v1/requests/{id}/not-me',
    functionId: 'CancelRequest',
    auth: 'public',
    summary: '"This was not me": the confirm page of the cancel link mailed with the code (HTML)',
  },
  {
    method: 'POST',
    path: '/v1/requests/{id}/cancel',
    functionId: 'CancelRequest',
    auth: 'public',
    summary: 'Cancel a request before its fulfilment starts, with the cancel token from the mail',
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
    // Public because the page holds no data: it calls the console API with the user's bearer token.
    method: 'GET',
    path: '/console',
    functionId: 'ServeWebPages',
    auth: 'public',
    summary: 'The console (HTML): the work queue by due date and one request at a time, over the console API',
  },
  {
    method: 'GET',
    path: '/openapi.json',
    functionId: 'GetOpenApi',
    auth: 'public',
    summary: 'This API as an OpenAPI 3.1 document',
  },
  ...CONSOLE_ROUTES,
];
