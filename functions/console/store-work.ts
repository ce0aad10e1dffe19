/**
 * Work on a request's stores, one Lambda:
 *
 * - POST …/{id}/stores/{storeId}/done: an agent confirms a manual store's task
 *   with what they did (exported, deleted, kept and why, a note); the
 *   workflow, which polls the request, moves on at its next poll. A second
 *   call finds no open task (409).
 * - POST …/{id}/redrive: the failed stores run again in a new execution
 *   (`<id>-redrive-<n>`); stores already done are not touched. Calling again
 *   while that redrive runs starts nothing new (the same execution name).
 */
import type { z } from 'zod';
import { getRequest } from '../../adapters/aws/request-store';
import { startFulfilment } from '../../adapters/aws/workflow-starter';
import { type ConsoleEvent, consoleRoutes, consoleRouteWithBody } from '../../adapters/lambda/console-api';
import { jsonResponse } from '../../adapters/lambda/http-api';
import { changeRequest } from '../../app/console/console-actions';
import { ManualTaskDoneSchema, RedriveSchema } from '../../domain/console/console-input';
import { completeManualTask, NothingToRedrive, planRedrive } from '../../domain/console/store-work';
import { deps } from './production-deps';

async function done(event: ConsoleEvent<z.output<typeof ManualTaskDoneSchema>>) {
  const { body, caller, requestId, storeId } = event;
  await changeRequest(deps, requestId, caller, (current, _policy, context) =>
    completeManualTask(current, storeId, body, context),
  );
  return jsonResponse(200, { requestId, storeId, confirmed: true });
}

async function redrive(event: ConsoleEvent<z.output<typeof RedriveSchema>>) {
  const { caller, requestId } = event;
  let planned: { storeIds: readonly string[]; executionName: string } | undefined;
  try {
    await changeRequest(deps, requestId, caller, (current, _policy, context) => {
      const plan = planRedrive(current, context);
      planned = { storeIds: plan.storeIds, executionName: plan.executionName };
      return plan.change;
    });
  } catch (error) {
    if (!(error instanceof NothingToRedrive)) throw error;
    // A repeated call (or a retry after the start failed): start the recorded redrive again, a no-op if it runs.
    const stored = await getRequest(requestId);
    const redrives = stored.fulfilment?.redrives ?? 0;
    const running = stored.status === 'in-progress' || stored.status === 'extended';
    if (!running || redrives === 0 || stored.fulfilment?.executionName === undefined) throw error;
    await startFulfilment(requestId, stored.fulfilment.executionName);
    return jsonResponse(200, {
      requestId,
      execution: stored.fulfilment.executionName,
      alreadyRedriven: true,
    });
  }
  await startFulfilment(requestId, planned!.executionName);
  return jsonResponse(200, { requestId, storeIds: planned!.storeIds, execution: planned!.executionName });
}

export const handler = consoleRoutes({
  'POST /v1/console/requests/{id}/stores/{storeId}/done': consoleRouteWithBody(
    { schema: ManualTaskDoneSchema },
    done,
  ),
  'POST /v1/console/requests/{id}/redrive': consoleRouteWithBody({ schema: RedriveSchema }, redrive),
});
