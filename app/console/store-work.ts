/**
 * Work on a request's stores:
 *
 * - an agent confirms a manual store's task with what they did (exported, deleted, kept and why, a
 *   note); the workflow, which polls the request, moves on at its next poll. A second call finds no
 *   open task (ManualTaskNotOpen, 409).
 * - the failed stores run again in a new execution (`<id>-redrive-<n>`); stores already done are not
 *   touched. Calling again while that redrive runs starts nothing new (the same execution name).
 */
import type { z } from 'zod';
import type { ManualTaskDoneSchema } from '../../domain/console/console-input';
import { completeManualTask, NothingToRedrive, planRedrive } from '../../domain/console/store-work';
import { currentExecutionName, WORKFLOW_STATUSES } from '../../domain/workflow-failure';
import { changeRequest } from './console-actions';
import type { ActionDeps, ConsoleUser, FulfilmentActionDeps } from './ports';

export async function confirmManualTask(
  deps: ActionDeps,
  caller: ConsoleUser,
  requestId: string,
  storeId: string,
  report: z.output<typeof ManualTaskDoneSchema>,
) {
  await changeRequest(deps, requestId, caller, (current, _policy, context) =>
    completeManualTask(current, storeId, report, context),
  );
  return { requestId, storeId, confirmed: true };
}

/** What a redrive needs: the console action's ports and the workflow it starts. */
export type RedriveDeps = ActionDeps & Pick<FulfilmentActionDeps, 'fulfilment'>;

export async function redriveFailedStores(deps: RedriveDeps, caller: ConsoleUser, requestId: string) {
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
    const stored = await deps.requests.get(requestId);
    const redrives = Math.max(stored.redrives ?? 0, stored.fulfilment?.redrives ?? 0);
    // A stopped workflow with no plan yet is redriven back to verified (domain/console/store-work.ts).
    if (!WORKFLOW_STATUSES.includes(stored.status) || redrives === 0) throw error;
    const execution = currentExecutionName(stored);
    await deps.fulfilment.start(requestId, execution);
    return { requestId, execution, alreadyRedriven: true as const };
  }
  const { storeIds, executionName } = planned!;
  await deps.fulfilment.start(requestId, executionName);
  return { requestId, storeIds, execution: executionName };
}
