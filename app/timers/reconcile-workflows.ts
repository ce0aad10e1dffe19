/**
 * The sweep's reconciler: no request is left behind by a workflow that stopped.
 * A request a workflow should be running (domain/workflow-failure.ts
 * `expectsWorkflow`) moves to `needs-attention` when its current execution
 * FAILED, TIMED_OUT or was ABORTED without recording why (the record step failed
 * too, or the runtime died), or when no execution has run it for longer than
 * the slowest step may take (never started, or ended with the request still
 * open). Each one gets the status with the reason, a `workflow-failed` event, a
 * line in the console queue and the `StuckRequests` metric the operators'
 * alarm watches.
 *
 * Execution states are facts of now: the real clock decides, never a sweep
 * replayed as of another time. Asking Step Functions about every open request
 * every minute would spend its API quota for nothing, so the job looks every
 * `everyMinutes` (the workflow's own Catch records the usual failures at once;
 * this is the backstop).
 */
import { STUCK_REQUESTS_METRIC } from '../../definitions/metrics';
import { isApproved } from '../../domain/console/approval';
import { getPolicy } from '../../domain/policy/registry';
import type { RequestRecord } from '../../domain/request-record';
import { SWEEPER } from '../../domain/timers/timer-actions';
import {
  currentExecutionName,
  expectsWorkflow,
  planNeedsAttention,
  stuckVerdict,
} from '../../domain/workflow-failure';
import type { SweepJob, SweepJobDeps } from './sweep-job';

const expected = (record: RequestRecord) =>
  expectsWorkflow(record, isApproved(record, getPolicy(record.policyId)));

/** When the request last changed: its newest audit event (every write adds one). */
async function lastChange(deps: SweepJobDeps, record: RequestRecord): Promise<Date> {
  const trail = await deps.requests.trail(record.requestId);
  return new Date(trail.at(-1)?.at ?? record.receivedAt);
}

export const reconcileWorkflows = {
  name: 'reconcile-workflows',
  async run(deps, candidate, _context) {
    const now = deps.clock.now();
    if (now.getUTCMinutes() % deps.reconciler.everyMinutes !== 0) return 'unchanged';
    if (!expected(candidate)) return 'unchanged';
    const name = currentExecutionName(candidate);
    const run = await deps.workflows.describe(name);
    const stuckAfterMs = deps.reconciler.stuckAfterSeconds * 1000;
    const verdict = stuckVerdict(
      { name, ...(run ?? {}) },
      now,
      run ? run.startedAt : await lastChange(deps, candidate),
      stuckAfterMs,
    );
    if (!verdict) return 'unchanged';
    let changed = false;
    // Decided again on the stored request: a redrive or the workflow may have moved it meanwhile.
    await deps.requests.mutate(candidate.requestId, (current) => {
      if (!expected(current) || currentExecutionName(current) !== name) return undefined;
      const change = planNeedsAttention(current, verdict, SWEEPER, now.toISOString());
      changed = change !== undefined;
      return change;
    });
    if (!changed) return 'unchanged';
    deps.telemetry.count(STUCK_REQUESTS_METRIC);
    deps.telemetry.warn('Request needs attention: its workflow stopped', {
      requestId: candidate.requestId,
      execution: name,
      ...(run ? { executionStatus: run.status } : { executionStatus: 'NOT_FOUND' }),
    });
    return 'changed';
  },
} satisfies SweepJob;
