import { describe, expect, it } from 'vitest';
import { failureReason, recordStoreFailure } from '../../../../app/fulfilment/record-store-failure';
import { AT, fixedClock, fulfilmentOf, REQUEST_ID, repositoryWith } from './support';

const error = {
  Error: 'ConnectorPermanentError',
  Cause: JSON.stringify({ errorMessage: 'table demo-orders does not exist' }),
};

describe('recordStoreFailure', () => {
  it('records the store as failed with the error name and message, on the request and the trail', async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['orders']),
    });

    const output = await recordStoreFailure(
      { requests, clock: fixedClock },
      { requestId: REQUEST_ID, storeId: 'orders', error },
    );

    const reason = 'ConnectorPermanentError: table demo-orders does not exist';
    expect(output).toEqual({ requestId: REQUEST_ID, storeId: 'orders', status: 'failed' });
    expect((await requests.get(REQUEST_ID)).fulfilment?.storeResults.orders).toEqual({
      status: 'failed',
      reason,
      at: AT,
    });
    expect((await requests.trail(REQUEST_ID)).at(-1)).toMatchObject({
      type: 'store-failed',
      at: AT,
      details: { storeId: 'orders', reason },
    });
  });

  it('keeps the result of a store that finished meanwhile', async () => {
    const exported = { status: 'exported', recordCount: 1, stagingKey: 'k', at: AT } as const;
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['orders'], { orders: exported }),
    });

    await recordStoreFailure(
      { requests, clock: fixedClock },
      { requestId: REQUEST_ID, storeId: 'orders', error },
    );

    expect((await requests.get(REQUEST_ID)).fulfilment?.storeResults.orders).toEqual(exported);
    expect(await requests.trail(REQUEST_ID)).toHaveLength(1);
  });

  it('records a failure again when run a second time (a failed store stays failed, with the last reason)', async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['orders']),
    });
    const deps = { requests, clock: fixedClock };
    await recordStoreFailure(deps, { requestId: REQUEST_ID, storeId: 'orders', error });
    const first = await requests.get(REQUEST_ID);

    await recordStoreFailure(deps, { requestId: REQUEST_ID, storeId: 'orders', error });

    expect((await requests.get(REQUEST_ID)).fulfilment).toEqual(first.fulfilment);
  });

  it.each([
    [{ Error: 'States.Timeout' }, 'States.Timeout'],
    [{ Error: 'X', Cause: 'not json' }, 'X: not json'],
    [undefined, 'UnknownError'],
  ])('names the failure from the Catch output %j', (caught, expected) => {
    expect(failureReason(caught)).toBe(expected);
  });
});
