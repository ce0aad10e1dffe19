import { describe, expect, it } from 'vitest';
import { endFulfilmentWait } from '../../../../app/timers/end-fulfilment-wait';
import { reconcileWorkflows } from '../../../../app/timers/reconcile-workflows';
import { asOf, memoryPorts, storeRequest } from './support';

const VERIFIED_AT = '2025-03-03T01:00:00.000Z';
const NOT_BEFORE = '2025-03-04T01:00:00.000Z';

async function waiting(type: 'deletion' | 'portability', policyId = 'system') {
  const deps = memoryPorts(NOT_BEFORE);
  const record = await storeRequest(deps.requests, policyId, {
    type,
    status: 'verified',
    receivedAt: VERIFIED_AT,
    fulfilmentNotBefore: NOT_BEFORE,
  });
  return { deps, record };
}

describe('the end-fulfilment-wait job', () => {
  it('leaves a request alone until its wait is over', async () => {
    const { deps, record } = await waiting('deletion');
    expect(await endFulfilmentWait.run(deps, record, asOf('2025-03-04T00:59:59.999Z'))).toBe('unchanged');
    expect(deps.fulfilment.started).toEqual([]);
  });

  it('ends the wait on the trail and starts fulfilment under the request’s execution name, once', async () => {
    const { deps, record } = await waiting('deletion');
    expect(await endFulfilmentWait.run(deps, record, asOf(NOT_BEFORE))).toBe('changed');

    const stored = await deps.requests.get(record.requestId);
    expect(stored).not.toHaveProperty('fulfilmentNotBefore');
    expect((await deps.requests.trail(record.requestId)).at(-1)).toMatchObject({
      type: 'fulfilment-wait-ended',
      actor: { kind: 'system', id: 'SweepRequests' },
      at: NOT_BEFORE,
      details: { notBefore: NOT_BEFORE },
    });
    expect(deps.fulfilment.executions).toEqual([record.requestId]);
    // The index copy is stale: decided again on the stored request, nothing more happens.
    expect(await endFulfilmentWait.run(deps, record, asOf(NOT_BEFORE))).toBe('unchanged');
    expect(deps.fulfilment.started).toHaveLength(1);
  });

  it('ends the wait of a request still awaiting its approval without starting it (the approval will)', async () => {
    const { deps, record } = await waiting('portability', 'gdpr');
    expect(await endFulfilmentWait.run(deps, record, asOf(NOT_BEFORE))).toBe('changed');
    expect(await deps.requests.get(record.requestId)).not.toHaveProperty('fulfilmentNotBefore');
    expect(deps.fulfilment.started).toEqual([]);
  });

  it('is not taken by the reconciler for a stuck request while it waits', async () => {
    const { deps, record } = await waiting('deletion');
    deps.clock.set('2025-03-04T00:30:00.000Z');
    expect(await reconcileWorkflows.run(deps, record, asOf('2025-03-04T00:30:00.000Z'))).toBe('unchanged');
    expect((await deps.requests.get(record.requestId)).status).toBe('verified');
  });
});
