/**
 * Local Step Functions endpoint (`AWS_ENDPOINT_URL_SFN`): the AWS JSON 1.0
 * protocol (`X-Amz-Target: AWSStepFunctions.<Action>`) over the in-process
 * ASL interpreter `aws-local-stepfunctions`, running the `statemachines/`
 * files unchanged apart from their DefinitionSubstitutions.
 *
 * Reproduced from AWS (Standard workflows):
 * - StartExecution, DescribeExecution, ListExecutions, StopExecution,
 *   GetExecutionHistory, DescribeStateMachine, ListStateMachines, with AWS
 *   ARNs, error codes (ExecutionAlreadyExists, ExecutionDoesNotExist,
 *   StateMachineDoesNotExist, InvalidArn, InvalidName, InvalidExecutionInput)
 *   and statuses RUNNING/SUCCEEDED/FAILED/TIMED_OUT/ABORTED.
 * - Execution names are unique per state machine: the same name and input
 *   while RUNNING returns the running execution; anything else is
 *   ExecutionAlreadyExists.
 * - Task states reach Lambda over the real Invoke protocol (see
 *   `stepfunctions-tasks.ts`), so function errorTypes drive Retry/Catch.
 * - Executions survive restarts: every execution is recorded durably under
 *   `<stateDir>/stepfunctions/`, and at start-up every execution still
 *   recorded RUNNING is run again FROM THE BEGINNING with its original input.
 *   (AWS resumes where it was; the pipeline's steps are idempotent and the
 *   request record is the source of truth, so a re-run is safe.)
 *
 * Not reproduced (refused at load time where a definition uses it, see
 * `stepfunctions-definition.ts`): JSONata, variables (`Assign`),
 * `.waitForTaskToken`/`.sync` and non-Lambda integrations, Distributed Map,
 * Express workflows, redrive, versions/aliases, activities, IAM. Interpreter
 * limits: `$$.Execution.StartTime` is the start of the current run;
 * `$$.State.*` and `$$.Task.Token` are absent; inside Map/Parallel
 * `$$.Execution.Input` is the iteration's input; a Pass state's falsy
 * `Result` (false, 0, "") is ignored; a top-level TimeoutSeconds restarts
 * with the run; payload size limits (256 KB) are not enforced.
 *
 * `GET /_local/metrics` reports per-state-machine executions and state
 * transitions (the unit Step Functions bills) for the cost notes.
 */
import './polyfills';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  type StateMachineDefinition,
  StateMachine as StateMachineInterpreter,
} from 'aws-local-stepfunctions';
import { AwsJsonServiceError, writeAwsJsonError } from './aws-json-protocol';
import { LOCAL_REGION } from './credentials';
import { type LocalEndpoint, PayloadTooLargeError, readBody, serveOnLoopback } from './http-server';
import { LOCAL_ACCOUNT_ID } from './lambda';
import { lambdaTasks, loadDefinition, withAwsTaskTimeoutDefaults } from './stepfunctions-definition';
import { toHistoryEvent } from './stepfunctions-history';
import { type ExecutionRecord, type ExecutionStatus, ExecutionStore } from './stepfunctions-store';
import { createLambdaTaskClient, lambdaTaskHandlers, type TaskHandler } from './stepfunctions-tasks';

export const LOCAL_STATES_ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/LocalStepFunctionsRole`;

/** Execution input quota, as on AWS. */
const MAX_INPUT_BYTES = 256 * 1024;
const MAX_REQUEST_BYTES = 1024 * 1024;
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
// AWS: 1-80 characters, no whitespace, brackets, wildcards or listed punctuation (control characters: below).
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/]{1,80}$/;
const STATE_MACHINE_ARN = /^arn:aws[a-zA-Z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/;
const EXECUTION_ARN = /^arn:aws[a-zA-Z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/;

export function localStateMachineArn(name: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stateMachine:${name}`;
}

export function localExecutionArn(stateMachineName: string, executionName: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:execution:${stateMachineName}:${executionName}`;
}

export interface StateMachineConfig {
  readonly name: string;
  /** Path of the `*.asl.json` file. */
  readonly definitionPath: string;
  /** The DefinitionSubstitutions the CDK stack passes, e.g. `{ LoadRequestFunctionArn: 'arn:…' }`. */
  readonly substitutions?: Readonly<Record<string, string>>;
}

export interface StepFunctionsServiceOptions {
  readonly stateMachines: readonly StateMachineConfig[];
  /** Executions are kept under `<stateDir>/stepfunctions/`. */
  readonly stateDir: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  /** Local Lambda service URL for Task states. @default the SDK's own resolution (AWS_ENDPOINT_URL_LAMBDA) */
  readonly lambdaEndpoint?: string;
  /** @default console.error */
  readonly log?: (line: string) => void;
}

export interface StateMachineMetrics {
  executionsStarted: number;
  /** Transitions since this service started (state entries plus retries, nested states included). */
  stateTransitions: number;
}

export interface StepFunctionsService extends LocalEndpoint {
  metrics(): Readonly<Record<string, Readonly<StateMachineMetrics>>>;
  /** ARNs of the executions restarted at start-up because they were recorded RUNNING. */
  readonly restartedExecutionArns: readonly string[];
}

interface LoadedStateMachine {
  readonly name: string;
  readonly arn: string;
  readonly definitionText: string;
  readonly interpreter: StateMachineInterpreter;
  readonly taskHandlers: Record<string, TaskHandler>;
  readonly creationDate: Date;
  readonly metrics: StateMachineMetrics;
}

interface ActiveRun {
  abort(): void;
  readonly done: Promise<void>;
}

type Params = Record<string, unknown>;

export async function startStepFunctionsService(
  options: StepFunctionsServiceOptions,
): Promise<StepFunctionsService> {
  const log = options.log ?? ((line: string) => console.error(line));
  const lambdaClient = createLambdaTaskClient(options.lambdaEndpoint);
  const store = new ExecutionStore(options.stateDir);
  const machines = new Map<string, LoadedStateMachine>();
  const creationDate = new Date();
  for (const config of options.stateMachines) {
    const { text, definition } = await loadDefinition(config.definitionPath, config.substitutions ?? {});
    // The constructor runs the interpreter's ASL validator and throws on an invalid definition.
    const interpreter = new StateMachineInterpreter(
      withAwsTaskTimeoutDefaults(
        definition as unknown as Record<string, unknown>,
      ) as unknown as StateMachineDefinition,
    );
    machines.set(config.name, {
      name: config.name,
      arn: localStateMachineArn(config.name),
      definitionText: text,
      interpreter,
      taskHandlers: lambdaTaskHandlers(
        lambdaTasks(definition as unknown as Record<string, unknown>),
        lambdaClient,
      ),
      creationDate,
      metrics: { executionsStarted: 0, stateTransitions: 0 },
    });
  }

  const executions = new Map<string, ExecutionRecord>();
  for (const record of await store.loadAll()) executions.set(record.executionArn, record);
  const active = new Map<string, ActiveRun>();
  let stopping = false;

  function launch(record: ExecutionRecord, machine: LoadedStateMachine): void {
    record.history = [];
    const run = machine.interpreter.run(JSON.parse(record.input), {
      overrides: { taskResourceLocalHandlers: machine.taskHandlers },
      context: {
        Execution: {
          Id: record.executionArn,
          Name: record.name,
          RoleArn: LOCAL_STATES_ROLE_ARN,
          StartTime: record.startDate,
        },
        StateMachine: { Id: machine.arn, Name: machine.name },
      },
    });
    const recordEvents = (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'StateEntered' || event.type === 'StateRetried') {
          record.stateTransitions += 1;
          machine.metrics.stateTransitions += 1;
        }
        const historyEvent = toHistoryEvent(event, record.history.length + 1, LOCAL_STATES_ROLE_ARN);
        if (historyEvent) record.history.push(historyEvent);
      }
    })();
    const done = Promise.allSettled([run.result, recordEvents]).then(async ([result]) => {
      active.delete(record.executionArn);
      // A stopping service is a simulated crash: the record stays RUNNING, to be restarted.
      if (stopping) return;
      if (record.status === 'RUNNING') {
        Object.assign(record, outcome(result), { stopDate: new Date().toISOString() });
      }
      await store.save(record);
    });
    done.catch((error: unknown) =>
      log(`[local stepfunctions] could not record ${record.executionArn}: ${error}`),
    );
    active.set(record.executionArn, { abort: run.abort, done });
  }

  // Crash recovery: an execution recorded RUNNING was cut off by the last shutdown.
  const restartedExecutionArns: string[] = [];
  for (const record of executions.values()) {
    if (record.status !== 'RUNNING') continue;
    const machine = machines.get(record.stateMachineName);
    if (!machine) {
      log(`[local stepfunctions] ${record.executionArn} is RUNNING but its state machine is not configured`);
      continue;
    }
    record.restarts += 1;
    await store.save(record);
    launch(record, machine);
    restartedExecutionArns.push(record.executionArn);
  }

  function machineByArn(arn: unknown): LoadedStateMachine {
    if (typeof arn !== 'string' || !STATE_MACHINE_ARN.test(arn)) {
      throw new AwsJsonServiceError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
    }
    const machine = [...machines.values()].find((candidate) => candidate.arn === arn);
    if (!machine)
      throw new AwsJsonServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  function executionByArn(arn: unknown): ExecutionRecord {
    if (typeof arn !== 'string' || !EXECUTION_ARN.test(arn)) {
      throw new AwsJsonServiceError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
    }
    const record = executions.get(arn);
    if (!record) throw new AwsJsonServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  const actions: Record<string, (params: Params) => Promise<unknown> | unknown> = {
    async StartExecution(params) {
      const machine = machineByArn(params.stateMachineArn);
      const name = params.name === undefined ? randomUUID() : params.name;
      if (typeof name !== 'string' || !EXECUTION_NAME.test(name) || hasControlCharacter(name)) {
        throw new AwsJsonServiceError('InvalidName', `Invalid Name: '${String(name)}'`);
      }
      const input = params.input === undefined ? '{}' : params.input;
      if (typeof input !== 'string' || Buffer.byteLength(input) > MAX_INPUT_BYTES || !isJson(input)) {
        throw new AwsJsonServiceError('InvalidExecutionInput', 'Invalid State Machine Execution Input');
      }
      const executionArn = localExecutionArn(machine.name, name);
      const existing = executions.get(executionArn);
      if (existing) {
        if (existing.status === 'RUNNING' && existing.input === input) {
          return { executionArn, startDate: epochSeconds(existing.startDate) };
        }
        throw new AwsJsonServiceError(
          'ExecutionAlreadyExists',
          `Execution Already Exists: '${executionArn}'`,
        );
      }
      const record: ExecutionRecord = {
        executionArn,
        stateMachineArn: machine.arn,
        stateMachineName: machine.name,
        name,
        status: 'RUNNING',
        input,
        startDate: new Date().toISOString(),
        stateTransitions: 0,
        restarts: 0,
        history: [],
      };
      // Registered before the first await, so a concurrent start with the same name sees it.
      executions.set(executionArn, record);
      machine.metrics.executionsStarted += 1;
      await store.save(record);
      launch(record, machine);
      return { executionArn, startDate: epochSeconds(record.startDate) };
    },

    DescribeExecution(params) {
      const record = executionByArn(params.executionArn);
      return {
        executionArn: record.executionArn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status: record.status,
        startDate: epochSeconds(record.startDate),
        ...(record.stopDate ? { stopDate: epochSeconds(record.stopDate) } : {}),
        input: record.input,
        inputDetails: { included: true },
        ...(record.output === undefined ? {} : { output: record.output, outputDetails: { included: true } }),
        ...(record.error === undefined ? {} : { error: record.error }),
        ...(record.cause === undefined ? {} : { cause: record.cause }),
        redriveCount: 0,
        redriveStatus: 'NOT_REDRIVABLE',
      };
    },

    ListExecutions(params) {
      const machine = machineByArn(params.stateMachineArn);
      const statusFilter = params.statusFilter as ExecutionStatus | undefined;
      const matching = [...executions.values()]
        .filter((record) => record.stateMachineName === machine.name)
        .filter((record) => statusFilter === undefined || record.status === statusFilter)
        .sort((a, b) => b.startDate.localeCompare(a.startDate));
      const { page, nextToken } = paginate(matching, params);
      return {
        executions: page.map((record) => ({
          executionArn: record.executionArn,
          stateMachineArn: record.stateMachineArn,
          name: record.name,
          status: record.status,
          startDate: epochSeconds(record.startDate),
          ...(record.stopDate ? { stopDate: epochSeconds(record.stopDate) } : {}),
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    },

    async StopExecution(params) {
      const record = executionByArn(params.executionArn);
      if (record.status === 'RUNNING') {
        record.status = 'ABORTED';
        record.stopDate = new Date().toISOString();
        if (typeof params.error === 'string') record.error = params.error;
        if (typeof params.cause === 'string') record.cause = params.cause;
        await store.save(record);
        // In-flight Lambda invocations run to completion, as on AWS; their results are discarded.
        active.get(record.executionArn)?.abort();
      }
      return { stopDate: epochSeconds(record.stopDate ?? new Date().toISOString()) };
    },

    GetExecutionHistory(params) {
      const record = executionByArn(params.executionArn);
      const events = params.reverseOrder === true ? [...record.history].reverse() : record.history;
      const { page, nextToken } = paginate(events, params);
      return {
        events: page.map((event) => ({ ...event, timestamp: event.timestamp / 1000 })),
        ...(nextToken ? { nextToken } : {}),
      };
    },

    DescribeStateMachine(params) {
      const machine = machineByArn(params.stateMachineArn);
      return {
        stateMachineArn: machine.arn,
        name: machine.name,
        status: 'ACTIVE',
        definition: machine.definitionText,
        roleArn: LOCAL_STATES_ROLE_ARN,
        type: 'STANDARD',
        creationDate: machine.creationDate.getTime() / 1000,
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
      };
    },

    ListStateMachines(params) {
      const { page, nextToken } = paginate([...machines.values()], params);
      return {
        stateMachines: page.map((machine) => ({
          stateMachineArn: machine.arn,
          name: machine.name,
          type: 'STANDARD',
          creationDate: machine.creationDate.getTime() / 1000,
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    },
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'GET' && url.pathname === '/_local/metrics') {
      const metrics = Object.fromEntries(
        [...machines.values()].map((machine) => [machine.name, machine.metrics]),
      );
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(metrics));
      return;
    }
    response.setHeader('x-amzn-RequestId', randomUUID());
    const target = request.headers['x-amz-target'];
    const action =
      typeof target === 'string' && target.startsWith('AWSStepFunctions.')
        ? actions[target.slice('AWSStepFunctions.'.length)]
        : undefined;
    if (request.method !== 'POST' || !action) {
      throw new AwsJsonServiceError('UnknownOperationException', `Unknown operation ${String(target)}`);
    }
    let params: Params;
    try {
      const body = (await readBody(request, MAX_REQUEST_BYTES)).toString('utf8');
      params = body === '' ? {} : (JSON.parse(body) as Params);
    } catch (error) {
      if (error instanceof PayloadTooLargeError || error instanceof SyntaxError) {
        throw new AwsJsonServiceError('ValidationException', error.message);
      }
      throw error;
    }
    const result = await action(params);
    response.writeHead(200, { 'Content-Type': JSON_CONTENT_TYPE }).end(JSON.stringify(result));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!(error instanceof AwsJsonServiceError)) log(`[local stepfunctions] internal error: ${error}`);
      writeAwsJsonError(response, JSON_CONTENT_TYPE, error, 'InternalFailure');
    });
  });
  const endpoint = await serveOnLoopback(server, options.port);

  return {
    ...endpoint,
    restartedExecutionArns,
    metrics: () =>
      Object.fromEntries([...machines.values()].map((machine) => [machine.name, { ...machine.metrics }])),
    stop: async () => {
      stopping = true;
      for (const run of active.values()) run.abort();
      await Promise.allSettled([...active.values()].map((run) => run.done));
      await store.flush();
      await endpoint.stop();
      lambdaClient.destroy();
    },
  };
}

/** How a finished run is recorded. */
function outcome(
  result: PromiseSettledResult<unknown>,
): Pick<ExecutionRecord, 'status' | 'output' | 'error' | 'cause'> {
  if (result.status === 'fulfilled')
    return { status: 'SUCCEEDED', output: JSON.stringify(result.value ?? null) };
  const reason: unknown = result.reason;
  if (reason instanceof ExecutionTimeoutError) {
    return {
      status: 'TIMED_OUT',
      error: 'States.Timeout',
      cause: 'The execution exceeded its TimeoutSeconds',
    };
  }
  if (reason instanceof ExecutionAbortedError) return { status: 'ABORTED' };
  if (reason instanceof ExecutionError && reason.cause instanceof Error) {
    return { status: 'FAILED', error: reason.cause.name, cause: reason.cause.message };
  }
  return { status: 'FAILED', error: 'States.Runtime', cause: String(reason) };
}

function epochSeconds(isoDate: string): number {
  return Date.parse(isoDate) / 1000;
}

function hasControlCharacter(text: string): boolean {
  return [...text].some((character) => {
    const code = character.codePointAt(0)!;
    return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
  });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** AWS-style paging: `maxResults` (0 or absent: 100, at most 1000) and an opaque `nextToken`. */
function paginate<T>(items: readonly T[], params: Params): { page: readonly T[]; nextToken?: string } {
  const maxResults = typeof params.maxResults === 'number' && params.maxResults > 0 ? params.maxResults : 100;
  if (maxResults > 1000) throw new AwsJsonServiceError('ValidationException', 'maxResults must be <= 1000');
  let offset = 0;
  if (typeof params.nextToken === 'string') {
    offset = Number(Buffer.from(params.nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) {
      throw new AwsJsonServiceError('InvalidToken', 'Invalid Token');
    }
  }
  const page = items.slice(offset, offset + maxResults);
  const next = offset + maxResults;
  return next < items.length
    ? { page, nextToken: Buffer.from(String(next)).toString('base64url') }
    : { page };
}
