/**
 * Local Lambda service: the real Lambda **Invoke** REST protocol over the
 * pipeline's own handler modules, so `LambdaClient` (in handlers, in the
 * API Gateway emulator and in Step Functions Tasks) reaches them through
 * `AWS_ENDPOINT_URL_LAMBDA` — the same code path as on AWS.
 *
 * Reproduced from AWS:
 * - `POST /2015-03-31/functions/{FunctionName}/invocations` with FunctionName
 *   as name, full ARN (any partition/region/account) or partial ARN, and a
 *   qualifier in the name or `?Qualifier=` (only `$LATEST` exists locally).
 * - `X-Amz-Invocation-Type`: RequestResponse (200 + payload), Event (202, run
 *   in the background; failures are logged), DryRun (204).
 * - Function errors: HTTP 200, `X-Amz-Function-Error: Unhandled`, body
 *   `{ errorType, errorMessage, trace }` built like the Node.js runtime does,
 *   so the error class name reaches ASL `Retry`/`Catch`. Timeouts answer
 *   `Sandbox.Timedout`; import failures `Runtime.ImportModuleError`; a missing
 *   export `Runtime.HandlerNotFound`; an unserialisable result
 *   `Runtime.MarshalError`; a result over 6 MB `Function.ResponseSizeTooLarge`.
 * - Service errors as REST-JSON (`x-amzn-ErrorType`), e.g. 404
 *   ResourceNotFoundException and 413 RequestEntityTooLargeException (6 MB
 *   sync, 256 KB async request payloads).
 * - A Lambda `context` with the fields handlers use (see `LocalLambdaContext`).
 * - Concurrent invocations in one environment, as Lambda Managed Instances
 *   run them: `AWS_LAMBDA_MAX_CONCURRENCY` is set and every invocation runs
 *   inside its own InvokeStore context (`@aws/lambda-invoke-store`, the
 *   AsyncLocalStorage the Node.js runtime wraps handlers in). Powertools keeps
 *   its per-invocation state there (the Logger's Lambda context and temporary
 *   keys, the Metrics store), so two overlapping invocations that share the
 *   module-level `logger` of adapters/aws/runtime.ts still write their own
 *   `function_name` and `function_request_id` on every line. Handlers are the
 *   same code as on AWS; only the runtime around them differs.
 *
 * Not reproduced: isolation. Handlers run in THIS process, share memory,
 * `process.env` and module state (`env` is applied to `process.env` once, not
 * per function; a module two functions share is one instance, as if both were
 * one multi-concurrency environment); a timed-out handler cannot be killed and
 * runs on in the background; a CPU-bound handler blocks every other endpoint.
 * Module initialisation runs in a context of its own, so a module that logs
 * while it loads does not fail (Powertools refuses to log outside any context
 * once concurrency is on). Also absent:
 * versions and aliases, async retries and destinations, concurrency limits,
 * `LogType: Tail`, callback-style handlers and the deprecated
 * `context.done/succeed/fail`.
 *
 * `GET /_local/metrics` (and `metrics()`) report per-function invocation
 * counts and durations for the cost notes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { ClientContext, Context } from 'aws-lambda';
import type { FunctionDefinition } from '../definitions/functions';
import { LOCAL_REGION } from './credentials';
import { type LocalEndpoint, PayloadTooLargeError, readBody, serveOnLoopback } from './http-server';

export const LOCAL_ACCOUNT_ID = '000000000000';

/** Invoke request and response payload quotas (bytes), as documented for Lambda. */
export const SYNC_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;
export const ASYNC_PAYLOAD_LIMIT_BYTES = 256 * 1024;

/**
 * What the runtime of a multi-concurrency environment sets; Powertools only
 * checks that it is there to keep its state per invocation.
 */
export const LOCAL_MAX_CONCURRENCY = '64';

const DEFAULT_TIMEOUT_SECONDS = 10;
const DEFAULT_MEMORY_MB = 256;
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
const INVOCATION_TYPES = ['RequestResponse', 'Event', 'DryRun'] as const;
type InvocationType = (typeof INVOCATION_TYPES)[number];

/** The ARN local mode gives a function, e.g. for DefinitionSubstitutions. */
export function localFunctionArn(functionName: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`;
}

export interface FunctionReference {
  readonly name: string;
  readonly qualifier?: string;
}

// Lambda's own FunctionName pattern: optional ARN prefix or account id, then
// the name, then an optional version or alias.
const FUNCTION_NAME_PATTERN =
  /^(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?([a-zA-Z0-9_-]{1,64})(?::(\$LATEST|[a-zA-Z0-9_-]{1,128}))?$/;

/** Splits a FunctionName as Lambda accepts it into name and qualifier; `undefined` if malformed. */
export function parseFunctionName(functionName: string): FunctionReference | undefined {
  const match = FUNCTION_NAME_PATTERN.exec(functionName);
  if (!match) return undefined;
  const [, name, qualifier] = match;
  return qualifier === undefined ? { name: name! } : { name: name!, qualifier };
}

/** The `context` handed to handlers: Lambda's, minus the deprecated callbacks. */
export type LocalLambdaContext = Omit<Context, 'done' | 'fail' | 'succeed'>;

/** The error document Lambda returns with `X-Amz-Function-Error`. */
export interface FunctionErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/** Serialises a thrown value exactly as the Node.js runtime interface client does. */
export function toFunctionErrorPayload(error: unknown): FunctionErrorPayload {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

export interface FunctionMetrics {
  invocations: number;
  /** Invocations that ended in a function error, timeouts included. */
  errors: number;
  timeouts: number;
  /** Summed wall-clock handler time. */
  durationMs: number;
  /** Summed billed time (each invocation rounded up to 1 ms, as Lambda bills). */
  billedDurationMs: number;
  memoryMb: number;
  /** billedDurationMs × memory, in the unit Lambda prices compute by. */
  gbSeconds: number;
}

export interface LambdaServiceOptions {
  readonly functions: readonly FunctionDefinition[];
  /** Directory that `FunctionDefinition.entry` paths are relative to (the repository root). */
  readonly rootDir: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  /** Environment for the handlers, applied to `process.env` before the first import; restored on stop. */
  readonly env?: Readonly<Record<string, string>>;
  /** Where failure lines go. @default console.error */
  readonly log?: (line: string) => void;
}

export interface LambdaService extends LocalEndpoint {
  /** Per-function counters since start, keyed by function name. */
  metrics(): Readonly<Record<string, Readonly<FunctionMetrics>>>;
  /** Resolves once every `Event` invocation accepted so far has finished. */
  whenIdle(): Promise<void>;
}

interface InvocationOutcome {
  readonly payload: string;
  readonly functionError?: 'Unhandled';
}

type Handler = (event: unknown, context: LocalLambdaContext) => unknown;

class FunctionTimeoutError extends Error {
  override name = 'Sandbox.Timedout' as const;
}

export async function startLambdaService(options: LambdaServiceOptions): Promise<LambdaService> {
  const log = options.log ?? ((line: string) => console.error(line));
  const definitions = new Map(options.functions.map((definition) => [definition.id, definition]));
  const handlers = new Map<string, Promise<Handler>>();
  const metrics = new Map<string, FunctionMetrics>();
  const backgroundInvocations = new Set<Promise<void>>();

  const previousEnv = new Map<string, string | undefined>();
  const env = { AWS_LAMBDA_MAX_CONCURRENCY: LOCAL_MAX_CONCURRENCY, ...options.env };
  for (const [key, value] of Object.entries(env)) {
    previousEnv.set(key, process.env[key]);
    process.env[key] = value;
  }
  // The AsyncLocalStorage-backed store (forced: this process runs invocations concurrently),
  // published on globalThis.awslambda where Powertools looks for it.
  const invokeStore = await InvokeStore.getInstanceAsync(true);

  function loadHandler(definition: FunctionDefinition): Promise<Handler> {
    let handler = handlers.get(definition.id);
    if (!handler) {
      const moduleUrl = pathToFileURL(resolve(options.rootDir, definition.entry)).href;
      handler = invokeStore
        .run({}, () => import(moduleUrl))
        .then(
          (module: Record<string, unknown>) => {
            const exported = module[definition.handler];
            if (typeof exported !== 'function') {
              throw Object.assign(
                new Error(`${definition.entry}.${definition.handler} is undefined or not exported`),
                {
                  name: 'Runtime.HandlerNotFound',
                },
              );
            }
            return exported as Handler;
          },
          (error: unknown) => {
            throw Object.assign(new Error(String(error)), { name: 'Runtime.ImportModuleError' });
          },
        );
      // Like a failed cold start on Lambda, the next invocation tries the import again.
      handler.catch(() => handlers.delete(definition.id));
      handlers.set(definition.id, handler);
    }
    return handler;
  }

  function metricsFor(definition: FunctionDefinition): FunctionMetrics {
    let entry = metrics.get(definition.id);
    if (!entry) {
      entry = {
        invocations: 0,
        errors: 0,
        timeouts: 0,
        durationMs: 0,
        billedDurationMs: 0,
        memoryMb: definition.memoryMb ?? DEFAULT_MEMORY_MB,
        gbSeconds: 0,
      };
      metrics.set(definition.id, entry);
    }
    return entry;
  }

  async function invoke(
    definition: FunctionDefinition,
    invokedFunctionArn: string,
    event: unknown,
    requestId: string,
    clientContext: ClientContext | undefined,
  ): Promise<InvocationOutcome> {
    const timeoutSeconds = definition.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    const startedAt = performance.now();
    const deadline = Date.now() + timeoutSeconds * 1000;
    const context: LocalLambdaContext = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: definition.id,
      functionVersion: '$LATEST',
      invokedFunctionArn,
      memoryLimitInMB: String(definition.memoryMb ?? DEFAULT_MEMORY_MB),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${definition.id}`,
      logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`,
      clientContext,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new FunctionTimeoutError(
              `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
            ),
          ),
        timeoutSeconds * 1000,
      );
    });
    let outcome: InvocationOutcome;
    try {
      const handler = await Promise.race([loadHandler(definition), timedOut]);
      const invocation = invokeStore.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: requestId }, () =>
        Promise.resolve().then(() => handler(event, context)),
      );
      const result = await Promise.race([invocation, timedOut]);
      outcome = serialiseResult(result);
    } catch (error) {
      outcome = { payload: JSON.stringify(toFunctionErrorPayload(error)), functionError: 'Unhandled' };
      if (error instanceof FunctionTimeoutError) metricsFor(definition).timeouts += 1;
    } finally {
      clearTimeout(timer);
    }
    const durationMs = performance.now() - startedAt;
    const entry = metricsFor(definition);
    entry.invocations += 1;
    entry.durationMs += durationMs;
    entry.billedDurationMs += Math.max(1, Math.ceil(durationMs));
    entry.gbSeconds = (entry.billedDurationMs / 1000) * (entry.memoryMb / 1024);
    if (outcome.functionError) entry.errors += 1;
    return outcome;
  }

  function logFailure(functionName: string, requestId: string, type: InvocationType, payload: string): void {
    const { errorType, errorMessage } = JSON.parse(payload) as FunctionErrorPayload;
    log(
      `[local lambda] ${functionName} ${type} invocation ${requestId} failed: ${errorType}: ${errorMessage}`,
    );
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'GET' && url.pathname === '/_local/metrics') {
      sendJson(response, 200, Object.fromEntries(metrics));
      return;
    }
    const pathMatch = INVOKE_PATH.exec(url.pathname);
    if (request.method !== 'POST' || !pathMatch) {
      sendServiceError(response, 404, 'UnknownOperationException', 'Unknown operation');
      return;
    }
    const requestId = randomUUID();
    response.setHeader('x-amzn-RequestId', requestId);

    const invocationType = (request.headers['x-amz-invocation-type'] ?? 'RequestResponse') as InvocationType;
    if (!INVOCATION_TYPES.includes(invocationType)) {
      sendServiceError(
        response,
        400,
        'InvalidParameterValueException',
        `Unsupported InvocationType: ${invocationType}`,
      );
      return;
    }
    const reference = parseFunctionName(decodeURIComponent(pathMatch[1]!));
    if (!reference) {
      sendServiceError(response, 400, 'ValidationException', '1 validation error detected: functionName');
      return;
    }
    const queryQualifier = url.searchParams.get('Qualifier') ?? undefined;
    if (reference.qualifier && queryQualifier && reference.qualifier !== queryQualifier) {
      sendServiceError(
        response,
        400,
        'InvalidParameterValueException',
        'The derived qualifier from the function name does not match the specified qualifier.',
      );
      return;
    }
    const qualifier = reference.qualifier ?? queryQualifier;
    const definition = definitions.get(reference.name);
    const qualifiedArn = localFunctionArn(reference.name) + (qualifier ? `:${qualifier}` : '');
    if (!definition || (qualifier !== undefined && qualifier !== '$LATEST')) {
      sendServiceError(response, 404, 'ResourceNotFoundException', `Function not found: ${qualifiedArn}`);
      return;
    }

    const limit = invocationType === 'Event' ? ASYNC_PAYLOAD_LIMIT_BYTES : SYNC_PAYLOAD_LIMIT_BYTES;
    let body: Buffer;
    try {
      body = await readBody(request, limit);
    } catch (error) {
      if (!(error instanceof PayloadTooLargeError)) throw error;
      sendServiceError(
        response,
        413,
        'RequestEntityTooLargeException',
        `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
      );
      return;
    }
    let event: unknown;
    try {
      // An invocation without a payload hands the function an empty object.
      event = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch (error) {
      sendServiceError(
        response,
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: ${(error as Error).message}`,
      );
      return;
    }
    const clientContext = parseClientContext(request.headers['x-amz-client-context']);

    if (invocationType === 'DryRun') {
      response.writeHead(204).end();
      return;
    }
    if (invocationType === 'Event') {
      response.writeHead(202).end();
      const background = invoke(definition, qualifiedArn, event, requestId, clientContext).then(
        (outcome) => {
          if (outcome.functionError) logFailure(definition.id, requestId, 'Event', outcome.payload);
        },
        (error: unknown) =>
          log(`[local lambda] ${definition.id} Event invocation ${requestId} crashed: ${error}`),
      );
      backgroundInvocations.add(background);
      void background.finally(() => backgroundInvocations.delete(background));
      return;
    }

    const outcome = await invoke(definition, qualifiedArn, event, requestId, clientContext);
    if (outcome.functionError) {
      logFailure(definition.id, requestId, 'RequestResponse', outcome.payload);
      response.setHeader('X-Amz-Function-Error', outcome.functionError);
    }
    response.setHeader('X-Amz-Executed-Version', '$LATEST');
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(outcome.payload);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`[local lambda] internal error: ${error}`);
      if (!response.headersSent) sendServiceError(response, 500, 'ServiceException', 'Internal error');
      else response.end();
    });
  });
  const endpoint = await serveOnLoopback(server, options.port);

  return {
    ...endpoint,
    stop: async () => {
      await endpoint.stop();
      for (const [key, value] of previousEnv) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
    metrics: () => Object.fromEntries([...metrics].map(([name, entry]) => [name, { ...entry }])),
    whenIdle: async () => {
      while (backgroundInvocations.size > 0) await Promise.allSettled([...backgroundInvocations]);
    },
  };
}

function serialiseResult(result: unknown): InvocationOutcome {
  let payload: string;
  try {
    // `undefined` (a handler that returns nothing) reaches the caller as JSON null.
    payload = JSON.stringify(result) ?? 'null';
  } catch (error) {
    return {
      payload: JSON.stringify({
        errorType: 'Runtime.MarshalError',
        errorMessage: `Unable to stringify response body: ${(error as Error).message}`,
      }),
      functionError: 'Unhandled',
    };
  }
  if (Buffer.byteLength(payload) > SYNC_PAYLOAD_LIMIT_BYTES) {
    return {
      payload: JSON.stringify({
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size exceeded maximum allowed payload size (${SYNC_PAYLOAD_LIMIT_BYTES} bytes).`,
      }),
      functionError: 'Unhandled',
    };
  }
  return { payload };
}

function parseClientContext(header: string | string[] | undefined): ClientContext | undefined {
  if (typeof header !== 'string' || header === '') return undefined;
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as ClientContext;
  } catch {
    return undefined;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/** REST-JSON service error: the SDK reads the error code from `x-amzn-ErrorType`. */
function sendServiceError(
  response: ServerResponse,
  status: number,
  errorType: string,
  message: string,
): void {
  response.setHeader('x-amzn-ErrorType', errorType);
  sendJson(response, status, { Type: 'User', message });
}
