/**
 * The Lambda functions of the pipeline: one entry per handler module. Local
 * mode serves these over the Lambda Invoke protocol; the CDK stack bundles
 * each entry with esbuild and grants exactly the access declared here.
 * Plain data, no aws-cdk-lib imports.
 */
import {
  AUDIT_ANCHORS_BUCKET,
  type BucketDefinition,
  EVIDENCE_BUCKET,
  EXPORTS_BUCKET,
  INBOUND_MAIL_BUCKET,
  STAGING_BUCKET,
} from './buckets';
import {
  ABUSE_COUNTERS_TABLE,
  AUDIT_TABLE,
  CALENDAR_NOTICES_TABLE,
  IDEMPOTENCY_TABLE,
  REQUESTS_TABLE,
  type TableDefinition,
  TOKENS_TABLE,
} from './tables';

/**
 * `append-only`: PutItem and nothing else (the audit trail); `read-append`: that,
 * plus reads, for a function that shows the trail and adds to it.
 */
export type TableAccess = 'read' | 'write' | 'read-write' | 'append-only' | 'read-append';
/**
 * `read-put`: reads, and new objects (PutObject), but no DeleteObject: a delete marker would hide an
 * object from listings, which for the audit anchors would hide the latest one.
 */
export type BucketAccess = 'read' | 'write' | 'read-write' | 'read-put';

export interface FunctionDefinition {
  /** Logical id: the CDK construct id and the local function name, e.g. `SubmitRequest`. */
  readonly id: string;
  /** Repository-relative path of the handler module, e.g. `app/intake/submit-request.ts`. */
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
  /**
   * Sends SMS: one-time codes, and the download link of a phone-only requester (Amazon SNS or the
   * configured HTTP gateway on AWS, the SMS outbox locally): the stack grants `sns:Publish` to these
   * functions only. @default false
   */
  readonly sendsSms?: boolean;
  /**
   * Reads the pipeline's HMAC key (verification codes, status, cancel and download tokens, identifier
   * hashes): only these functions get the secret's ARN and `GetSecretValue` on it. A unit test bundles
   * every handler and checks the flag against what the bundle actually reads. @default false
   */
  readonly readsHmacKey?: boolean;
  /** Invoked asynchronously (by SES or a schedule), so failures go to a dead-letter queue. @default false */
  readonly asyncInvoke?: boolean;
  /** Starts executions of the fulfilment state machine. @default false */
  readonly startsFulfilment?: boolean;
  /** Reads the state of the fulfilment state machine's executions (DescribeExecution). @default false */
  readonly watchesFulfilment?: boolean;
  /**
   * Reads (export) or changes (erasure) the organisation's registered data
   * stores through connectors: the CDK stack grants access to exactly the
   * stores in the registry, nothing else. @default undefined (none)
   */
  readonly registeredStores?: 'read' | 'read-write';
  /**
   * Checks the MACs of audit events (the console's trail verdict): the stack grants kms:VerifyMac on
   * the trail key. Every function that appends to the audit table gets kms:GenerateMac on it, and
   * nothing else does. @default false
   */
  readonly verifiesAuditTrail?: boolean;
}

/** The variable through which a function gets the trail key's ARN (adapters/aws/kms-trail-mac.ts reads it). */
export const AUDIT_TRAIL_KEY_VARIABLE = 'AUDIT_TRAIL_KEY_ID';

/** Whether a function writes audit events, and so signs them with the trail key (kms:GenerateMac). */
export function writesAuditTrail(definition: FunctionDefinition): boolean {
  return definition.tables.some(
    ({ table, access }) => table === AUDIT_TABLE && (access === 'append-only' || access === 'read-append'),
  );
}

/**
 * Every function that computes a deadline reads the imported notices (adapters/aws/calendar-notices.ts
 * loadCalendars); only ConsoleCalendars writes them.
 */
const CALENDAR_READER = { table: CALENDAR_NOTICES_TABLE, access: 'read' } as const;

/** Every function that mails a code or judges one counts against the subject's limits (domain/intake-limits.ts). */
const ABUSE_COUNTER = { table: ABUSE_COUNTERS_TABLE, access: 'read-write' } as const;

export const SUBMIT_REQUEST: FunctionDefinition = {
  id: 'SubmitRequest',
  readsHmacKey: true,
  entry: 'lambdas/SubmitRequest.ts',
  handler: 'handler',
  description: 'Web form and API intake: validates, stores and sends the verification code',
  tables: [
    CALENDAR_READER,
    { table: REQUESTS_TABLE, access: 'read-write' },
    { table: AUDIT_TABLE, access: 'append-only' },
    { table: IDEMPOTENCY_TABLE, access: 'read-write' },
    ABUSE_COUNTER,
  ],
  buckets: [],
  sendsEmail: true,
  sendsSms: true,
};

export const VERIFY_REQUEST: FunctionDefinition = {
  id: 'VerifyRequest',
  readsHmacKey: true,
  entry: 'lambdas/VerifyRequest.ts',
  handler: 'handler',
  description: 'Checks a one-time code, marks the identifier it went to verified and starts fulfilment',
  tables: [
    CALENDAR_READER,
    { table: REQUESTS_TABLE, access: 'read-write' },
    { table: AUDIT_TABLE, access: 'append-only' },
    ABUSE_COUNTER,
  ],
  buckets: [],
  startsFulfilment: true,
  // The wait notice of a destructive type, with a fresh cancel link (app/intake/verify-request.ts).
  sendsEmail: true,
};

export const CANCEL_REQUEST: FunctionDefinition = {
  id: 'CancelRequest',
  readsHmacKey: true,
  entry: 'lambdas/CancelRequest.ts',
  handler: 'handler',
  description:
    '"This was not me": the confirm page of a cancel link, and the cancel before fulfilment starts',
  tables: [
    // Bundles request-intake (for the token hash), which loads the calendars (see ResendVerificationCode).
    CALENDAR_READER,
    { table: REQUESTS_TABLE, access: 'read-write' },
    { table: AUDIT_TABLE, access: 'append-only' },
  ],
  buckets: [],
};

export const RESEND_VERIFICATION_CODE: FunctionDefinition = {
  id: 'ResendVerificationCode',
  readsHmacKey: true,
  entry: 'lambdas/ResendVerificationCode.ts',
  handler: 'handler',
  description: 'Replaces the one-time code of a request waiting for verification and sends the new one',
  tables: [
    // Bundles request-intake, which loads the calendars: without the table a future call would silently
    // count on the packaged calendars alone (test/infra/calendar-notices.test.ts).
    CALENDAR_READER,
    { table: REQUESTS_TABLE, access: 'read-write' },
    { table: AUDIT_TABLE, access: 'append-only' },
    // The per-client rate limit of the public routes.
    ABUSE_COUNTER,
  ],
  buckets: [],
  sendsEmail: true,
  sendsSms: true,
};

export const GET_REQUEST_STATUS: FunctionDefinition = {
  id: 'GetRequestStatus',
  readsHmacKey: true,
  entry: 'lambdas/GetRequestStatus.ts',
  handler: 'handler',
  description: "The requester's view of a request: status, due date, timeline",
  tables: [
    CALENDAR_READER,
    { table: REQUESTS_TABLE, access: 'read' },
    { table: AUDIT_TABLE, access: 'read' },
  ],
  buckets: [],
};

export const EMAIL_INTAKE: FunctionDefinition = {
  id: 'EmailIntake',
  readsHmacKey: true,
  entry: 'lambdas/EmailIntake.ts',
  handler: 'handler',
  description: 'Turns mail received by SES into requests; attachments become evidence',
  tables: [
    CALENDAR_READER,
    { table: REQUESTS_TABLE, access: 'read-write' },
    { table: AUDIT_TABLE, access: 'append-only' },
    ABUSE_COUNTER,
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
  entry: 'lambdas/GetOpenApi.ts',
  handler: 'handler',
  description: 'Serves the OpenAPI document of the public and console API',
  tables: [],
  buckets: [],
};

export const GET_DOWNLOAD: FunctionDefinition = {
  id: 'GetDownload',
  readsHmacKey: true,
  entry: 'lambdas/GetDownload.ts',
  handler: 'handler',
  description: 'Expiring download link: audits the use and redirects to a short-lived presigned package URL',
  tables: [
    // Write: a use is counted on the link's item.
    { table: TOKENS_TABLE, access: 'read-write' },
    // Write: the use is audited on the request (its chain head and version move).
    { table: REQUESTS_TABLE, access: 'read-write' },
    { table: AUDIT_TABLE, access: 'append-only' },
  ],
  // Read: HeadObject, and the presigned GET is signed with this function's role.
  buckets: [{ bucket: EXPORTS_BUCKET, access: 'read' }],
};

const REQUEST_READ_WRITE = [
  { table: REQUESTS_TABLE, access: 'read-write' },
  { table: AUDIT_TABLE, access: 'append-only' },
] as const;

/** One Lambda per state of statemachines/fulfilment.asl.json (`${<id>FunctionArn}` there). */
export const FULFILMENT_TASKS: readonly FunctionDefinition[] = [
  {
    id: 'LoadRequest',
    entry: 'lambdas/LoadRequest.ts',
    handler: 'handler',
    description: 'Fulfilment: moves a verified request to in-progress and plans the stores',
    tables: REQUEST_READ_WRITE,
    buckets: [],
  },
  {
    id: 'ResolveIdentity',
    entry: 'lambdas/ResolveIdentity.ts',
    handler: 'handler',
    description: 'Fulfilment: resolves derived identifiers (e.g. account id) from verified ones',
    tables: REQUEST_READ_WRITE,
    buckets: [],
    registeredStores: 'read',
  },
  {
    id: 'ProcessStore',
    readsHmacKey: true,
    entry: 'lambdas/ProcessStore.ts',
    handler: 'handler',
    description: 'Fulfilment: exports from or erases in one registered store',
    tables: REQUEST_READ_WRITE,
    buckets: [{ bucket: STAGING_BUCKET, access: 'write' }],
    registeredStores: 'read-write',
    timeoutSeconds: 300,
    memoryMb: 512,
  },
  {
    id: 'RecordStoreFailure',
    entry: 'lambdas/RecordStoreFailure.ts',
    handler: 'handler',
    description: 'Fulfilment: records why a store failed',
    tables: REQUEST_READ_WRITE,
    buckets: [],
  },
  {
    id: 'RecordWorkflowFailure',
    entry: 'lambdas/RecordWorkflowFailure.ts',
    handler: 'handler',
    description: 'Fulfilment: records why the workflow stopped; the request needs attention',
    tables: REQUEST_READ_WRITE,
    buckets: [],
  },
  {
    id: 'AssemblePackage',
    entry: 'lambdas/AssemblePackage.ts',
    handler: 'handler',
    description: 'Fulfilment: streams the staged exports into one zip with a manifest',
    tables: REQUEST_READ_WRITE,
    buckets: [
      { bucket: STAGING_BUCKET, access: 'read' },
      { bucket: EXPORTS_BUCKET, access: 'write' },
    ],
    timeoutSeconds: 600,
    memoryMb: 512,
  },
  {
    id: 'DeliverPackage',
    readsHmacKey: true,
    entry: 'lambdas/DeliverPackage.ts',
    handler: 'handler',
    description: 'Fulfilment: issues the expiring download link and emails it (or sends it by SMS)',
    tables: [...REQUEST_READ_WRITE, { table: TOKENS_TABLE, access: 'read-write' }],
    buckets: [],
    sendsEmail: true,
    // A requester verified by phone alone gets the link by SMS.
    sendsSms: true,
  },
  {
    id: 'PushPortability',
    readsHmacKey: true,
    entry: 'lambdas/PushPortability.ts',
    handler: 'handler',
    description: 'Fulfilment: pushes an approved portability package to the recipient the requester named',
    // Tokens: when the push fails for good, the requester gets the package's download link instead.
    tables: [...REQUEST_READ_WRITE, { table: TOKENS_TABLE, access: 'read-write' }],
    buckets: [{ bucket: EXPORTS_BUCKET, access: 'read' }],
    sendsEmail: true,
    timeoutSeconds: 300,
    memoryMb: 512,
  },
  {
    id: 'CloseRequest',
    entry: 'lambdas/CloseRequest.ts',
    handler: 'handler',
    description: 'Fulfilment: closes the request as fulfilled or partially fulfilled',
    tables: [
      { table: REQUESTS_TABLE, access: 'read-write' },
      // An erasure revokes the subject's earlier live download links (marked in Tokens, audited on
      // their requests' trails, which it reads to find the links) and deletes their packages.
      { table: AUDIT_TABLE, access: 'read-append' },
      { table: TOKENS_TABLE, access: 'read-write' },
    ],
    buckets: [{ bucket: EXPORTS_BUCKET, access: 'write' }],
  },
  {
    id: 'NotifyRequester',
    entry: 'lambdas/NotifyRequester.ts',
    handler: 'handler',
    description: 'Fulfilment: sends the erasure summary to the requester',
    tables: REQUEST_READ_WRITE,
    buckets: [],
    sendsEmail: true,
  },
];

/**
 * The longest a fulfilment step may run (its Lambda's timeout): a request with no running execution
 * for longer than this is stuck (the sweeper's reconciler, app/timers/reconcile-workflows.ts).
 */
export const SLOWEST_FULFILMENT_STEP_SECONDS = Math.max(
  ...FULFILMENT_TASKS.map((task) => task.timeoutSeconds ?? 10),
);

export const SWEEP_REQUESTS: FunctionDefinition = {
  id: 'SweepRequests',
  entry: 'lambdas/SweepRequests.ts',
  handler: 'handler',
  description:
    'Every minute: walks open requests by due date, expires the unverified, sends reminders and marks breaches; daily, anchors the audit trails',
  tables: [
    // The imported holiday notices: provisional deadlines are recomputed once their year's is imported.
    CALENDAR_READER,
    { table: REQUESTS_TABLE, access: 'read-write' },
    // Reads the trail for notices sent at intake or on postponement (the acknowledgement, the explanation).
    { table: AUDIT_TABLE, access: 'read-append' },
  ],
  // Hourly, expired packages and their staging files are deleted. Daily, the audit trails are
  // anchored: the latest anchor is listed and read (is one due?) and a new one put, never deleted.
  buckets: [
    { bucket: STAGING_BUCKET, access: 'read-write' },
    { bucket: EXPORTS_BUCKET, access: 'read-write' },
    { bucket: AUDIT_ANCHORS_BUCKET, access: 'read-put' },
  ],
  timeoutSeconds: 300,
  asyncInvoke: true,
  // The reconciler asks Step Functions how each open request's execution stands.
  watchesFulfilment: true,
  // Starts fulfilment when a destructive type's wait after verification is over (app/timers/end-fulfilment-wait.ts).
  startsFulfilment: true,
  // Reminders and breach alerts to staff (CONSOLE_TEAM_ADDRESS, CONSOLE_SUPERVISORS_ADDRESS), acknowledgements to requesters.
  sendsEmail: true,
};

export const SERVE_WEB_PAGES: FunctionDefinition = {
  id: 'ServeWebPages',
  entry: 'lambdas/ServeWebPages.ts',
  handler: 'handler',
  description:
    "The requester's pages (request form, status page) and the console page (HTML, no data of their own)",
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
 * definitions/console-roles.ts.
 */
export const CONSOLE_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    id: 'ConsoleListRequests',
    entry: 'lambdas/ConsoleListRequests.ts',
    handler: 'handler',
    description: 'Console: requests in due-date order, filtered and paged (index queries only)',
    tables: [{ table: REQUESTS_TABLE, access: 'read' }, CALENDAR_READER],
    buckets: [],
  },
  {
    id: 'ConsoleGetRequest',
    entry: 'lambdas/ConsoleGetRequest.ts',
    handler: 'handler',
    description: 'Console: one request with its timeline, store results and clock; audited reveals',
    // Writes the request only to chain the audit event of a reveal.
    tables: [
      CALENDAR_READER,
      { table: REQUESTS_TABLE, access: 'read-write' },
      { table: AUDIT_TABLE, access: 'read-append' },
    ],
    buckets: [],
    // The detail shows whether the trail verifies, MACs included.
    verifiesAuditTrail: true,
  },
  {
    id: 'ConsoleCreateRequest',
    readsHmacKey: true,
    entry: 'lambdas/ConsoleCreateRequest.ts',
    handler: 'handler',
    description: "Console: a request taken on the subject's behalf (phone, counter, in-app, post)",
    tables: [...CONSOLE_WRITER, CALENDAR_READER, ABUSE_COUNTER],
    buckets: [],
    sendsEmail: true,
    // A request taken without an identity check gets a code, by SMS for a phone number alone.
    sendsSms: true,
    // A request the agent verifies goes to fulfilment, as one verified by code does.
    startsFulfilment: true,
  },
  {
    id: 'ConsoleTriage',
    entry: 'lambdas/ConsoleTriage.ts',
    handler: 'handler',
    description: 'Console: sets the type of an untyped email request, or closes a duplicate',
    tables: [...CONSOLE_WRITER, CALENDAR_READER],
    buckets: [],
  },
  {
    id: 'ConsoleIdentityReview',
    readsHmacKey: true,
    entry: 'lambdas/ConsoleIdentityReview.ts',
    handler: 'handler',
    description: "Console: approves or rejects a requester's identity after a manual check",
    tables: [...CONSOLE_WRITER, CALENDAR_READER],
    buckets: [],
    sendsEmail: true,
    // A request the agent verifies goes to fulfilment, as one verified by code does.
    startsFulfilment: true,
  },
  {
    id: 'ConsoleClock',
    entry: 'lambdas/ConsoleClock.ts',
    handler: 'handler',
    description: 'Console: waits on the requester (pausing the clock), resumes, extends the deadline',
    tables: [...CONSOLE_WRITER, CALENDAR_READER],
    buckets: [],
    sendsEmail: true,
  },
  {
    id: 'ConsoleDecisions',
    entry: 'lambdas/ConsoleDecisions.ts',
    handler: 'handler',
    description: 'Console: approves fulfilment, refuses on a statutory ground',
    tables: [...CONSOLE_WRITER, CALENDAR_READER],
    buckets: [],
    sendsEmail: true,
    // An approval releases a verified request to fulfilment.
    startsFulfilment: true,
  },
  {
    id: 'ConsoleCaseWork',
    entry: 'lambdas/ConsoleCaseWork.ts',
    handler: 'handler',
    description: 'Console: notes, assignment, repeat requests and their fee rule',
    tables: [...CONSOLE_WRITER, CALENDAR_READER],
    buckets: [],
  },
  {
    id: 'ConsoleEvidencePack',
    entry: 'lambdas/ConsoleEvidencePack.ts',
    handler: 'handler',
    description:
      'Console: the evidence pack of one request (zip: summary, clock explained, trail, notices); audited',
    // Writes the request only to chain the audit event of the download.
    tables: [
      CALENDAR_READER,
      { table: REQUESTS_TABLE, access: 'read-write' },
      { table: AUDIT_TABLE, access: 'read-append' },
    ],
    buckets: [],
    // A long trail and a day-by-day clock: more than the default 10 s on a cold start.
    timeoutSeconds: 20,
    // The pack states whether the trail verifies, MACs included.
    verifiesAuditTrail: true,
  },
  {
    id: 'ConsoleReports',
    entry: 'lambdas/ConsoleReports.ts',
    handler: 'handler',
    description:
      'Console: counts, on-time closes and median days to close per policy and channel (JSON, CSV)',
    // Reads the byStatus index only; a report changes nothing.
    tables: [{ table: REQUESTS_TABLE, access: 'read' }],
    buckets: [],
    // Reads every page of every status; more than the default 10 s on a large table.
    timeoutSeconds: 30,
  },
  {
    id: 'ConsoleCorrections',
    readsHmacKey: true,
    entry: 'lambdas/ConsoleCorrections.ts',
    handler: 'handler',
    description: 'Console: applies a correction through the connectors; before/after masked on the trail',
    tables: [...CONSOLE_WRITER, CALENDAR_READER],
    buckets: [],
    sendsEmail: true,
    // Reads to resolve the subject's keys, writes the corrected fields: the stores the registry lists, no others.
    registeredStores: 'read-write',
    // Under the HTTP API's 29 s: a processor still working at the connector's deadline is reported pending.
    timeoutSeconds: 28,
  },
  {
    id: 'ConsoleStoreWork',
    entry: 'lambdas/ConsoleStoreWork.ts',
    handler: 'handler',
    description: "Console: confirms a manual store's task; runs failed stores again (a new execution)",
    // The stores themselves are never touched here: the workflow does that.
    tables: [...CONSOLE_WRITER, CALENDAR_READER],
    buckets: [],
    startsFulfilment: true,
  },
  {
    id: 'ConsoleDownloadLinks',
    entry: 'lambdas/ConsoleDownloadLinks.ts',
    handler: 'handler',
    description: "Console: revokes a request's live download links",
    tables: [
      // Write: the link's item is marked revoked.
      { table: TOKENS_TABLE, access: 'read-write' },
      // Write: the revocation is chained on the request; read: the trail lists the links issued.
      { table: REQUESTS_TABLE, access: 'read-write' },
      { table: AUDIT_TABLE, access: 'read-append' },
    ],
    buckets: [],
  },
];

export const CONSOLE_CALENDARS: FunctionDefinition = {
  id: 'ConsoleCalendars',
  entry: 'lambdas/ConsoleCalendars.ts',
  handler: 'handler',
  description: "Console: the official calendars' years and sources; imports a year's State Council notice",
  tables: [
    // The only writer of the imported notices: the notice and the calendar trail's head, in one transaction.
    { table: CALENDAR_NOTICES_TABLE, access: 'read-write' },
    // The import's event on the calendar's own trail (calendar:<calendarId>).
    { table: AUDIT_TABLE, access: 'append-only' },
  ],
  buckets: [],
};

export const PIPELINE_FUNCTIONS: readonly FunctionDefinition[] = [
  ...FULFILMENT_TASKS,
  SUBMIT_REQUEST,
  VERIFY_REQUEST,
  RESEND_VERIFICATION_CODE,
  CANCEL_REQUEST,
  GET_REQUEST_STATUS,
  EMAIL_INTAKE,
  GET_OPENAPI,
  GET_DOWNLOAD,
  SWEEP_REQUESTS,
  SERVE_WEB_PAGES,
  ...CONSOLE_FUNCTIONS,
  CONSOLE_CALENDARS,
];
