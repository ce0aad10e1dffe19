import { describe, expect, it } from 'vitest';
import { MAX_TIMER_DELAY_MS } from '../../../local/polyfills';

describe('local polyfills', () => {
  it('provides Promise.withResolvers for the ASL interpreter', async () => {
    const { promise, resolve } = (
      Promise as unknown as { withResolvers<T>(): { promise: Promise<T>; resolve(value: T): void } }
    ).withResolvers<string>();
    resolve('done');

    await expect(promise).resolves.toBe('done');
  });

  it('keeps a timer longer than 2^31-1 ms pending instead of firing it at once', async () => {
    let fired = false;
    const handle = setTimeout(() => {
      fired = true;
    }, MAX_TIMER_DELAY_MS * 1.5);
    await new Promise((resolve) => setTimeout(resolve, 30));
    clearTimeout(handle);

    expect(fired).toBe(false);
  });

  it('still fires an ordinary timer on time', async () => {
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});
