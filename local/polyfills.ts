/**
 * A runtime shim that local mode needs (Lambda's own timers never see such delays).
 * Import this module before anything from `aws-local-stepfunctions`.
 *
 * `setTimeout` delays above 2^31-1 ms (~24.8 days): Node (22 as 20) turns such a delay into 1 ms with
 * only a warning. The interpreter sleeps with plain `setTimeout`, so a `Wait` until a statutory deadline
 * 30 or 45 days away would end at once — for a DSAR pipeline that means acting early. Longer delays are
 * split into equal interval ticks on ONE timer object, so `clearTimeout` on the returned handle still
 * cancels it. Shorter delays go straight to Node, unchanged.
 *
 * (`Promise.withResolvers`, which the interpreter also calls, is Node 22's own: the project runs on the
 * Node 22 that `npm ci` installs, see package.json `optionalDependencies`.)
 */

/** Thrown at import on a Node older than 22: the ASL interpreter would fail later, and obscurely. */
export class NodeTooOld extends Error {
  override readonly name = 'NodeTooOld' as const;
}

if (typeof (Promise as unknown as { withResolvers?: unknown }).withResolvers !== 'function') {
  throw new NodeTooOld(
    `Local mode runs on Node 22 or later, and this is ${process.version}: run it through npm (npm start, npm test), ` +
      'which uses the Node 22 that npm ci installs on Linux, or install Node 22.',
  );
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
