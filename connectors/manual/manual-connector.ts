/**
 * The connector for a store a person must handle (a paper archive, a system
 * with no API): each operation becomes a task for an agent, shown in the
 * console with the store's instructions, and the connector reports what the
 * agent recorded on completing it. Nothing here touches the store itself.
 *
 * How the workflow sees "waiting":
 * - `erase` opens the erasure task (once per request: re-runs find the same
 *   task) and returns at once: a `ManualErasureOutcome` whose `status` is
 *   `waiting-for-agent` (or `recorded-by-agent` if the agent has already
 *   finished). Its counts are 0 because erase itself changed nothing; what the
 *   agent destroyed is reported by `verifyErasure`.
 * - `verifyErasure`, `find` and `export` throw `ManualTaskPending` while the
 *   agent has not recorded the task's outcome. The ASL matches that error
 *   name: Retry it (e.g. hourly) or Catch it into a Wait/Choice loop, for at
 *   most the store's `timeoutHours`, then record the store as failed.
 *
 * - `correct` opens a correction task carrying the changes (once per request)
 *   and reports `pending` until the agent records, field by field, what the
 *   record held before and whether it changed; then `applied` with that.
 *
 * Tasks are kept by a `ManualTaskLog` (the console's task store), given to
 * the constructor; the erasure task is keyed by the request id, the search
 * and export tasks by a hash of the subject's identifiers (the contract gives
 * find/export no request id).
 */
import { createHash } from 'node:crypto';
import { DsarError } from '../../domain/errors';
import type { StoreDefinition } from '../../domain/stores/schema';
import {
  assertCorrectable,
  type Connector,
  type CorrectedField,
  type CorrectionContext,
  type CorrectionOutcome,
  type ErasureContext,
  type ErasureOutcome,
  type ExportedRecord,
  type FieldChange,
  type RemainingData,
  type SubjectIdentity,
} from '../contract';

export type ManualStoreDefinition = Extract<StoreDefinition, { kind: 'manual' }>;

export type ManualAction = 'search' | 'export' | 'erase' | 'correct';

/** A piece of work for an agent. It carries the subject's identifiers: the agent needs them to search. */
export interface ManualTask {
  readonly taskId: string;
  readonly storeId: string;
  readonly action: ManualAction;
  /** The request, for erasure tasks. */
  readonly requestId?: string;
  readonly identity: SubjectIdentity;
  /** The fields to set, for correction tasks. */
  readonly changes?: readonly FieldChange[];
  readonly instructions: string;
  readonly timeoutHours: number;
}

export interface AgentExportedRecord {
  readonly recordKey: string;
  /** One of the store's categories; the store's first category if omitted or unknown. */
  readonly category?: string;
  /** What the agent transcribed or attached (e.g. `{ scan: 's3://…', formDate: '2024-05-01' }`). */
  readonly data: Readonly<Record<string, unknown>>;
}

/** What the agent recorded on completing a task. */
export type AgentOutcome =
  | { readonly action: 'search'; readonly found: number }
  | { readonly action: 'export'; readonly records: readonly AgentExportedRecord[] }
  | ({ readonly action: 'erase' } & Omit<ErasureOutcome, 'receipts'> & RemainingData)
  | { readonly action: 'correct'; readonly records: readonly CorrectedField[] };

/** Where tasks are opened and their outcomes read: the console's task store. */
export interface ManualTaskLog {
  /** Opens the task unless a task with its `taskId` exists already (then nothing changes). */
  open(task: ManualTask): Promise<void>;
  /** The agent's recorded outcome, or undefined while the task is open. */
  outcome(taskId: string): Promise<AgentOutcome | undefined>;
}

/** The agent has not finished the task yet: poll again later (the ASL matches this name). */
export class ManualTaskPending extends DsarError {
  override readonly name = 'ManualTaskPending' as const;
  readonly code = 'manual-task-pending';
  readonly taskId: string;
  readonly storeId: string;
  readonly action: ManualAction;
  readonly instructions: string;
  readonly timeoutHours: number;
  constructor(task: ManualTask) {
    // No identifiers in the message: it ends up in the execution history.
    super(`${task.storeId}: waiting for an agent to ${task.action} (task ${task.taskId})`);
    this.taskId = task.taskId;
    this.storeId = task.storeId;
    this.action = task.action;
    this.instructions = task.instructions;
    this.timeoutHours = task.timeoutHours;
  }
}

export interface ManualErasureOutcome extends ErasureOutcome {
  readonly status: 'waiting-for-agent' | 'recorded-by-agent';
  readonly taskId: string;
  readonly instructions: string;
  readonly timeoutHours: number;
}

function hasIdentifiers(identity: SubjectIdentity): boolean {
  return Object.values(identity).some((value) => value !== undefined && value !== '');
}

/** A stable key for one subject's identifiers, so a repeated search finds the same task. */
function subjectKey(identity: SubjectIdentity): string {
  const entries = Object.entries(identity)
    .filter(([, value]) => value !== undefined && value !== '')
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url').slice(0, 22);
}

const NOTHING_REMAINS: RemainingData = { remaining: 0, anonymised: 0, retained: 0, retainedBases: [] };

export class ManualConnector implements Connector {
  constructor(
    readonly store: ManualStoreDefinition,
    private readonly log: ManualTaskLog,
  ) {}

  /** Nothing to reach: the store is a person. The task log is checked by the console's own health. */
  async healthCheck(): Promise<void> {}

  async find(identity: SubjectIdentity): Promise<{ count: number; resolved: SubjectIdentity }> {
    if (!hasIdentifiers(identity)) return { count: 0, resolved: {} };
    const outcome = await this.outcomeOf(this.task('search', identity), 'search');
    return { count: outcome.found, resolved: {} };
  }

  async *export(identity: SubjectIdentity): AsyncIterable<ExportedRecord> {
    if (!hasIdentifiers(identity)) return;
    const outcome = await this.outcomeOf(this.task('export', identity), 'export');
    const categories = this.store.categories.map((category) => category.id);
    for (const record of outcome.records) {
      yield {
        storeId: this.store.id,
        category:
          record.category !== undefined && categories.includes(record.category)
            ? record.category
            : (categories[0] ?? ''),
        recordKey: record.recordKey,
        data: record.data,
      };
    }
  }

  async erase(identity: SubjectIdentity, context: ErasureContext): Promise<ManualErasureOutcome> {
    const task = this.task('erase', identity, context.requestId);
    const nothing = { deleted: 0, anonymised: 0, retained: 0, retainedBases: [] };
    const described = {
      taskId: task.taskId,
      instructions: task.instructions,
      timeoutHours: task.timeoutHours,
    };
    if (!hasIdentifiers(identity)) return { ...nothing, ...described, status: 'recorded-by-agent' };
    await this.log.open(task);
    const recorded = await this.log.outcome(task.taskId);
    return { ...nothing, ...described, status: recorded ? 'recorded-by-agent' : 'waiting-for-agent' };
  }

  async verifyErasure(identity: SubjectIdentity, context: ErasureContext): Promise<RemainingData> {
    if (!hasIdentifiers(identity)) return NOTHING_REMAINS;
    const task = this.task('erase', identity, context.requestId);
    const recorded = await this.log.outcome(task.taskId);
    if (recorded?.action !== 'erase') throw new ManualTaskPending(task);
    return {
      remaining: recorded.remaining,
      anonymised: recorded.anonymised,
      retained: recorded.retained,
      retainedBases: recorded.retainedBases,
    };
  }

  async correct(
    identity: SubjectIdentity,
    changes: readonly FieldChange[],
    context: CorrectionContext,
  ): Promise<CorrectionOutcome> {
    assertCorrectable(this.store, changes);
    if (!hasIdentifiers(identity)) return { status: 'applied', records: [] };
    const task = { ...this.task('correct', identity, context.requestId), changes };
    await this.log.open(task);
    const recorded = await this.log.outcome(task.taskId);
    if (recorded?.action !== 'correct') {
      return { status: 'pending', records: [], waitingFor: 'agent', reference: task.taskId };
    }
    return { status: 'applied', records: recorded.records };
  }

  private task(action: ManualAction, identity: SubjectIdentity, requestId?: string): ManualTask {
    const key = action === 'erase' || action === 'correct' ? requestId : subjectKey(identity);
    return {
      taskId: `${this.store.id}:${action}:${key}`,
      storeId: this.store.id,
      action,
      ...(requestId === undefined ? {} : { requestId }),
      identity,
      instructions: this.store.manual.instructions,
      timeoutHours: this.store.manual.timeoutHours,
    };
  }

  /** Opens the task and returns the agent's outcome, or throws ManualTaskPending. */
  private async outcomeOf<A extends AgentOutcome['action']>(
    task: ManualTask,
    action: A,
  ): Promise<Extract<AgentOutcome, { action: A }>> {
    await this.log.open(task);
    const recorded = await this.log.outcome(task.taskId);
    if (recorded?.action !== action) throw new ManualTaskPending(task);
    return recorded as Extract<AgentOutcome, { action: A }>;
  }
}
