import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTION_BY_TYPE, closeFulfilment, type StoreResult } from '../../../domain/fulfilment';
import { REQUEST_TYPES } from '../../../domain/request';

const at = '2025-10-01T00:00:00Z';
const exported: StoreResult = { status: 'exported', recordCount: 3, stagingKey: 'k', at };
const erased = (remaining: number): StoreResult => ({
  status: 'erased',
  deleted: 2,
  anonymised: 1,
  retained: 1,
  retainedBases: ['PRC E-Commerce Law art. 31'],
  remaining,
  at,
});

describe('closing a fulfilment', () => {
  it('maps every request type to an action', () => {
    for (const type of REQUEST_TYPES) expect(ACTION_BY_TYPE[type]).toBeDefined();
  });

  it('is fulfilled when every planned store is done, retained records included', () => {
    expect(closeFulfilment(['a', 'b'], { a: exported, b: erased(0) })).toEqual({
      status: 'fulfilled',
      incomplete: [],
    });
  });

  it('is never fulfilled with a store missing', () => {
    expect(closeFulfilment(['a', 'b'], { a: exported })).toEqual({
      status: 'partially-fulfilled',
      incomplete: [{ storeId: 'b', reason: 'no result recorded' }],
    });
  });

  it('counts a store whose re-query still finds data as incomplete, with the count as the reason', () => {
    expect(closeFulfilment(['a'], { a: erased(2) }).incomplete).toEqual([
      { storeId: 'a', reason: '2 records still hold personal data after erasure' },
    ]);
  });

  it('carries the failure reason of a failed store', () => {
    const result = closeFulfilment(['a'], {
      a: { status: 'failed', reason: 'ConnectorPermanentError: denied', at },
    });
    expect(result).toEqual({
      status: 'partially-fulfilled',
      incomplete: [{ storeId: 'a', reason: 'ConnectorPermanentError: denied' }],
    });
  });

  it('is fulfilled exactly when no planned store is incomplete, for any mix of results', () => {
    const resultArb = fc.option(fc.constantFrom(exported, erased(0), erased(1)), { nil: undefined });
    fc.assert(
      fc.property(fc.array(resultArb, { maxLength: 8 }), (maybeResults) => {
        const stores = maybeResults.map((_, i) => `s${i}`);
        const results = Object.fromEntries(
          maybeResults.flatMap((r, i) => (r === undefined ? [] : [[`s${i}`, r] as const])),
        );
        const closure = closeFulfilment(stores, results);
        expect(closure.status === 'fulfilled').toBe(closure.incomplete.length === 0);
        expect(closure.incomplete.length).toBe(
          maybeResults.filter((r) => r === undefined || (r.status === 'erased' && r.remaining > 0)).length,
        );
      }),
    );
  });
});
