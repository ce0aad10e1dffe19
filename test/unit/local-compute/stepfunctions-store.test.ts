import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ExecutionRecord, ExecutionStore } from '../../../local/stepfunctions-store';

function runningRecord(name: string): ExecutionRecord {
  return {
    executionArn: `arn:aws:states:us-east-1:000000000000:execution:Fulfil:${name}`,
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Fulfil',
    stateMachineName: 'Fulfil',
    name,
    status: 'RUNNING',
    input: '{"requestId":"r-1"}',
    startDate: '2026-01-05T08:00:00.000Z',
    stateTransitions: 0,
    restarts: 0,
    history: [],
  };
}

describe('ExecutionStore', () => {
  let stateDir: string;

  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'sfn-store-'));
  });

  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('keeps the last saved state when saves of one execution follow each other without waiting', async () => {
    const store = new ExecutionStore(stateDir);
    const record = runningRecord('r-1');

    const first = store.save(record);
    record.status = 'SUCCEEDED';
    record.output = '{}';
    await Promise.all([first, store.save(record)]);

    const [loaded] = await new ExecutionStore(stateDir).loadAll();
    expect(loaded).toMatchObject({ status: 'SUCCEEDED', output: '{}' });
  });

  it('leaves no temporary files behind', async () => {
    const store = new ExecutionStore(stateDir);
    await store.save(runningRecord('r-2'));
    await store.flush();

    expect(await readdir(join(stateDir, 'stepfunctions/executions/Fulfil'))).toEqual(['r-2.json']);
  });

  it('finds every recorded execution after a restart', async () => {
    const store = new ExecutionStore(stateDir);
    await Promise.all(['a', 'b', 'c'].map((name) => store.save(runningRecord(name))));

    const names = (await new ExecutionStore(stateDir).loadAll()).map((record) => record.name).sort();
    expect(names).toEqual(['a', 'b', 'c']);
  });
});
