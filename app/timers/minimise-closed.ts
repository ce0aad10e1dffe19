/**
 * Replaces the clear values of closed requests by masked ones once their profile's
 * `clearValuesRetentionDays` have passed (domain/minimisation.ts). The sparse byClosedAt index holds
 * only closed requests that still have clear values, oldest close first, so the job reads no more
 * than the requests closed before the shortest retention of any profile.
 */
import { minimiseDueAt, minimiseRecord } from '../../domain/minimisation';
import { getPolicy, listPolicies } from '../../domain/policy/registry';
import { SWEEPER } from '../../domain/timers/timer-actions';
import type { RequestRepository } from '../ports';
import { StaleRequest } from '../request-writes';
import type { SweepTelemetry } from './ports';
import { errorNameOf } from './sweep-job';

const DAY_MS = 86_400_000;

export interface MinimiseClosedDeps {
  readonly requests: RequestRepository;
  readonly telemetry: SweepTelemetry;
}

export interface MinimiseClosedResult {
  readonly minimised: number;
  readonly failed: number;
}

export async function minimiseClosedRequests(
  deps: MinimiseClosedDeps,
  { now, pageSize }: { readonly now: Date; readonly pageSize: number },
): Promise<MinimiseClosedResult> {
  const shortest = Math.min(...listPolicies().map((policy) => policy.clearValuesRetentionDays));
  const closedBefore = new Date(now.getTime() - shortest * DAY_MS).toISOString();
  const isDue = (record: Parameters<typeof minimiseDueAt>[0] & { readonly policyId: string }) => {
    const due = minimiseDueAt(record, getPolicy(record.policyId).clearValuesRetentionDays);
    return due !== undefined && due.getTime() <= now.getTime();
  };
  let minimised = 0;
  let failed = 0;
  for await (const page of deps.requests.closedWithClearValues(closedBefore, pageSize)) {
    for (const candidate of page.filter(isDue)) {
      try {
        await deps.requests.mutate(candidate.requestId, (current) =>
          isDue(current) ? minimiseRecord(current, now.toISOString(), SWEEPER) : undefined,
        );
        minimised += 1;
      } catch (error) {
        // Reopened or changed meanwhile: the next run decides again.
        if (error instanceof StaleRequest) continue;
        failed += 1;
        deps.telemetry.error('Minimisation failed', {
          requestId: candidate.requestId,
          errorName: errorNameOf(error),
        });
      }
    }
  }
  if (minimised > 0) deps.telemetry.count('RequestsMinimised', minimised);
  return { minimised, failed };
}
