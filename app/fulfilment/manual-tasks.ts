/**
 * The task log of manual stores, kept on the request record: opening a task
 * records the store as `waiting-for-agent` with the registry's instructions
 * (what the console lists), and the outcome is what an agent confirmed through
 * the console (`completed` on that result). No task tokens and no task table:
 * the workflow polls the record, which stays the one source of truth.
 */

import type { AgentOutcome, ManualTask, ManualTaskLog } from '../../connectors/manual/manual-connector';
import {
  type ManualTaskCompletion,
  type ManualTaskResult,
  manualTaskDeadline,
  type StoreResult,
} from '../../domain/fulfilment';
import type { Clock, RequestRepository } from '../ports';
import { workflowActor } from './workflow';

/** What the requester's package says of a manual store when the agent left no note. */
export const SENT_SEPARATELY = 'Held on paper; sent separately';

/** The agent's confirmation in the connector's terms: one package line for an export, the counts for erasure. */
export function agentOutcomeOf(task: ManualTaskResult, completed: ManualTaskCompletion): AgentOutcome {
  switch (task.action) {
    case 'search':
      return { action: 'search', found: completed.exported?.records ?? 0 };
    case 'export':
      return {
        action: 'export',
        records: [
          {
            recordKey: `${task.taskId}#confirmation`,
            data: {
              howProvided: completed.note ?? SENT_SEPARATELY,
              filesSentSeparately: completed.exported?.files ?? 0,
              recordsSentSeparately: completed.exported?.records ?? 0,
              confirmedAt: completed.at,
            },
          },
        ],
      };
    case 'erase':
      return {
        action: 'erase',
        deleted: completed.deleted ?? 0,
        anonymised: 0,
        retained: completed.retained ?? 0,
        retainedBases: completed.retainedBases ?? [],
        // The agent confirms what they destroyed; what they kept is retained under its basis.
        remaining: 0,
      };
    case 'correct':
      // The done form carries counts and a note, not field values: a correction made on paper is
      // confirmed, but its before/after is not known to the pipeline.
      return { action: 'correct', records: [] };
  }
}

function taskOf(
  results: Readonly<Record<string, StoreResult>>,
  taskId: string,
): ManualTaskResult | undefined {
  return Object.values(results).find(
    (result): result is ManualTaskResult => result.status === 'waiting-for-agent' && result.taskId === taskId,
  );
}

/** One request's manual tasks, for the manual connector that ProcessStore builds for it. */
export class RequestTaskLog implements ManualTaskLog {
  constructor(
    private readonly requests: RequestRepository,
    private readonly requestId: string,
    private readonly clock: Clock,
  ) {}

  async open(task: ManualTask): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.requests.mutate(this.requestId, (current) => {
      const fulfilment = current.fulfilment;
      if (!fulfilment) return undefined;
      const existing = fulfilment.storeResults[task.storeId];
      // Open once; a failed store (timed out, then redriven) opens a new task.
      if (existing && existing.status !== 'failed') return undefined;
      const opened: ManualTaskResult = {
        status: 'waiting-for-agent',
        since: at,
        instructions: task.instructions,
        taskId: task.taskId,
        action: task.action,
        timeoutHours: task.timeoutHours,
      };
      return {
        next: {
          ...current,
          fulfilment: { ...fulfilment, storeResults: { ...fulfilment.storeResults, [task.storeId]: opened } },
        },
        events: [
          {
            type: 'manual-task-opened',
            actor: workflowActor,
            at,
            details: {
              storeId: task.storeId,
              taskId: task.taskId,
              action: task.action,
              deadline: manualTaskDeadline(opened),
            },
          },
        ],
      };
    });
  }

  async outcome(taskId: string): Promise<AgentOutcome | undefined> {
    const record = await this.requests.get(this.requestId);
    const task = taskOf(record.fulfilment?.storeResults ?? {}, taskId);
    return task?.completed ? agentOutcomeOf(task, task.completed) : undefined;
  }
}
