import { describe, expect, it } from 'vitest';
import { closeRequest } from '../../../../app/fulfilment/close-request';
import { getPolicy } from '../../../../domain/policy/registry';
import { AT, fixedClock, fulfilmentOf, REQUEST_ID, repositoryWith } from './support';

const exported = { status: 'exported', recordCount: 2, stagingKey: 'k', at: AT } as const;
const erased = {
  status: 'erased',
  deleted: 3,
  anonymised: 0,
  retained: 0,
  retainedBases: [],
  remaining: 0,
  at: AT,
} as const;

describe('closeRequest', () => {
  it('closes as fulfilled when every planned store finished', async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['accounts', 'orders'], { accounts: exported, orders: exported }),
    });

    const output = await closeRequest({ requests, clock: fixedClock }, { requestId: REQUEST_ID });

    expect(output).toEqual({ requestId: REQUEST_ID, status: 'fulfilled' });
    expect((await requests.trail(REQUEST_ID)).at(-1)).toMatchObject({
      type: 'status-changed',
      at: AT,
      details: { from: 'in-progress', to: 'fulfilled' },
    });
  });

  it('closes as partially fulfilled with the missing stores as the reason', async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['accounts', 'orders'], {
        accounts: exported,
        orders: { status: 'failed', reason: 'ConnectorPermanentError: gone', at: AT },
      }),
    });

    const output = await closeRequest({ requests, clock: fixedClock }, { requestId: REQUEST_ID });

    expect(output.status).toBe('partially-fulfilled');
    const last = (await requests.trail(REQUEST_ID)).at(-1);
    expect(last?.details).toMatchObject({ to: 'partially-fulfilled' });
    expect(String(last?.details?.reason)).toContain('orders');
  });

  it("records the policy's backup caveat on an erasure", async () => {
    const { requests } = await repositoryWith({
      type: 'deletion',
      status: 'in-progress',
      fulfilment: fulfilmentOf('erase', ['accounts'], { accounts: erased }),
    });

    await closeRequest({ requests, clock: fixedClock }, { requestId: REQUEST_ID });

    const stored = await requests.get(REQUEST_ID);
    expect(stored.fulfilment?.backupCaveat).toBe(getPolicy(stored.policyId).backupCaveat);
  });

  it('changes nothing when run a second time', async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['accounts'], { accounts: exported }),
    });
    await closeRequest({ requests, clock: fixedClock }, { requestId: REQUEST_ID });
    const trail = await requests.trail(REQUEST_ID);

    const second = await closeRequest({ requests, clock: fixedClock }, { requestId: REQUEST_ID });

    expect(second.status).toBe('fulfilled');
    expect(await requests.trail(REQUEST_ID)).toEqual(trail);
  });

  it('moves a partially fulfilled request on to fulfilled once a redrive completed it', async () => {
    const { requests } = await repositoryWith({
      status: 'partially-fulfilled',
      fulfilment: fulfilmentOf('export', ['accounts'], { accounts: exported }),
    });

    const output = await closeRequest({ requests, clock: fixedClock }, { requestId: REQUEST_ID });

    expect(output.status).toBe('fulfilled');
  });
});
