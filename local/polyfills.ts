/**
 * Runtime shims that local mode needs on Node 20 (Lambda itself runs Node 22).
 * Import this module before anything from `aws-local-stepfunctions`.
 *
 * - `Promise.withResolvers` (ES2024, Node 22+): the ASL interpreter calls it
 *   in every Task state and fails with a TypeError without it.
 * - `setTimeout` delays above 2^31-1 ms (~24.8 days): Node silently turns such
 *   a delay into 1 ms. The interpreter sleeps with plain `setTimeout`, so a
 *   `Wait` until a statutory deadline 30 or 45 days away would end at once —
 *   for a DSAR pipeline that means acting early. Longer delays are split into
 *   equal interval ticks on ONE timer object, so `clearTimeout` on the returned
 *   handle still cancels it. Shorter delays go straight to Node, unchanged.
 */

interface PromiseWithResolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

const promiseConstructor = Promise as PromiseConstructor & {
  withResolvers?: <T>() => PromiseWithResolvers<T>;
};

if (typeof promiseConstructor.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(): PromiseWithResolvers<T> {
      let resolve!: PromiseWithResolvers<T>['resolve'];
      let reject!: PromiseWithResolvers<T>['reject'];
      const promise = new Promise<T>((onResolve, onReject) => {
        resolve = onResolve;
        reject = onReject;
      });
      return { promise, resolve, reject };
    },
  });
}

/** The longest delay Node's timers accept (a signed 32-bit millisecond count). */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

const LONG_TIMEOUT_MARKER = Symbol.for('dsar.local.longSetTimeout');

type TimerCallback = (...args: unknown[]) => void;
type SetTimeoutFunction = (callback: TimerCallback, delay?: number, ...args: unknown[]) => unknown;

const globalTimers = globalThis as unknown as {
  setTimeout: SetTimeoutFunction & { [LONG_TIMEOUT_MARKER]?: true };
  setInterval: (callback: TimerCallback, delay?: number) => { unref?: () => void };
  clearInterval: (handle: unknown) => void;
};

if (!globalTimers.setTimeout[LONG_TIMEOUT_MARKER]) {
  const nodeSetTimeout = globalTimers.setTimeout;
  const nodeSetInterval = globalTimers.setInterval;
  const nodeClearInterval = globalTimers.clearInterval;

  const setTimeoutAllowingLongDelays = (callback: TimerCallback, delay?: number, ...args: unknown[]) => {
    if (typeof delay !== 'number' || !(delay > MAX_TIMER_DELAY_MS) || !Number.isFinite(delay)) {
      return nodeSetTimeout(callback, delay, ...args);
    }
    // Equal ticks: the total overshoots by at most `ticks` milliseconds.
    const ticks = Math.ceil(delay / MAX_TIMER_DELAY_MS);
    const tickDelay = Math.ceil(delay / ticks);
    let elapsedTicks = 0;
    const handle = nodeSetInterval(() => {
      elapsedTicks += 1;
      if (elapsedTicks >= ticks) {
        nodeClearInterval(handle);
        callback(...args);
      }
    }, tickDelay);
    return handle;
  };
  // Keep Node's own properties (e.g. `util.promisify.custom`) so promisified timers behave as before.
  for (const key of Reflect.ownKeys(nodeSetTimeout)) {
    const descriptor = Object.getOwnPropertyDescriptor(nodeSetTimeout, key);
    if (descriptor && !(key in setTimeoutAllowingLongDelays)) {
      Object.defineProperty(setTimeoutAllowingLongDelays, key, descriptor);
    }
  }
  Object.defineProperty(setTimeoutAllowingLongDelays, LONG_TIMEOUT_MARKER, { value: true });
  globalTimers.setTimeout = setTimeoutAllowingLongDelays;
}
