import { describe, expect, it } from 'vitest';
import type { PlainDate } from '../../../domain/clock';
import {
  completeManualTask,
  ManualTaskNotOpen,
  NothingToRedrive,
  planRedrive,
  RetentionBasisRequired,
} from '../../../domain/console/store-work';
import type { FulfilmentState, ManualTaskResult, StoreResult } from '../../../domain/fulfilment';
import type { RequestStatus } from '../../../domain/lifecycle';
import { aRequest, contextOn } from './builders';

const context = contextOn('2025-03-10' as PlainDate);

const waiting: ManualTaskResult = {
  status: 'waiting-for-agent',
  since: '2025-03-09T00:00:00.000Z',
  instructions: 'Search cabinet B',
  taskId: 'paper-archive:erase:dsr-1',
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
const failed: StoreResult = {
  status: 'failed',
  reason: 'ConnectorPermanentError: 400',
  at: '2025-03-09T00:00:00.000Z',
};

function withStores(
  status: RequestStatus,
  storeResults: Record<string, StoreResult>,
  extra: Partial<FulfilmentState> = {},
) {
  return aRequest({
    type: 'deletion',
    status,
    extras: {
      fulfilment: {
        action: 'erase',
        plannedStores: Object.keys(storeResults),
        storeResults,
        executionName: 'dsr-00000000-0000-4000-8000-000000000001',
        ...extra,
      },
    },
  });
}

describe('confirming a manual task', () => {
  it('records what the agent did on the waiting store and audits it with the agent, without the note', () => {
    const change = completeManualTask(
      withStores('in-progress', { accounts: erased, 'paper-archive': waiting }),
      'paper-archive',
      { deleted: 2, retained: 1, retainedBases: ['Accounting law art. 35'], note: 'Shredded form of Li Lei' },
      context,
    );
    expect(change.next.fulfilment!.storeResults['paper-archive']).toEqual({
      ...waiting,
      completed: {
        by: 'alice',
        at: context.at,
        deleted: 2,
        retained: 1,
        retainedBases: ['Accounting law art. 35'],
        note: 'Shredded form of Li Lei',
      },
    });
    expect(change.events).toEqual([
      expect.objectContaining({ type: 'manual-task-done', actor: { kind: 'agent', id: 'alice' } }),
    ]);
    expect(JSON.stringify(change.events)).not.toContain('Li Lei');
  });

  it.each([
    ['a store that is not waiting', 'accounts', withStores('in-progress', { accounts: erased })],
    ['a store not in the plan', 'paper-archive', withStores('in-progress', { accounts: erased })],
    [
      'a task already confirmed',
      'paper-archive',
      withStores('in-progress', {
        'paper-archive': { ...waiting, completed: { by: 'bob', at: context.at, deleted: 1 } },
      }),
    ],
    ['a closed request', 'paper-archive', withStores('partially-fulfilled', { 'paper-archive': waiting })],
  ])('refuses to confirm %s (ManualTaskNotOpen)', (_case, storeId, record) => {
    expect(() => completeManualTask(record, storeId, { deleted: 1 }, context)).toThrow(ManualTaskNotOpen);
  });

  it('needs the legal basis of records the agent kept', () => {
    const record = withStores('in-progress', { 'paper-archive': waiting });
    expect(() => completeManualTask(record, 'paper-archive', { retained: 2 }, context)).toThrow(
      RetentionBasisRequired,
    );
  });
});

describe('redriving failed stores', () => {
  it('removes the failed results, reopens a partially fulfilled request and names the first redrive', () => {
    const plan = planRedrive(
      withStores('partially-fulfilled', { accounts: erased, processor: failed }),
      context,
    );
    expect(plan.storeIds).toEqual(['processor']);
    expect(plan.executionName).toBe('dsr-00000000-0000-4000-8000-000000000001-redrive-1');
    expect(plan.change.next.status).toBe('in-progress');
    expect(plan.change.next.fulfilment!.storeResults).toEqual({ accounts: erased });
    expect(plan.change.next.fulfilment!.redrives).toBe(1);
    expect(plan.change.events.map((event) => event.type)).toEqual(['status-changed', 'stores-redriven']);
    expect(plan.change.events[1]!.actor).toEqual({ kind: 'agent', id: 'alice' });
  });

  it('keeps a running request in progress and numbers each redrive', () => {
    const plan = planRedrive(withStores('in-progress', { processor: failed }, { redrives: 2 }), context);
    expect(plan.change.next.status).toBe('in-progress');
    expect(plan.executionName).toMatch(/-redrive-3$/);
    expect(plan.change.events.map((event) => event.type)).toEqual(['stores-redriven']);
  });

  it.each([
    ['no store failed', withStores('partially-fulfilled', { accounts: erased })],
    ['the request is fulfilled', withStores('fulfilled', { accounts: erased })],
    ['the request was refused', withStores('refused', { processor: failed })],
    ['fulfilment never started', aRequest({ status: 'verified' })],
  ])('has nothing to redrive when %s', (_case, record) => {
    expect(() => planRedrive(record, context)).toThrow(NothingToRedrive);
  });
});
