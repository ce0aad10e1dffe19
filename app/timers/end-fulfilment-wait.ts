/**
 * The sweep job that ends the wait of a verified request of a type that cannot be undone
 * (domain/fulfilment-wait.ts) once `fulfilmentNotBefore` has passed, and starts its fulfilment if it
 * has every approval it needs (otherwise the console's approval starts it: whichever comes last).
 *
 * The wait's end is written first, with the optimistic lock, so a cancel link clicked at the same
 * moment either wins (the request is cancelled and nothing starts) or loses (the link answers that
 * fulfilment has started). The start is idempotent (the execution is named after the request); if it
 * fails after the write, the reconciler finds the request with no execution and flags it.
 */
import { isApproved } from '../../domain/console/approval';
import { isWaitOver, waitEndedEvent } from '../../domain/fulfilment-wait';
import { getPolicy } from '../../domain/policy/registry';
import { SWEEPER } from '../../domain/timers/timer-actions';
import { currentExecutionName } from '../../domain/workflow-failure';
import type { SweepJob } from './sweep-job';

export const endFulfilmentWait = {
  name: 'end-fulfilment-wait',
  async run(deps, candidate, { now }) {
    if (!isWaitOver(candidate, now)) return 'unchanged';
    let ended = false;
    const saved = await deps.requests.mutate(candidate.requestId, (current) => {
      ended = isWaitOver(current, now);
      if (!ended) return undefined;
      const { fulfilmentNotBefore: _over, ...next } = current;
      return { next, events: [waitEndedEvent(current, SWEEPER, now.toISOString())] };
    });
    if (!ended) return 'unchanged';
    const approved = isApproved(saved, getPolicy(saved.policyId));
    if (approved) await deps.fulfilment.start(saved.requestId, currentExecutionName(saved));
    deps.telemetry.info('Fulfilment wait ended', {
      requestId: saved.requestId,
      started: approved,
    });
    return 'changed';
  },
} satisfies SweepJob;
