/** Option parsing shared by commands: dates and instants given on the command line. */
import { fileURLToPath } from 'node:url';
import { isPlainDate, type PlainDate } from '../domain/clock';
import { receivedOnFor } from '../domain/deadline';
import type { PolicyProfile } from '../domain/policy/schema';
import { UsageError } from './command';

/** Where `npm start` keeps its state unless told otherwise (commands that talk to it take --state-dir). */
export const DEFAULT_STATE_DIR = fileURLToPath(new URL('../.local', import.meta.url));

// An instant must carry its offset: without one, `new Date()` would read it in the server's zone,
// which is exactly the mistake legal dates must never make.
const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A date option: a plain date (YYYY-MM-DD, already in the policy's zone) or an ISO 8601 instant with
 * Z or an offset, which is turned into the plain date it falls on in the policy's time zone.
 */
export function parseDateOption(option: string, text: string, policy: PolicyProfile): PlainDate {
  if (isPlainDate(text)) return text;
  if (INSTANT_WITH_OFFSET.test(text)) {
    const instant = new Date(text);
    if (!Number.isNaN(instant.getTime())) return receivedOnFor(policy, instant);
  }
  throw new UsageError(
    `--${option} '${text}' is not a date: expected YYYY-MM-DD or an ISO 8601 instant with Z or an offset (2025-09-26T09:30:00+08:00)`,
  );
}

/** A whole number of units >= 0. */
export function parseCountOption(option: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--${option} '${text}' is not a whole number >= 0`);
  return Number(text);
}

export function requireOption(option: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`missing --${option}`);
  return value;
}

/** An ISO 8601 instant with Z or an offset (never read in the server's zone). */
export function parseInstantOption(option: string, text: string): Date {
  const instant = new Date(text);
  if (INSTANT_WITH_OFFSET.test(text) && !Number.isNaN(instant.getTime())) return instant;
  throw new UsageError(
    `--${option} '${text}' is not an ISO 8601 instant with Z or an offset (2025-10-31T09:00:00+08:00)`,
  );
}
