import { describe, expect, it } from 'vitest';
import { MemoryConnectorFactory } from '../../../../adapters/memory/memory-connector-factory';
import { resolveIdentity } from '../../../../app/fulfilment/resolve-identity';
import type { SubjectIdentity } from '../../../../connectors/contract';
import { AT, fakeConnector, fixedClock, fulfilmentOf, REQUEST_ID, repositoryWith } from './support';

const asked: SubjectIdentity[] = [];
const connectors = () =>
  new MemoryConnectorFactory({
    accounts: fakeConnector('accounts', {
      find: async (identity) => {
        asked.push(identity);
        return { count: 1, resolved: { accountId: 'acc-7' } };
      },
    }),
    loyalty: fakeConnector('loyalty', {
      find: async (identity) => {
        asked.push(identity);
        // A store may answer an identifier already known: the verified one wins.
        return { count: 1, resolved: { accountId: 'other', email: 'spoofed@example.com' } };
      },
    }),
  });

describe('resolveIdentity', () => {
  it('asks the resolver stores in order and records the kinds resolved, never their values, on the trail', async () => {
    asked.length = 0;
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['accounts', 'loyalty', 'orders']),
    });

    await resolveIdentity(
      { requests, connectors: connectors(), clock: fixedClock },
      { requestId: REQUEST_ID, resolverStores: ['accounts', 'loyalty'] },
    );

    expect(asked).toEqual([
      { email: 'li.lei@example.com' },
      { email: 'li.lei@example.com', accountId: 'acc-7' },
    ]);
    expect((await requests.get(REQUEST_ID)).fulfilment?.resolvedIdentifiers).toEqual({ accountId: 'acc-7' });
    const event = (await requests.trail(REQUEST_ID)).at(-1);
    expect(event).toMatchObject({
      type: 'store-processed',
      at: AT,
      details: { step: 'resolve-identity', resolvedKinds: ['accountId'] },
    });
    expect(JSON.stringify(event)).not.toContain('acc-7');
  });

  it('asks no store when run a second time', async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['accounts']),
    });
    const factory = connectors();
    const deps = { requests, connectors: factory, clock: fixedClock };
    await resolveIdentity(deps, { requestId: REQUEST_ID, resolverStores: ['accounts'] });
    const trail = await requests.trail(REQUEST_ID);
    factory.requested.length = 0;

    await resolveIdentity(deps, { requestId: REQUEST_ID, resolverStores: ['accounts'] });

    expect(factory.requested).toEqual([]);
    expect(await requests.trail(REQUEST_ID)).toEqual(trail);
  });

  it('does nothing for a request without a fulfilment plan', async () => {
    const { requests } = await repositoryWith({ status: 'verified' });
    const factory = connectors();

    await resolveIdentity(
      { requests, connectors: factory, clock: fixedClock },
      { requestId: REQUEST_ID, resolverStores: ['accounts'] },
    );

    expect(factory.requested).toEqual([]);
  });
});
