import { describe, expect, it } from 'vitest';
import { MemoryConnectorFactory } from '../../../../adapters/memory/memory-connector-factory';
import { recordWorkflowFailure } from '../../../../app/fulfilment/record-workflow-failure';
import { resolveIdentity } from '../../../../app/fulfilment/resolve-identity';
import { AmbiguousSubjectError, type SubjectIdentity } from '../../../../connectors/contract';
import {
  AT,
  demoStores,
  fakeConnector,
  fixedClock,
  fulfilmentOf,
  REQUEST_ID,
  repositoryWith,
} from './support';

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

describe('resolveIdentity when a store matches more than one subject', () => {
  const ambiguous = () =>
    new MemoryConnectorFactory({
      accounts: fakeConnector('accounts', {
        find: async () => {
          throw new AmbiguousSubjectError('accounts', 'accountId', 2);
        },
      }),
      loyalty: fakeConnector('loyalty', {
        find: async () => ({ count: 1, resolved: { accountId: 'acc-guessed' } }),
      }),
    });

  it('stops the request for an agent: needs-attention, kind ambiguous-identity, the store named, nothing resolved', async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('erase', ['accounts', 'loyalty', 'orders']),
    });
    const factory = ambiguous();

    const resolving = resolveIdentity(
      { requests, connectors: factory, clock: fixedClock },
      { requestId: REQUEST_ID, resolverStores: ['accounts', 'loyalty'] },
    );

    // Thrown on to the workflow's Catch, which ends the execution: no store is processed.
    await expect(resolving).rejects.toMatchObject({ name: 'AmbiguousSubjectError', retriable: false });
    const record = await requests.get(REQUEST_ID);
    expect(record.status).toBe('needs-attention');
    expect(record.attention).toMatchObject({
      kind: 'ambiguous-identity',
      reason: expect.stringMatching(/^ambiguous-identity: store accounts /),
      storeId: 'accounts',
      step: 'ResolveIdentity',
      error: 'AmbiguousSubjectError',
      attempts: 1,
      from: 'in-progress',
      at: AT,
    });
    expect(record.fulfilment?.resolvedIdentifiers).toBeUndefined();
    // The stores after the ambiguous one are not asked: nothing is resolved from a guess.
    expect(factory.requested.map((entry) => entry.storeId)).not.toContain('loyalty');
    expect((await requests.trail(REQUEST_ID)).at(-1)).toMatchObject({
      type: 'workflow-failed',
      details: { kind: 'ambiguous-identity', storeId: 'accounts' },
    });
  });

  it('keeps that record when the workflow Catch then records the failure', async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['accounts']),
    });
    await resolveIdentity(
      { requests, connectors: ambiguous(), clock: fixedClock },
      { requestId: REQUEST_ID, resolverStores: ['accounts'] },
    ).catch(() => undefined);
    const stopped = await requests.get(REQUEST_ID);

    const error = new AmbiguousSubjectError('accounts', 'accountId', 2);
    await recordWorkflowFailure(
      { requests, stores: demoStores, clock: fixedClock, retriers: () => [] },
      {
        requestId: REQUEST_ID,
        failed: {
          ResolveIdentity: { Error: error.name, Cause: JSON.stringify({ errorMessage: error.message }) },
        },
      },
    );

    expect((await requests.get(REQUEST_ID)).attention).toEqual(stopped.attention);
  });
});
