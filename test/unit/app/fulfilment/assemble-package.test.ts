import { describe, expect, it } from 'vitest';
import { MemoryPackageBuilder } from '../../../../adapters/memory/memory-package-builder';
import { assemblePackage } from '../../../../app/fulfilment/assemble-package';
import { AT, demoStores, fixedClock, fulfilmentOf, NOW, REQUEST_ID, repositoryWith } from './support';

const exported = (storeId: string, recordCount: number) =>
  ({ status: 'exported', recordCount, stagingKey: `${REQUEST_ID}/${storeId}.jsonl`, at: AT }) as const;
const failed = { status: 'failed', reason: 'X', at: AT } as const;

describe('assemblePackage', () => {
  it('packages every exported store, with its registry description, and records the package', async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['accounts', 'orders', 'comments'], {
        accounts: exported('accounts', 1),
        orders: exported('orders', 3),
        comments: failed,
      }),
    });
    const packages = new MemoryPackageBuilder();

    await assemblePackage(
      { requests, stores: demoStores, packages, clock: fixedClock },
      { requestId: REQUEST_ID },
    );

    expect(packages.built).toHaveLength(1);
    const input = packages.built[0];
    expect(input?.now).toEqual(NOW);
    expect(input?.stores.map((store) => [store.storeId, store.stagingKey, store.recordCount])).toEqual([
      ['accounts', `${REQUEST_ID}/accounts.jsonl`, 1],
      ['orders', `${REQUEST_ID}/orders.jsonl`, 3],
    ]);
    expect(input?.stores[0]?.description).toMatch(/accounts/i);
    expect((await requests.get(REQUEST_ID)).fulfilment?.package).toMatchObject({
      key: `${REQUEST_ID}/package.zip`,
      totalRecords: 4,
      at: AT,
      version: 1,
      stores: ['accounts', 'orders'],
    });
    expect((await requests.trail(REQUEST_ID)).at(-1)).toMatchObject({
      type: 'package-created',
      at: AT,
      details: { files: 4, totalRecords: 4, version: 1 },
    });
  });

  it('builds nothing when run a second time', async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['orders'], { orders: exported('orders', 3) }),
    });
    const packages = new MemoryPackageBuilder();
    const deps = { requests, stores: demoStores, packages, clock: fixedClock };
    await assemblePackage(deps, { requestId: REQUEST_ID });
    const trail = await requests.trail(REQUEST_ID);

    await assemblePackage(deps, { requestId: REQUEST_ID });

    expect(packages.built).toHaveLength(1);
    expect(await requests.trail(REQUEST_ID)).toEqual(trail);
  });

  it('builds the next version once a redrive exported a store the package lacks', async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf(
        'export',
        ['accounts', 'orders'],
        { accounts: exported('accounts', 1), orders: exported('orders', 3) },
        {
          package: {
            key: `${REQUEST_ID}/package.zip`,
            files: [],
            totalRecords: 1,
            at: AT,
            version: 1,
            stores: ['accounts'],
          },
        },
      ),
    });
    const packages = new MemoryPackageBuilder();

    await assemblePackage(
      { requests, stores: demoStores, packages, clock: fixedClock },
      { requestId: REQUEST_ID },
    );

    expect((await requests.get(REQUEST_ID)).fulfilment?.package).toMatchObject({
      version: 2,
      stores: ['accounts', 'orders'],
    });
  });

  it('builds nothing for an erasure', async () => {
    const { requests } = await repositoryWith({
      type: 'deletion',
      status: 'in-progress',
      fulfilment: fulfilmentOf('erase', ['orders']),
    });
    const packages = new MemoryPackageBuilder();

    await assemblePackage(
      { requests, stores: demoStores, packages, clock: fixedClock },
      { requestId: REQUEST_ID },
    );

    expect(packages.built).toEqual([]);
  });
});
