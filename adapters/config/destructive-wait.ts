/**
 * The deployment's wait for destructive types (DESTRUCTIVE_WAIT_HOURS), over every policy's
 * `destructiveWaitHours` (domain/fulfilment-wait.ts): read by every function that verifies a request,
 * so a code and an agent's identity check start the same wait.
 */

/** A whole number of hours, else undefined: the policy's wait (the safe side) applies. */
export function destructiveWaitHours(value = process.env.DESTRUCTIVE_WAIT_HOURS): number | undefined {
  const hours = value === undefined || value === '' ? Number.NaN : Number(value);
  return Number.isSafeInteger(hours) && hours >= 0 ? hours : undefined;
}
