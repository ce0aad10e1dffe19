import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/credentials';
import { type LambdaService, localFunctionArn, startLambdaService } from '../../../local/lambda';
import {
  localStateMachineArn,
  type StateMachineConfig,
  type StepFunctionsService,
  startStepFunctionsService,
} from '../../../local/stepfunctions';
import { UnsupportedAslFeatureError } from '../../../local/stepfunctions-definition';
import { FIXTURE_FUNCTIONS } from '../../fixtures/fixture-functions';

const FIXTURE_DIR = join(process.cwd(), 'test/fixtures/statemachines');
const SUBSTITUTIONS = Object.fromEntries(
  FIXTURE_FUNCTIONS.map((definition) => [`${definition.id}FunctionArn`, localFunctionArn(definition.id)]),
);

function fixtureMachine(name: string, file: string): StateMachineConfig {
  return { name, definitionPath: join(FIXTURE_DIR, file), substitutions: SUBSTITUTIONS };
}

const STATE_MACHINES: readonly StateMachineConfig[] = [
  fixtureMachine('EveryState', 'every-state.asl.json'),
  fixtureMachine('LambdaInvokeForm', 'lambda-invoke-form.asl.json'),
  fixtureMachine('Fails', 'fails.asl.json'),
  fixtureMachine('WaitThenRecord', 'wait-then-record.asl.json'),
  fixtureMachine('TimesOut', 'times-out.asl.json'),
];

describe('local Step Functions service', () => {
  let lambda: LambdaService;
  let stepFunctions: StepFunctionsService;
  let client: SFNClient;
  let workDir: string;
  let stateDir: string;
  let fixtureStateDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'sfn-test-'));
    stateDir = join(workDir, 'state');
    fixtureStateDir = await mkdtemp(join(workDir, 'fixture-'));
    lambda = await startLambdaService({
      functions: FIXTURE_FUNCTIONS,
      rootDir: process.cwd(),
      env: { FIXTURE_STATE_DIR: fixtureStateDir },
      log: () => {},
    });
    stepFunctions = await startService();
    client = new SFNClient({
      endpoint: stepFunctions.url,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  });

  afterAll(async () => {
    client?.destroy();
    await stepFunctions?.stop();
    await lambda?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  function startService(dir = stateDir): Promise<StepFunctionsService> {
    return startStepFunctionsService({
      stateMachines: STATE_MACHINES,
      stateDir: dir,
      lambdaEndpoint: lambda.url,
    });
  }

  async function start(machine: string, input: unknown, name?: string, sfn = client) {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: localStateMachineArn(machine),
        input: JSON.stringify(input),
        ...(name ? { name } : {}),
      }),
    );
    return executionArn!;
  }

  async function settled(executionArn: string, sfn = client): Promise<DescribeExecutionCommandOutput> {
    for (;;) {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (execution.status !== 'RUNNING') return execution;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function journal(name: string): Promise<string[]> {
    const text = await readFile(join(fixtureStateDir, `journal-${name}.log`), 'utf8').catch(() => '');
    return text.split('\n').filter(Boolean);
  }

  it('runs a Map of Lambda Tasks chosen by a Choice, then a Wait, and records the output', async () => {
    const arn = await start('EveryState', { kind: 'fan-out', items: ['a', 'b', 'c'], journal: 'map' });

    const execution = await settled(arn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(arn).toMatch(/^arn:aws:states:us-east-1:000000000000:execution:EveryState:[0-9a-f-]{36}$/);
    const output = JSON.parse(execution.output!);
    expect(output.echo).toEqual({ functionName: 'Echo' });
    expect(output.recorded.map((item: { id: string }) => item.id)).toEqual(['a', 'b', 'c']);
    expect((await journal('map')).sort()).toEqual(['a', 'b', 'c']);
    expect(execution.stopDate!.getTime()).toBeGreaterThanOrEqual(execution.startDate!.getTime() + 1_000);
  });

  it('retries a named transient error and catches a permanent one inside a Parallel', async () => {
    const arn = await start('EveryState', { kind: 'retry-and-catch', id: 'retry-1' });

    const execution = await settled(arn);

    expect(execution.status).toBe('SUCCEEDED');
    const [flaky, caught] = JSON.parse(execution.output!).branches;
    expect(flaky).toEqual({ id: 'retry-1', attempts: 3 });
    expect(caught.Error).toBe('PermanentFixtureError');
    // As on AWS, the Cause of a Lambda error is the function's error payload as JSON.
    expect(JSON.parse(caught.Cause)).toMatchObject({
      errorType: 'PermanentFixtureError',
      errorMessage: 'the fixture always fails',
    });
    expect(await readFile(join(fixtureStateDir, 'attempts-retry-1.txt'), 'utf8')).toBe('3');
  });

  it('supports the lambda:invoke Task form with its wrapped result and Lambda.* service errors', async () => {
    const arn = await start('LambdaInvokeForm', { hello: 'invoke' });

    const execution = await settled(arn);

    expect(execution.status).toBe('SUCCEEDED');
    const output = JSON.parse(execution.output!);
    expect(output.invoked).toEqual({ event: { hello: 'invoke' }, statusCode: 200 });
    expect(output.caught.Error).toBe('PermanentFixtureError');
    expect(JSON.parse(output.caught.Cause).errorMessage).toBe('by design');
    expect(output.missing.Error).toBe('Lambda.ResourceNotFoundException');
  });

  it('fails an execution with the error name and cause of an uncaught function error', async () => {
    const execution = await settled(await start('Fails', {}));

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('PermanentFixtureError');
    expect(JSON.parse(execution.cause!).errorType).toBe('PermanentFixtureError');
  });

  it('times out an execution that outlives its TimeoutSeconds', async () => {
    const execution = await settled(await start('TimesOut', {}));

    expect(execution.status).toBe('TIMED_OUT');
  });

  it('returns the running execution for a repeated name and input, and refuses other input', async () => {
    const input = { id: 'dup', journal: 'duplicate', waitSeconds: 30 };
    const first = await start('WaitThenRecord', input, 'request-42');

    expect(await start('WaitThenRecord', input, 'request-42')).toBe(first);
    await expect(start('WaitThenRecord', { ...input, id: 'other' }, 'request-42')).rejects.toBeInstanceOf(
      ExecutionAlreadyExists,
    );
    await client.send(new StopExecutionCommand({ executionArn: first }));
    await expect(start('WaitThenRecord', input, 'request-42')).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('aborts an execution on StopExecution and records the given error and cause', async () => {
    const arn = await start('WaitThenRecord', { id: 'stopped', journal: 'stopped', waitSeconds: 1 });

    const { stopDate } = await client.send(
      new StopExecutionCommand({
        executionArn: arn,
        error: 'Withdrawn',
        cause: 'The subject withdrew the request',
      }),
    );

    expect(stopDate).toBeInstanceOf(Date);
    const execution = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(execution).toMatchObject({ status: 'ABORTED', error: 'Withdrawn' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await journal('stopped')).toEqual([]);
    expect((await client.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('ABORTED');
  });

  it('lists executions newest first, filtered by status and paged', async () => {
    const arn = await start('Fails', {}, 'listed-last');
    await settled(arn);

    const failed = await client.send(
      new ListExecutionsCommand({ stateMachineArn: localStateMachineArn('Fails'), statusFilter: 'FAILED' }),
    );
    const firstPage = await client.send(
      new ListExecutionsCommand({ stateMachineArn: localStateMachineArn('Fails'), maxResults: 1 }),
    );

    expect(failed.executions!.length).toBeGreaterThanOrEqual(2);
    expect(failed.executions![0]!.executionArn).toBe(arn);
    expect(firstPage.executions).toHaveLength(1);
    expect(firstPage.nextToken).toBeDefined();
  });

  it('serves the state machine definition with its substitutions applied', async () => {
    const machine = await client.send(
      new DescribeStateMachineCommand({ stateMachineArn: localStateMachineArn('Fails') }),
    );
    const list = await client.send(new ListStateMachinesCommand({}));

    expect(JSON.parse(machine.definition!).States.CallFailing.Resource).toBe(
      localFunctionArn('FailPermanently'),
    );
    expect(machine).toMatchObject({ status: 'ACTIVE', type: 'STANDARD' });
    expect(list.stateMachines!.map((entry) => entry.name)).toEqual(STATE_MACHINES.map((entry) => entry.name));
  });

  it('gives an execution history in AWS event shapes', async () => {
    const execution = await settled(await start('Fails', {}));

    const { events } = await client.send(
      new GetExecutionHistoryCommand({ executionArn: execution.executionArn }),
    );

    expect(events!.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskFailed',
      'ExecutionFailed',
    ]);
    expect(events![3]!.executionFailedEventDetails?.error).toBe('PermanentFixtureError');
  });

  it.each([
    ['a malformed ARN', `${localStateMachineArn('Fails')}x`, 'InvalidArn'],
    [
      'an execution never started',
      'arn:aws:states:us-east-1:000000000000:execution:Fails:nope',
      'ExecutionDoesNotExist',
    ],
  ])('answers DescribeExecution for %s with %s', async (_, executionArn, errorName) => {
    await expect(client.send(new DescribeExecutionCommand({ executionArn }))).rejects.toMatchObject({
      name: errorName,
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('rejects StartExecution for an unknown state machine with StateMachineDoesNotExist', async () => {
    await expect(start('NoSuchMachine', {})).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('counts state transitions per state machine', async () => {
    const response = await fetch(`${stepFunctions.url}/_local/metrics`);
    const metrics = (await response.json()) as Record<
      string,
      { stateTransitions: number; executionsStarted: number }
    >;

    expect(metrics.EveryState!.executionsStarted).toBeGreaterThanOrEqual(2);
    // Fan-out: 2 states + 3 Map items + Wait + Succeed, before any retry-and-catch run.
    expect(metrics.EveryState!.stateTransitions).toBeGreaterThanOrEqual(8);
  });

  it('restarts an execution cut off mid-Wait by a crash, from the beginning, exactly once', async () => {
    // A state directory of its own, so no other test's execution is in it.
    const crashStateDir = join(workDir, 'crash-state');
    const crashing = await startService(crashStateDir);
    const crashingClient = new SFNClient({
      endpoint: crashing.url,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const arn = await start(
      'WaitThenRecord',
      { id: 'survivor', journal: 'recovery', waitSeconds: 2 },
      'crash-1',
      crashingClient,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    crashingClient.destroy();
    await crashing.stop();

    const recovered = await startService(crashStateDir);
    const recoveredClient = new SFNClient({
      endpoint: recovered.url,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      expect(recovered.restartedExecutionArns).toContain(arn);
      const execution = await settled(arn, recoveredClient);

      expect(execution.status).toBe('SUCCEEDED');
      expect(await journal('recovery')).toEqual(['survivor']);
      const record = JSON.parse(
        await readFile(join(crashStateDir, 'stepfunctions/executions/WaitThenRecord/crash-1.json'), 'utf8'),
      );
      expect(record).toMatchObject({ status: 'SUCCEEDED', restarts: 1 });
    } finally {
      recoveredClient.destroy();
      await recovered.stop();
    }
  });

  it('refuses to load a definition that uses features the interpreter cannot run', async () => {
    await expect(
      startStepFunctionsService({
        stateMachines: [fixtureMachine('TaskToken', 'waits-for-task-token.asl.json')],
        stateDir,
      }),
    ).rejects.toBeInstanceOf(UnsupportedAslFeatureError);
  });
});
