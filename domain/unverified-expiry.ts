/**
 * When a request whose requester never proved who they are lapses. The
 * policy's `unverifiedExpiryDays` are calendar days in the policy's time zone,
 * counted like every legal period here: from the day of receipt, that day not
 * counted. A request received on D with 30 days is still open all of D + 30
 * and expired from D + 31. Pure: `now` comes in as an argument.
 */
import { addDays, compareDates, type PlainDate, plainDateInZone } from './clock';
import { receivedOnFor } from './deadline';
import type { PolicyProfile } from './policy/schema';
import type { RequestRecord } from './request-record';

/** The last day a request received at `receivedAt` (ISO instant) may still be verified. */
export function lastDayToVerify(policy: PolicyProfile, receivedAt: string): PlainDate {
  return addDays(receivedOnFor(policy, new Date(receivedAt)), policy.unverifiedExpiryDays);
}

/** Whether `record` has waited for verification past its policy's window at `now`. */
export function isUnverifiedExpired(
  policy: PolicyProfile,
  record: Pick<RequestRecord, 'status' | 'receivedAt'>,
  now: Date,
): boolean {
  if (record.status !== 'pending-verification') return false;
  const today = plainDateInZone(now, policy.timeZone);
  return compareDates(today, lastDayToVerify(policy, record.receivedAt)) > 0;
}
