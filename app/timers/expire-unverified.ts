/**
 * The sweep job that closes requests nobody verified within their policy's `unverifiedExpiryDays`
 * (domain/unverified-expiry.ts). Decided on the index copy, decided again on a consistent read, written
 * with the optimistic lock; the closed request leaves the open-request index.
 */
import { planTransition } from '../../domain/lifecycle';
import { getPolicy } from '../../domain/policy/registry';
import { SWEEPER } from '../../domain/timers/timer-actions';
import { isUnverifiedExpired } from '../../domain/unverified-expiry';
import type { SweepJob } from './sweep-job';

export const expireUnverified = {
  name: 'expire-unverified',
  async run(deps, candidate, { now }) {
    if (!isUnverifiedExpired(getPolicy(candidate.policyId), candidate, now)) return 'unchanged';
    const record = await deps.requests.get(candidate.requestId);
    const policy = getPolicy(record.policyId);
    if (!isUnverifiedExpired(policy, record, now)) return 'unchanged';
    const event = planTransition(record.status, {
      to: 'expired-unverified',
      actor: SWEEPER,
      at: now.toISOString(),
      reason: `not verified within ${policy.unverifiedExpiryDays} days of receipt`,
    });
    // The repository derives the index keys: a closed request leaves the sparse byDueDate index.
    await deps.requests.save(record, { ...record, status: 'expired-unverified' }, [event]);
    deps.telemetry.count('RequestExpiredUnverified');
    deps.telemetry.info('Request expired unverified', { requestId: record.requestId, policy: policy.id });
    return 'changed';
  },
} satisfies SweepJob;
