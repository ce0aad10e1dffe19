import { describe, expect, it } from 'vitest';
import {
  deliveryIsDue,
  type FulfilmentState,
  failedStores,
  type ManualTaskResult,
  manualTaskDeadline,
  manualTaskTimedOut,
  openManualTasks,
  packageIsDue,
  type StoreResult,
  summaryIsDue,
} from '../../../domain/fulfilment';

const task: ManualTaskResult = {
  status: 'waiting-for-agent',
  since: '2025-03-09T10:00:00.000Z',
  instructions: 'Search cabinet B',
  taskId: 'paper-archive:export:abc',
  action: 'export',
  timeoutHours: 72,
};
const exported: StoreResult = {
  status: 'exported',
  recordCount: 2,
  stagingKey: 'k',
  at: '2025-03-09T10:00:00Z',
};
const erased: StoreResult = {
  status: 'erased',
  deleted: 1,
  anonymised: 0,
  retained: 0,
  retainedBases: [],
  remaining: 0,
  at: '2025-03-09T10:00:00Z',
};
const failed: StoreResult = { status: 'failed', reason: 'x', at: '2025-03-09T10:00:00Z' };

function fulfilment(storeResults: Record<string, StoreResult>, extra: Partial<FulfilmentState> = {}) {
  return { action: 'export', plannedStores: ['a', 'b', 'c'], storeResults, ...extra } as FulfilmentState;
}
const built = (stores: string[], version?: number) => ({
  key: 'k',
  files: [],
  totalRecords: 0,
  at: '2025-03-09T10:00:00Z',
  stores,
  ...(version === undefined ? {} : { version }),
});

describe('manual tasks', () => {
  it('gives an agent the registry timeout from the moment the task opened', () => {
    expect(manualTaskDeadline(task)).toBe('2025-03-12T10:00:00.000Z');
  });

  it.each([
    ['an hour before the deadline', '2025-03-12T09:00:00.000Z', false],
    ['at the deadline', '2025-03-12T10:00:00.000Z', true],
    ['after the deadline', '2025-03-13T00:00:00.000Z', true],
  ])('times a task out %s', (_case, now, timedOut) => {
    expect(manualTaskTimedOut(task, now)).toBe(timedOut);
  });

  it('never times out a task an agent confirmed', () => {
    const confirmed = { ...task, completed: { by: 'alice', at: '2025-03-12T09:00:00Z' } };
    expect(manualTaskTimedOut(confirmed, '2025-04-01T00:00:00.000Z')).toBe(false);
  });

  it('counts only the tasks still waiting for an agent as open', () => {
    const confirmed = { ...task, completed: { by: 'alice', at: '2025-03-12T09:00:00Z' } };
    expect(openManualTasks({ a: task, b: confirmed, c: exported })).toEqual(['a']);
  });
});

describe('what a redrive runs again and delivers', () => {
  it('runs again only the planned stores that failed', () => {
    expect(failedStores(['a', 'b', 'c'], { a: exported, b: failed, c: task })).toEqual(['b']);
  });

  it.each([
    ['no package yet', fulfilment({ a: exported }), true],
    ['a package holding every exported store', fulfilment({ a: exported }, { package: built(['a']) }), false],
    [
      'a store exported after the package',
      fulfilment({ a: exported, b: exported }, { package: built(['a']) }),
      true,
    ],
  ])('builds a package when there is %s: %s', (_case, state, due) => {
    expect(packageIsDue(state)).toBe(due);
  });

  it.each([
    ['a package never mailed', fulfilment({}, { package: built(['a']) }), true],
    [
      'the first package mailed (before versions were recorded)',
      fulfilment({}, { package: built(['a']), deliveredAt: 'x' }),
      false,
    ],
    [
      'a second version after the first was mailed',
      fulfilment({}, { package: built(['a', 'b'], 2), deliveredAt: 'x', deliveredVersion: 1 }),
      true,
    ],
    [
      'the second version mailed',
      fulfilment({}, { package: built(['a', 'b'], 2), deliveredAt: 'x', deliveredVersion: 2 }),
      false,
    ],
  ])('mails a link for %s: %s', (_case, state, due) => {
    expect(deliveryIsDue(state)).toBe(due);
  });

  it.each([
    ['never sent', fulfilment({ a: erased }), true],
    [
      'sent, and nothing more done since',
      fulfilment({ a: erased, b: failed }, { summarySentAt: 'x', summarisedStores: ['a'] }),
      false,
    ],
    [
      'sent, and a redriven store done since',
      fulfilment({ a: erased, b: erased }, { summarySentAt: 'x', summarisedStores: ['a'] }),
      true,
    ],
  ])('sends the erasure summary when it was %s: %s', (_case, state, due) => {
    expect(summaryIsDue(state)).toBe(due);
  });
});
