import { describe, expect, it } from 'vitest';
import { fulfilmentRetriers } from '../../../../adapters/config/workflow-definition';
import { recordWorkflowFailure } from '../../../../app/fulfilment/record-workflow-failure';
import { AT, demoStores, fixedClock, fulfilmentOf, REQUEST_ID, repositoryWith } from './support';

const storeDown = {
  Error: 'ConnectorTransientError',
  Cause: JSON.stringify({
    errorMessage: 'loyalty: find failed (ECONNREFUSED)',
    errorType: 'ConnectorTransientError',
  }),
};

describe('recordWorkflowFailure', () => {
  it('moves the request to needs-attention naming the step, the store, the error and the attempts', async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['accounts', 'loyalty']),
    });
    const deps = { requests, stores: demoStores, clock: fixedClock, retriers: fulfilmentRetriers };

    const output = await recordWorkflowFailure(deps, {
      requestId: REQUEST_ID,
      failed: { ResolveIdentity: storeDown },
      execution: REQUEST_ID,
    });

    expect(output).toEqual({ requestId: REQUEST_ID, status: 'needs-attention' });
    const stored = await requests.get(REQUEST_ID);
    expect(stored.status).toBe('needs-attention');
    expect(stored.attention).toEqual({
      reason: 'ResolveIdentity failed on store loyalty: ConnectorTransientError',
      step: 'ResolveIdentity',
      storeId: 'loyalty',
      error: 'ConnectorTransientError',
      attempts: 4,
      execution: REQUEST_ID,
      detectedBy: 'workflow',
      at: AT,
      from: 'in-progress',
    });
    const trail = await requests.trail(REQUEST_ID);
    expect(trail.slice(-2)).toMatchObject([
      { type: 'status-changed', details: { from: 'in-progress', to: 'needs-attention' } },
      {
        type: 'workflow-failed',
        details: { step: 'ResolveIdentity', storeId: 'loyalty', attempts: 4, detectedBy: 'workflow' },
      },
    ]);
  });

  it('names no store for an error that is not a store’s, and counts one attempt for an unretried error', async () => {
    const { requests } = await repositoryWith({ status: 'verified' });
    const deps = { requests, stores: demoStores, clock: fixedClock, retriers: fulfilmentRetriers };

    await recordWorkflowFailure(deps, {
      requestId: REQUEST_ID,
      failed: { LoadRequest: { Error: 'FulfilmentNotApproved', Cause: 'needs an approval' } },
    });

    const stored = await requests.get(REQUEST_ID);
    expect(stored.attention).toMatchObject({ step: 'LoadRequest', attempts: 1, from: 'verified' });
    expect(stored.attention?.storeId).toBeUndefined();
  });

  it('leaves a request alone that closed or already needs attention (a repeated catch writes once)', async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('erase', []),
    });
    const deps = { requests, stores: demoStores, clock: fixedClock, retriers: fulfilmentRetriers };
    const input = { requestId: REQUEST_ID, failed: { CloseRequest: { Error: 'StaleRequest' } } };

    await recordWorkflowFailure(deps, input);
    const before = await requests.trail(REQUEST_ID);
    await recordWorkflowFailure(deps, input);

    expect(await requests.trail(REQUEST_ID)).toHaveLength(before.length);
  });
});
