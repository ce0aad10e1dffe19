import { describe, expect, it } from 'vitest';
import { MAX_TIMER_DELAY_MS } from '../../../local/polyfills';

describe('local polyfills', () => {
  it('runs on a Node that has Promise.withResolvers, which the ASL interpreter calls', () => {
    expect(typeof (Promise as unknown as { withResolvers?: unknown }).withResolvers).toBe('function');
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
