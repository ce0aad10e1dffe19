import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type FunctionMetrics,
  type LambdaService,
  localFunctionArn,
  startLambdaService,
} from '../../../local/lambda';
import { FIXTURE_FUNCTIONS } from '../../fixtures/fixture-functions';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

describe('local Lambda service', () => {
  let service: LambdaService;
  let client: LambdaClient;
  let stateDir: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'lambda-test-'));
    service = await startLambdaService({
      functions: FIXTURE_FUNCTIONS,
      rootDir: process.cwd(),
      env: { FIXTURE_STATE_DIR: stateDir },
      log: (line) => logLines.push(line),
    });
    client = new LambdaClient({
      endpoint: service.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });

  afterAll(async () => {
    client?.destroy();
    await service?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  async function invoke(functionName: string, payload: unknown, extra: Partial<InvokeCommand['input']> = {}) {
    const result = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        Payload: encoder.encode(JSON.stringify(payload)),
        ...extra,
      }),
    );
    const body =
      result.Payload && result.Payload.length > 0 ? JSON.parse(decoder.decode(result.Payload)) : undefined;
    return { result, body };
  }

  it.each([
    ['a plain name', 'Echo'],
    ['a full ARN', localFunctionArn('Echo')],
    ['an ARN in another partition', 'arn:aws-cn:lambda:cn-north-1:123456789012:function:Echo'],
    ['a partial ARN', '000000000000:function:Echo'],
    ['a name with the $LATEST qualifier', 'Echo:$LATEST'],
  ])('invokes a handler addressed by %s and returns its result', async (_, functionName) => {
    const { result, body } = await invoke(functionName, { hello: 'world' });

    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBeUndefined();
    expect(result.ExecutedVersion).toBe('$LATEST');
    expect(body.event).toEqual({ hello: 'world' });
  });

  it('hands the handler a Lambda context built from the function definition', async () => {
    const { body } = await invoke('Echo', {});

    expect(body.context).toMatchObject({
      functionName: 'Echo',
      functionVersion: '$LATEST',
      invokedFunctionArn: localFunctionArn('Echo'),
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/Echo',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(body.context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(body.context.remainingTimeInMillis).toBeGreaterThan(9_000);
    expect(body.context.remainingTimeInMillis).toBeLessThanOrEqual(10_000);
  });

  it('reports a thrown named error as an Unhandled function error with errorType, message and trace', async () => {
    const { result, body } = await invoke('FailPermanently', { reason: 'no such subject' });

    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBe('Unhandled');
    expect(body.errorType).toBe('PermanentFixtureError');
    expect(body.errorMessage).toBe('no such subject');
    expect(body.trace[0]).toBe('PermanentFixtureError: no such subject');
  });

  it('answers Sandbox.Timedout when a handler overruns its timeout', async () => {
    const started = Date.now();
    const { result, body } = await invoke('Sleep', { ms: 3_000 });

    expect(result.FunctionError).toBe('Unhandled');
    expect(body.errorType).toBe('Sandbox.Timedout');
    expect(body.errorMessage).toContain('Task timed out after 1.00 seconds');
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('accepts an Event invocation with 202 and runs the handler in the background', async () => {
    const { result } = await invoke(
      'Record',
      { id: 'event-1', journal: 'async' },
      { InvocationType: 'Event' },
    );

    expect(result.StatusCode).toBe(202);
    await service.whenIdle();
    expect(await readFile(join(stateDir, 'journal-async.log'), 'utf8')).toBe('event-1\n');
  });

  it('logs the failure of an Event invocation instead of losing it', async () => {
    await invoke('FailPermanently', { reason: 'async failure' }, { InvocationType: 'Event' });
    await service.whenIdle();

    expect(
      logLines.some(
        (line) => line.includes('FailPermanently Event') && line.includes('PermanentFixtureError'),
      ),
    ).toBe(true);
  });

  it('validates a DryRun invocation without running the handler', async () => {
    const { result } = await invoke(
      'Record',
      { id: 'dry', journal: 'dry-run' },
      { InvocationType: 'DryRun' },
    );

    expect(result.StatusCode).toBe(204);
    await expect(readFile(join(stateDir, 'journal-dry-run.log'), 'utf8')).rejects.toThrow();
  });

  it.each([
    ['an unknown function', 'NoSuchFunction'],
    ['a qualifier that does not exist locally', 'Echo:live'],
  ])('rejects %s with ResourceNotFoundException', async (_, functionName) => {
    await expect(invoke(functionName, {})).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('reports a module that cannot be imported as Runtime.ImportModuleError', async () => {
    const { result, body } = await invoke('MissingModule', {});

    expect(result.FunctionError).toBe('Unhandled');
    expect(body.errorType).toBe('Runtime.ImportModuleError');
  });

  it.each([
    ['a synchronous payload over 6 MB', 'RequestResponse', 6 * 1024 * 1024],
    ['an asynchronous payload over 256 KB', 'Event', 256 * 1024],
  ] as const)('rejects %s with RequestEntityTooLargeException', async (_, invocationType, limit) => {
    const oversized = { blob: 'x'.repeat(limit) };

    await expect(invoke('Echo', oversized, { InvocationType: invocationType })).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
      $metadata: { httpStatusCode: 413 },
    });
  });

  it('gives each of two overlapping invocations of different functions its own logger context', async () => {
    const run = randomUUID();
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
      written.push(String(chunk));
      return write(chunk, ...(rest as []));
    });
    let answers: Awaited<ReturnType<typeof invoke>>[];
    try {
      answers = await Promise.all(
        ['LogLinesFirst', 'LogLinesSecond'].map((name) => invoke(name, { run, together: 2 })),
      );
    } finally {
      spy.mockRestore();
    }

    // Both were in flight together: each saw the other start before writing its second line.
    expect(answers.map(({ body }) => body)).toEqual([{ together: 2 }, { together: 2 }]);
    const lines = written
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.run === run);
    expect(lines).toHaveLength(4);
    const requestIds = new Map(
      answers.map(({ result }, index) => [
        index === 0 ? 'LogLinesFirst' : 'LogLinesSecond',
        result.$metadata.requestId,
      ]),
    );
    for (const line of lines) {
      const functionName = line.function_name as string;
      expect(['LogLinesFirst', 'LogLinesSecond']).toContain(functionName);
      expect(line.function_arn).toBe(localFunctionArn(functionName));
      expect(line.function_request_id).toBe(requestIds.get(functionName));
    }
    expect(lines.filter((line) => line.function_name === 'LogLinesFirst')).toHaveLength(2);
    expect(lines.filter((line) => line.function_name === 'LogLinesSecond')).toHaveLength(2);
  });

  it('counts invocations, errors and durations per function', async () => {
    const before = service.metrics().Echo?.invocations ?? 0;
    await invoke('Echo', {});

    const response = await fetch(`${service.url}/_local/metrics`);
    const metrics = (await response.json()) as Record<string, FunctionMetrics>;
    expect(metrics.Echo!.invocations).toBe(before + 1);
    expect(metrics.Echo!.billedDurationMs).toBeGreaterThanOrEqual(metrics.Echo!.invocations);
    expect(metrics.Sleep).toMatchObject({ timeouts: 1, errors: 1 });
    // The timed-out run's time is counted (not its exact length: timers are not that precise).
    expect(metrics.Sleep!.durationMs).toBeGreaterThan(0);
  });
});
