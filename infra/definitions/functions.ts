/**
 * The Lambda functions of the pipeline: one entry per handler module. Local
 * mode serves these over the Lambda Invoke protocol; the CDK stack bundles
 * each entry with esbuild and grants exactly the access declared here.
 * Plain data, no aws-cdk-lib imports.
 */
import { type BucketDefinition, EVIDENCE_BUCKET, INBOUND_MAIL_BUCKET } from './buckets';
import { AUDIT_TABLE, IDEMPOTENCY_TABLE, REQUESTS_TABLE, type TableDefinition } from './tables';

/**
 * `append-only`: PutItem and nothing else (the audit trail); `read-append`: that,
 * plus reads, for a function that shows the trail and adds to it.
 */
export type TableAccess = 'read' | 'write' | 'read-write' | 'append-only' | 'read-append';
export type BucketAccess = 'read' | 'write' | 'read-write';

export interface FunctionDefinition {
  /** Logical id: the CDK construct id and the local function name, e.g. `SubmitRequest`. */
  readonly id: string;
  /** Repository-relative path of the handler module, e.g. `functions/intake/submit-request.ts`. */
  readonly entry: string;
  /** Exported handler name in the module. */
  readonly handler: 'handler';
  readonly description: string;
  readonly tables: readonly { readonly table: TableDefinition; readonly access: TableAccess }[];
  readonly buckets: readonly { readonly bucket: BucketDefinition; readonly access: BucketAccess }[];
  /** @default 10 */
  readonly timeoutSeconds?: number;
  /** @default 256 */
  readonly memoryMb?: number;
  /** Sends mail to requesters or agents (SES on AWS, the outbox locally). @default false */
  readonly sendsEmail?: boolean;
  /** Invoked asynchronously (by SES or a schedule), so failures go to a dead-letter queue. @default false */
  readonly asyncInvoke?: boolean;
}

export const SUBMIT_REQUEST: FunctionDefinition = {
  id: 'SubmitRequest',
  entry: 'functions/intake/submit-request.ts',
  handler: 'handler',
  description: 'Web form and API intake: validates, stores and sends the verification code',
  tables: [
    { table: REQUESTS_TABLE, access: 'read-write' },
    { table: AUDIT_TABLE, access: 'append-only' },
    { table: IDEMPOTENCY_TABLE, access: 'read-write' },
  ],
  buckets: [],
  sendsEmail: true,
};

export const VERIFY_REQUEST: FunctionDefinition = {
  id: 'VerifyRequest',
  entry: 'functions/intake/verify-request.ts',
  handler: 'handler',
  description: 'Checks a one-time code and marks the email identifier verified',
  tables: [
    { table: REQUESTS_TABLE, access: 'read-write' },
    { table: AUDIT_TABLE, access: 'append-only' },
  ],
  buckets: [],
};

export const GET_REQUEST_STATUS: FunctionDefinition = {
  id: 'GetRequestStatus',
  entry: 'functions/intake/get-request.ts',
  handler: 'handler',
  description: "The requester's view of a request: status, due date, timeline",
  tables: [
    { table: REQUESTS_TABLE, access: 'read' },
    { table: AUDIT_TABLE, access: 'read' },
  ],
  buckets: [],
};

export const EMAIL_INTAKE: FunctionDefinition = {
  id: 'EmailIntake',
  entry: 'functions/intake/email-intake.ts',
  handler: 'handler',
  description: 'Turns mail received by SES into requests; attachments become evidence',
  tables: [
    { table: REQUESTS_TABLE, access: 'read-write' },
    { table: AUDIT_TABLE, access: 'append-only' },
  ],
  buckets: [
    // Write too: rejected mail is tagged with its reason.
    { bucket: INBOUND_MAIL_BUCKET, access: 'read-write' },
    { bucket: EVIDENCE_BUCKET, access: 'write' },
  ],
  timeoutSeconds: 30,
  memoryMb: 512,
  sendsEmail: true,
  asyncInvoke: true,
};

export const GET_OPENAPI: FunctionDefinition = {
  id: 'GetOpenApi',
  entry: 'functions/api/get-openapi.ts',
  handler: 'handler',
  description: 'Serves the OpenAPI document of the public and console API',
  tables: [],
  buckets: [],
};

const CONSOLE_WRITER = [
  { table: REQUESTS_TABLE, access: 'read-write' },
  { table: AUDIT_TABLE, access: 'append-only' },
] as const;

/**
 * The console API (functions/console/): one Lambda per concern, each route of
 * a concern dispatched by route key; who may call which route is decided in
 * functions/console/authorisation.ts.
 */
export const CONSOLE_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    id: 'ConsoleListRequests',
    entry: 'functions/console/list-requests.ts',
    handler: 'handler',
    description: 'Console: requests in due-date order, filtered and paged (index queries only)',
    tables: [{ table: REQUESTS_TABLE, access: 'read' }],
    buckets: [],
  },
  {
    id: 'ConsoleGetRequest',
    entry: 'functions/console/get-request.ts',
    handler: 'handler',
    description: 'Console: one request with its timeline, store results and clock; audited reveals',
    // Writes the request only to chain the audit event of a reveal.
    tables: [
      { table: REQUESTS_TABLE, access: 'read-write' },
      { table: AUDIT_TABLE, access: 'read-append' },
    ],
    buckets: [],
  },
  {
    id: 'ConsoleCreateRequest',
    entry: 'functions/console/create-request.ts',
    handler: 'handler',
    description: "Console: a request taken on the subject's behalf (phone, counter, in-app, post)",
    tables: CONSOLE_WRITER,
    buckets: [],
    sendsEmail: true,
  },
  {
    id: 'ConsoleTriage',
    entry: 'functions/console/triage-request.ts',
    handler: 'handler',
    description: 'Console: sets the type of an untyped email request, or closes a duplicate',
    tables: CONSOLE_WRITER,
    buckets: [],
  },
  {
    id: 'ConsoleIdentityReview',
    entry: 'functions/console/review-identity.ts',
    handler: 'handler',
    description: "Console: approves or rejects a requester's identity after a manual check",
    tables: CONSOLE_WRITER,
    buckets: [],
    sendsEmail: true,
  },
  {
    id: 'ConsoleClock',
    entry: 'functions/console/clock-actions.ts',
    handler: 'handler',
    description: 'Console: waits on the requester (pausing the clock), resumes, extends the deadline',
    tables: CONSOLE_WRITER,
    buckets: [],
    sendsEmail: true,
  },
  {
    id: 'ConsoleDecisions',
    entry: 'functions/console/decisions.ts',
    handler: 'handler',
    description: 'Console: approves fulfilment, refuses on a statutory ground',
    tables: CONSOLE_WRITER,
    buckets: [],
    sendsEmail: true,
  },
  {
    id: 'ConsoleCaseWork',
    entry: 'functions/console/case-work.ts',
    handler: 'handler',
    description: 'Console: notes, assignment, repeat requests and their fee rule',
    tables: CONSOLE_WRITER,
    buckets: [],
  },
];

export const PIPELINE_FUNCTIONS: readonly FunctionDefinition[] = [
  SUBMIT_REQUEST,
  VERIFY_REQUEST,
  GET_REQUEST_STATUS,
  EMAIL_INTAKE,
  GET_OPENAPI,
  ...CONSOLE_FUNCTIONS,
];
