import { describe, expect, it } from 'vitest';
import { confirmManualTask, redriveFailedStores } from '../../../../app/console/store-work';
import { ManualTaskNotOpen, NothingToRedrive } from '../../../../domain/console/store-work';
import type { FulfilmentState, StoreResult } from '../../../../domain/fulfilment';
import type { RequestStatus } from '../../../../domain/lifecycle';
import { AGENT, consolePorts, given } from './fixture';

const ID = 'dsr-00000000-0000-4000-8000-000000000001';

const waiting: StoreResult = {
  status: 'waiting-for-agent',
  since: '2025-03-09T00:00:00.000Z',
  instructions: 'Search cabinet B',
  taskId: `paper-archive:erase:${ID}`,
  action: 'erase',
  timeoutHours: 72,
};
const erased: StoreResult = {
  status: 'erased',
  deleted: 3,
  anonymised: 0,
  retained: 0,
  retainedBases: [],
  remaining: 0,
  at: '2025-03-09T00:00:00.000Z',
};
const failed: StoreResult = { status: 'failed', reason: 'ConnectorPermanentError: 400', at: erased.at };

async function withStores(
  status: RequestStatus,
  storeResults: Record<string, StoreResult>,
  extra: Partial<FulfilmentState> = {},
) {
  const ports = consolePorts();
  const fulfilment: FulfilmentState = {
    action: 'erase',
    plannedStores: Object.keys(storeResults),
    storeResults,
    executionName: ID,
    ...extra,
  };
  await given(ports.requests, { type: 'deletion', status, extras: { fulfilment } });
  return ports;
}

describe('store work', () => {
  it("confirms a manual store's task with what the agent did, at the injected time, for the workflow's next poll", async () => {
    const ports = await withStores('in-progress', { accounts: erased, 'paper-archive': waiting });

    const answer = await confirmManualTask(ports, AGENT, ID, 'paper-archive', { deleted: 2 });

    expect(answer).toEqual({ requestId: ID, storeId: 'paper-archive', confirmed: true });
    const stored = await ports.requests.get(ID);
    expect(stored.fulfilment?.storeResults['paper-archive']).toMatchObject({
      status: 'waiting-for-agent',
      completed: { by: 'alice', at: '2025-03-10T02:00:00.000Z', deleted: 2 },
    });
    expect((await ports.requests.trail(ID)).at(-1)).toMatchObject({
      type: 'manual-task-done',
      actor: AGENT.actor,
      details: { storeId: 'paper-archive', deleted: 2 },
    });
  });

  it('refuses a second confirmation of the same task', async () => {
    const ports = await withStores('in-progress', { 'paper-archive': waiting });
    await confirmManualTask(ports, AGENT, ID, 'paper-archive', {});

    await expect(confirmManualTask(ports, AGENT, ID, 'paper-archive', {})).rejects.toBeInstanceOf(
      ManualTaskNotOpen,
    );
  });

  it('runs the failed stores again in a new execution and reopens a partially fulfilled request', async () => {
    const ports = await withStores('partially-fulfilled', { accounts: erased, orders: failed });

    const answer = await redriveFailedStores(ports, AGENT, ID);

    const execution = `${ID}-redrive-1`;
    expect(answer).toEqual({ requestId: ID, storeIds: ['orders'], execution });
    expect(ports.fulfilment.started).toEqual([ID]);
    expect(ports.fulfilment.executions).toEqual([execution]);
    const stored = await ports.requests.get(ID);
    expect(stored.status).toBe('in-progress');
    expect(Object.keys(stored.fulfilment?.storeResults ?? {})).toEqual(['accounts']);
  });

  it('starts the recorded redrive again, and nothing new, when called again while it runs', async () => {
    const ports = await withStores('partially-fulfilled', { accounts: erased, orders: failed });
    await redriveFailedStores(ports, AGENT, ID);
    const trail = await ports.requests.trail(ID);

    const again = await redriveFailedStores(ports, AGENT, ID);

    const execution = `${ID}-redrive-1`;
    expect(again).toEqual({ requestId: ID, execution, alreadyRedriven: true });
    expect(ports.fulfilment.executions).toEqual([execution, execution]);
    expect(await ports.requests.trail(ID)).toEqual(trail);
  });

  it('refuses a redrive when no store has failed and none was redriven', async () => {
    const ports = await withStores('in-progress', { accounts: erased });

    await expect(redriveFailedStores(ports, AGENT, ID)).rejects.toBeInstanceOf(NothingToRedrive);
    expect(ports.fulfilment.started).toEqual([]);
  });
});
