/**
 * Retrying what a store told us to retry: throttled calls and the unprocessed
 * part of a batch. Exponential backoff with full jitter ("AWS Architecture
 * Blog: Exponential Backoff and Jitter"): the delay before attempt n is a
 * random time in [0, min(cap, base * 2^n)], so many erasures throttled at the
 * same moment do not all come back at the same moment.
 */

export interface BackoffOptions {
  /** Attempts in all, the first included. @default 6 */
  readonly attempts?: number;
  /** @default 50 */
  readonly baseDelayMs?: number;
  /** @default 5_000 */
  readonly maxDelayMs?: number;
  /** Injected in tests; @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Injected in tests; @default Math.random */
  readonly random?: () => number;
}

export type ResolvedBackoff = Required<BackoffOptions>;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function resolveBackoff(options: BackoffOptions = {}): ResolvedBackoff {
  return {
    attempts: options.attempts ?? 6,
    baseDelayMs: options.baseDelayMs ?? 50,
    maxDelayMs: options.maxDelayMs ?? 5_000,
    sleep: options.sleep ?? defaultSleep,
    random: options.random ?? Math.random,
  };
}

/** The jittered delay before retry number `retry` (0 for the first retry). */
export function backoffDelay(backoff: ResolvedBackoff, retry: number): number {
  const ceiling = Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** retry);
  return Math.floor(backoff.random() * ceiling);
}

/**
 * Runs `operation` until it succeeds, `isRetriable` says an error is not worth
 * retrying, or the attempts are used up; the last error is rethrown.
 */
export async function withBackoff<T>(
  backoff: ResolvedBackoff,
  isRetriable: (error: unknown) => boolean,
  operation: () => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt + 1 >= backoff.attempts || !isRetriable(error)) throw error;
      await backoff.sleep(backoffDelay(backoff, attempt));
    }
  }
}
