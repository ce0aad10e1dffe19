import { describe, expect, it } from 'vitest';
import { MemoryConnectorFactory } from '../../../../adapters/memory/memory-connector-factory';
import { MemoryStagingArea } from '../../../../adapters/memory/memory-staging-area';
import { ManualTaskTimedOut, processStore } from '../../../../app/fulfilment/process-store';
import type { ErasureContext, ExportedRecord, SubjectIdentity } from '../../../../connectors/contract';
import { ConnectorPermanentError } from '../../../../connectors/contract';
import type { ManualTaskResult } from '../../../../domain/fulfilment';
import { AT, fakeConnector, fixedClock, fulfilmentOf, REQUEST_ID, repositoryWith } from './support';

const order = (n: number): ExportedRecord => ({
  storeId: 'orders',
  category: 'orders',
  recordKey: `demo-orders#acc-7#o-${n}`,
  data: { orderId: `o-${n}`, total: n * 10 },
});

function depsFor(requests: Parameters<typeof processStore>[0]['requests']) {
  const exportedFor: SubjectIdentity[] = [];
  const erasures: ErasureContext[] = [];
  const connectors = new MemoryConnectorFactory({
    orders: fakeConnector('orders', {
      export: async function* (identity) {
        exportedFor.push(identity);
        yield order(1);
        yield order(2);
      },
      erase: async (_identity, context) => {
        erasures.push(context);
        return { deleted: 2, anonymised: 0, retained: 0, retainedBases: [], receipts: ['r-1'] };
      },
      verifyErasure: async () => ({ remaining: 0, anonymised: 1, retained: 1, retainedBases: ['Tax law'] }),
    }),
  });
  const staging = new MemoryStagingArea();
  const deps = {
    requests,
    connectors,
    staging,
    secrets: { hashKey: async () => 'hmac-key' },
    clock: fixedClock,
  };
  return { deps, staging, connectors, exportedFor, erasures };
}

describe('processStore', () => {
  it("stages a store's records with the verified and resolved identifiers, and records the count", async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['orders'], {}, { resolvedIdentifiers: { accountId: 'acc-7' } }),
    });
    const { deps, staging, exportedFor } = depsFor(requests);

    const output = await processStore(deps, { requestId: REQUEST_ID, storeId: 'orders', action: 'export' });

    expect(output).toEqual({ requestId: REQUEST_ID, storeId: 'orders', status: 'exported' });
    expect(exportedFor).toEqual([{ email: 'li.lei@example.com', accountId: 'acc-7' }]);
    expect(staging.objects.get(`${REQUEST_ID}/orders.jsonl`)).toEqual([order(1), order(2)]);
    expect((await requests.get(REQUEST_ID)).fulfilment?.storeResults.orders).toEqual({
      status: 'exported',
      recordCount: 2,
      stagingKey: `${REQUEST_ID}/orders.jsonl`,
      at: AT,
    });
    const event = (await requests.trail(REQUEST_ID)).at(-1);
    expect(event).toMatchObject({
      type: 'store-processed',
      at: AT,
      details: { storeId: 'orders', status: 'exported', recordCount: 2 },
    });
    expect(JSON.stringify(event)).not.toContain('o-1');
  });

  it('erases with the HMAC key and the clock, and records what remains by count and basis', async () => {
    const { requests } = await repositoryWith({
      type: 'deletion',
      status: 'in-progress',
      fulfilment: fulfilmentOf('erase', ['orders']),
    });
    const { deps, erasures } = depsFor(requests);

    await processStore(deps, { requestId: REQUEST_ID, storeId: 'orders', action: 'erase' });

    expect(erasures).toEqual([{ requestId: REQUEST_ID, hmacKey: 'hmac-key', now: AT }]);
    expect((await requests.get(REQUEST_ID)).fulfilment?.storeResults.orders).toEqual({
      status: 'erased',
      deleted: 2,
      anonymised: 1,
      retained: 1,
      retainedBases: ['Tax law'],
      remaining: 0,
      receipts: ['r-1'],
      at: AT,
    });
    expect((await requests.trail(REQUEST_ID)).at(-1)?.details).toEqual({
      storeId: 'orders',
      status: 'erased',
      deleted: 2,
      anonymised: 1,
      retained: 1,
      retainedBases: ['Tax law'],
      remaining: 0,
      receipts: 1,
    });
  });

  it('does not touch a store again when run a second time (no second erasure)', async () => {
    const { requests } = await repositoryWith({
      type: 'deletion',
      status: 'in-progress',
      fulfilment: fulfilmentOf('erase', ['orders']),
    });
    const { deps, erasures, connectors } = depsFor(requests);
    await processStore(deps, { requestId: REQUEST_ID, storeId: 'orders', action: 'erase' });
    const trail = await requests.trail(REQUEST_ID);
    connectors.requested.length = 0;

    const second = await processStore(deps, { requestId: REQUEST_ID, storeId: 'orders', action: 'erase' });

    expect(second.status).toBe('erased');
    expect(erasures).toHaveLength(1);
    expect(connectors.requested).toEqual([]);
    expect(await requests.trail(REQUEST_ID)).toEqual(trail);
  });

  it('runs a failed store again', async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['orders'], { orders: { status: 'failed', reason: 'X', at: AT } }),
    });
    const { deps } = depsFor(requests);

    const output = await processStore(deps, { requestId: REQUEST_ID, storeId: 'orders', action: 'export' });

    expect(output.status).toBe('exported');
  });

  it("lets a connector's permanent error through by name for the Catch, recording nothing", async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['orders']),
    });
    const failing = new MemoryConnectorFactory({
      orders: fakeConnector('orders', {
        // biome-ignore lint/correctness/useYield: fails before the first record
        export: async function* () {
          throw new ConnectorPermanentError('orders', 'table gone');
        },
      }),
    });
    const { deps } = depsFor(requests);

    await expect(
      processStore(
        { ...deps, connectors: failing },
        { requestId: REQUEST_ID, storeId: 'orders', action: 'export' },
      ),
    ).rejects.toMatchObject({ name: 'ConnectorPermanentError' });
    expect(await requests.trail(REQUEST_ID)).toHaveLength(1);
  });

  describe('a manual store', () => {
    const task: ManualTaskResult = {
      status: 'waiting-for-agent',
      since: '2025-03-09T02:00:00.000Z',
      instructions: 'Search cabinet B',
      taskId: 'paper-archive:export:abc',
      action: 'export',
      timeoutHours: 72,
    };

    it('answers waiting-for-agent while the task is open, touching no connector', async () => {
      const { requests } = await repositoryWith({
        status: 'in-progress',
        fulfilment: fulfilmentOf('export', ['paper-archive'], { 'paper-archive': task }),
      });
      const { deps, connectors } = depsFor(requests);

      const output = await processStore(deps, {
        requestId: REQUEST_ID,
        storeId: 'paper-archive',
        action: 'export',
      });

      expect(output.status).toBe('waiting-for-agent');
      expect(connectors.requested).toEqual([]);
    });

    it('fails with ManualTaskTimedOut past the registry timeout', async () => {
      const { requests } = await repositoryWith({
        status: 'in-progress',
        fulfilment: fulfilmentOf('export', ['paper-archive'], {
          'paper-archive': { ...task, since: '2025-03-01T00:00:00.000Z' },
        }),
      });
      const { deps } = depsFor(requests);

      await expect(
        processStore(deps, { requestId: REQUEST_ID, storeId: 'paper-archive', action: 'export' }),
      ).rejects.toBeInstanceOf(ManualTaskTimedOut);
    });
  });
});
