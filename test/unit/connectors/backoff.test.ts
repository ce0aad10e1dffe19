import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, resolveBackoff, withBackoff } from '../../../connectors/backoff';

describe('backoffDelay', () => {
  it('stays within [0, min(cap, base * 2^retry)]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        (retry, r) => {
          const backoff = resolveBackoff({ baseDelayMs: 50, maxDelayMs: 5_000, random: () => r });
          const delay = backoffDelay(backoff, retry);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(Math.min(5_000, 50 * 2 ** retry));
        },
      ),
    );
  });
});

describe('withBackoff', () => {
  const instant = (delays: number[]) =>
    resolveBackoff({
      attempts: 4,
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });

  it('retries a retriable failure with growing delays until it succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withBackoff(
      instant(delays),
      () => true,
      async () => {
        calls++;
        if (calls < 3) throw new Error('throttled');
        return 'done';
      },
    );
    expect(result).toBe('done');
    expect(delays).toEqual([25, 50]);
  });

  it('gives up after the last attempt and rethrows the last error', async () => {
    let calls = 0;
    await expect(
      withBackoff(
        instant([]),
        () => true,
        async () => {
          calls++;
          throw new Error(`throttled ${calls}`);
        },
      ),
    ).rejects.toThrow('throttled 4');
  });

  it('does not retry an error that is not retriable', async () => {
    let calls = 0;
    await expect(
      withBackoff(
        instant([]),
        () => false,
        async () => {
          calls++;
          throw new Error('denied');
        },
      ),
    ).rejects.toThrow('denied');
    expect(calls).toBe(1);
  });
});
