import { describe, expect, it } from 'vitest';
import { FulfilmentNotApproved, loadRequest } from '../../../../app/fulfilment/load-request';
import { AT, demoStores, fixedClock, fulfilmentOf, REQUEST_ID, repositoryWith } from './support';

const settings = { agentPollSeconds: 60, maxConcurrency: 2 };
const PLAN = [
  'accounts',
  'loyalty',
  'orders',
  'comments',
  'device-logs',
  'invoices',
  'uploads',
  'newsletter-processor',
];

describe('loadRequest', () => {
  it('moves a verified request to in-progress and plans the resolvers first', async () => {
    const { requests } = await repositoryWith({ type: 'access', status: 'verified' });
    const deps = { requests, stores: demoStores, clock: fixedClock, settings };

    const output = await loadRequest(deps, { requestId: REQUEST_ID });

    expect(output).toEqual({
      requestId: REQUEST_ID,
      proceed: true,
      action: 'export',
      resolverStores: ['accounts', 'loyalty'],
      stores: PLAN,
      agentPollSeconds: 60,
      maxConcurrency: 2,
      transfer: false,
    });
    const stored = await requests.get(REQUEST_ID);
    expect(stored.status).toBe('in-progress');
    expect(stored.fulfilment).toEqual(fulfilmentOf('export', PLAN));
    const trail = await requests.trail(REQUEST_ID);
    expect(trail.at(-1)).toMatchObject({
      type: 'status-changed',
      actor: { kind: 'system', id: 'fulfilment-workflow' },
      at: AT,
      details: { from: 'verified', to: 'in-progress' },
    });
  });

  it('changes nothing when run a second time', async () => {
    const { requests } = await repositoryWith({ type: 'deletion', status: 'verified' });
    const deps = { requests, stores: demoStores, clock: fixedClock, settings };
    const first = await loadRequest(deps, { requestId: REQUEST_ID });
    const afterFirst = await requests.get(REQUEST_ID);

    const second = await loadRequest(deps, { requestId: REQUEST_ID });

    expect(second).toEqual(first);
    expect(await requests.get(REQUEST_ID)).toEqual(afterFirst);
    expect(await requests.trail(REQUEST_ID)).toHaveLength(2);
  });

  it('plans a resumable request that has no plan yet without a status change', async () => {
    const { requests } = await repositoryWith({ type: 'access', status: 'extended' });
    const deps = { requests, stores: demoStores, clock: fixedClock, settings };

    const output = await loadRequest(deps, { requestId: REQUEST_ID });

    expect(output.proceed).toBe(true);
    expect((await requests.get(REQUEST_ID)).status).toBe('extended');
    expect(await requests.trail(REQUEST_ID)).toHaveLength(1);
  });

  it('does not proceed for a type an agent fulfils, and records nothing', async () => {
    const { requests } = await repositoryWith({ type: 'correction', status: 'verified' });
    const deps = { requests, stores: demoStores, clock: fixedClock, settings };

    const output = await loadRequest(deps, { requestId: REQUEST_ID });

    expect(output).toMatchObject({ proceed: false, stores: [], resolverStores: [] });
    expect((await requests.get(REQUEST_ID)).status).toBe('verified');
  });

  it('refuses a request whose policy needs an approval it does not have', async () => {
    const { requests } = await repositoryWith({ type: 'portability', status: 'verified' });
    const deps = { requests, stores: demoStores, clock: fixedClock, settings };

    await expect(loadRequest(deps, { requestId: REQUEST_ID })).rejects.toBeInstanceOf(FulfilmentNotApproved);
    expect((await requests.get(REQUEST_ID)).status).toBe('verified');
  });
});
