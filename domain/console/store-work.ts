/**
 * Console work on a request's stores: an agent confirms a manual store's task
 * (what they exported, deleted or kept, and why), and a failed store is run
 * again (a redrive). Pure: each returns the change to store and its audit
 * events; the handler writes them and, for a redrive, starts the execution.
 */

import { Conflict, InvalidInput } from '../errors';
import { failedStores, type ManualTaskCompletion } from '../fulfilment';
import { planTransition, type RequestStatus } from '../lifecycle';
import type { RequestRecord } from '../request-record';
import { redriveExecutionName } from '../workflow-failure';
import type { ActionContext, RecordChange } from './action';

/** The store has no open manual task on this request: never opened, already confirmed, or timed out. */
export class ManualTaskNotOpen extends Conflict {
  override readonly name = 'ManualTaskNotOpen' as const;
  readonly code = 'manual-task-not-open';
  constructor(readonly storeId: string) {
    super(`Store ${storeId} has no manual task waiting for an agent on this request`);
  }
}

/** Records kept need the legal basis they are kept under. */
export class RetentionBasisRequired extends InvalidInput {
  override readonly name = 'RetentionBasisRequired' as const;
  readonly code = 'retention-basis-required';
  override readonly field = 'retainedBases';
  constructor() {
    super('retainedBases: name the legal basis of every record kept (retained > 0)');
  }
}

/** Nothing to run again: no store of the request has failed, or the request is not fulfilling. */
export class NothingToRedrive extends Conflict {
  override readonly name = 'NothingToRedrive' as const;
  readonly code = 'nothing-to-redrive';
  constructor(reason: string) {
    super(`Nothing to redrive: ${reason}`);
  }
}

/** What the agent reports on confirming a manual task (POST …/stores/{storeId}/done). */
export interface ManualTaskReport {
  readonly exported?: { readonly files: number; readonly records: number };
  readonly deleted?: number;
  readonly retained?: number;
  readonly retainedBases?: readonly string[];
  readonly note?: string;
}

/** Statuses in which a workflow is (or may again be) fulfilling the request. */
const FULFILLING: readonly RequestStatus[] = ['in-progress', 'extended'];

/**
 * Confirms an open manual task with what the agent did. The store's result
 * stays `waiting-for-agent` with `completed` set: the workflow's next poll
 * turns it into the exported or erased result and moves on. A second call
 * finds no open task (ManualTaskNotOpen, 409).
 */
export function completeManualTask(
  record: RequestRecord,
  storeId: string,
  report: ManualTaskReport,
  context: ActionContext,
): RecordChange {
  const fulfilment = record.fulfilment;
  const result = fulfilment?.storeResults[storeId];
  if (
    !fulfilment ||
    !FULFILLING.includes(record.status) ||
    result?.status !== 'waiting-for-agent' ||
    result.completed !== undefined
  ) {
    throw new ManualTaskNotOpen(storeId);
  }
  const retained = report.retained ?? 0;
  if (retained > 0 && (report.retainedBases ?? []).length === 0) throw new RetentionBasisRequired();
  const completed: ManualTaskCompletion = {
    by: context.actor.id,
    at: context.at,
    ...(report.exported ? { exported: report.exported } : {}),
    ...(report.deleted !== undefined ? { deleted: report.deleted } : {}),
    ...(report.retained !== undefined ? { retained: report.retained } : {}),
    ...(report.retainedBases ? { retainedBases: report.retainedBases } : {}),
    ...(report.note ? { note: report.note } : {}),
  };
  return {
    next: {
      ...record,
      fulfilment: {
        ...fulfilment,
        storeResults: { ...fulfilment.storeResults, [storeId]: { ...result, completed } },
      },
    },
    events: [
      {
        type: 'manual-task-done',
        actor: context.actor,
        at: context.at,
        // Counts and bases only; the note stays on the request (its text may name the subject).
        details: {
          storeId,
          taskId: result.taskId,
          action: result.action,
          ...(report.exported ? { exportedFiles: report.exported.files } : {}),
          ...(report.exported ? { exportedRecords: report.exported.records } : {}),
          ...(report.deleted !== undefined ? { deleted: report.deleted } : {}),
          ...(report.retained !== undefined ? { retained: report.retained } : {}),
          ...(report.retainedBases ? { retainedBases: report.retainedBases } : {}),
          note: report.note !== undefined,
        },
      },
    ],
  };
}

export interface RedrivePlan {
  readonly change: RecordChange;
  readonly storeIds: readonly string[];
  readonly executionName: string;
}

/**
 * Runs the failed stores again: their results are removed (so the workflow's
 * ProcessStore does them again; stores already done are skipped there), a
 * partially fulfilled request returns to in-progress, and a new execution is
 * named. A request still running keeps its status: its running execution
 * closes it, and the redrive's execution closes it again once the stores are
 * done (CloseRequest may move partially-fulfilled to fulfilled).
 *
 * A request that needs attention (its workflow stopped: domain/workflow-failure.ts)
 * is run again from wherever it stopped, even when no store has run yet: it
 * returns to the status it had, and the new execution picks up from the record.
 */
export function planRedrive(record: RequestRecord, context: ActionContext): RedrivePlan {
  const fulfilment = record.fulfilment;
  const stuck = record.status === 'needs-attention';
  if (!fulfilment && !stuck) throw new NothingToRedrive('fulfilment has not started');
  if (!stuck && record.status !== 'partially-fulfilled' && !FULFILLING.includes(record.status)) {
    throw new NothingToRedrive(`the request is ${record.status}`);
  }
  const storeIds = fulfilment ? failedStores(fulfilment.plannedStores, fulfilment.storeResults) : [];
  if (storeIds.length === 0 && !stuck) throw new NothingToRedrive('no store has failed');
  const redrives = Math.max(record.redrives ?? 0, fulfilment?.redrives ?? 0) + 1;
  const executionName = redriveExecutionName(record.requestId, redrives);
  const resumeTo: RequestStatus | undefined = stuck
    ? (record.attention?.from ?? (fulfilment ? 'in-progress' : 'verified'))
    : record.status === 'partially-fulfilled'
      ? 'in-progress'
      : undefined;
  const reason =
    storeIds.length > 0 ? `redrive of ${storeIds.join(', ')}` : 'redrive of the stopped workflow';
  const { attention: _cleared, ...rest } = record;
  return {
    storeIds,
    executionName,
    change: {
      next: {
        ...rest,
        ...(resumeTo ? { status: resumeTo } : {}),
        redrives,
        ...(fulfilment
          ? {
              fulfilment: {
                ...fulfilment,
                storeResults: Object.fromEntries(
                  Object.entries(fulfilment.storeResults).filter(([storeId]) => !storeIds.includes(storeId)),
                ),
                redrives,
                executionName,
              },
            }
          : {}),
      },
      events: [
        ...(resumeTo
          ? [planTransition(record.status, { to: resumeTo, actor: context.actor, at: context.at, reason })]
          : []),
        {
          type: 'stores-redriven',
          actor: context.actor,
          at: context.at,
          details: { storeIds, execution: executionName, redrive: redrives },
        },
      ],
    },
  };
}
