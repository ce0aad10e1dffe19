/** SweepRequests: the timer sweep, every minute (app/timers/sweep.ts); `{ now }` sweeps as of that instant. */

import { sweepPorts } from '../adapters/aws/timer-ports';
import { scheduledTask } from '../adapters/lambda/scheduled-task';
import { parseSweepEvent, SweepIncomplete, sweepRequests } from '../app/timers/sweep';

export const handler = scheduledTask(async (event) => {
  const summary = await sweepRequests(sweepPorts, parseSweepEvent(event));
  // Every request was tried; the failed ones are retried by the next sweep (or this invocation's retry).
  if (summary.failed > 0) throw new SweepIncomplete(summary.failed);
  return summary;
});
