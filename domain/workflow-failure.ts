/**
 * When the fulfilment workflow cannot go on: what is recorded on the request so
 * that a person sees it and can run it again. Two paths lead here, and both end
 * in the same status and the same record:
 *
 * - the workflow's own `Catch` (statemachines/fulfilment.asl.json): a step failed
 *   for good or ran out of retries; the step, the store if any, the error and the
 *   attempts are known;
 * - the sweeper's reconciler: the execution FAILED, TIMED_OUT or was ABORTED
 *   without recording anything (the record step failed too, or the runtime died),
 *   or no execution has run the request for longer than the slowest step may take.
 *
 * Pure: the time and the failure come in as arguments.
 */

import type { Attention } from './attention';
import type { AuditEventBody } from './audit';
import { ACTION_BY_TYPE } from './fulfilment';
import { type Actor, planTransition, type RequestStatus } from './lifecycle';
import type { RequestRecord } from './request-record';

export type AttentionInput = Omit<Attention, 'at' | 'from'>;

/** The statuses in which a workflow is expected to be running the request. */
export const WORKFLOW_STATUSES: readonly RequestStatus[] = ['verified', 'in-progress', 'extended'];

export interface AttentionChange {
  readonly next: RequestRecord;
  readonly events: readonly AuditEventBody[];
}

/**
 * Moves a request whose workflow stopped to `needs-attention`, with the reason
 * and a `workflow-failed` event. Undefined (nothing to write) when the request
 * is no longer one a workflow runs: closed, waiting for the requester, or
 * already needing attention (the first record stands).
 */
export function planNeedsAttention(
  record: RequestRecord,
  failure: AttentionInput,
  actor: Actor,
  at: string,
): AttentionChange | undefined {
  if (!WORKFLOW_STATUSES.includes(record.status)) return undefined;
  const attention: Attention = { ...failure, at, from: record.status };
  return {
    next: { ...record, status: 'needs-attention', attention },
    events: [
      planTransition(record.status, { to: 'needs-attention', actor, at, reason: failure.reason }),
      {
        type: 'workflow-failed',
        actor,
        at,
        details: {
          detectedBy: failure.detectedBy,
          ...(failure.kind ? { kind: failure.kind } : {}),
          ...(failure.step ? { step: failure.step } : {}),
          ...(failure.storeId ? { storeId: failure.storeId } : {}),
          ...(failure.error ? { error: failure.error } : {}),
          ...(failure.attempts !== undefined ? { attempts: failure.attempts } : {}),
          ...(failure.execution ? { execution: failure.execution } : {}),
        },
      },
    ],
  };
}

/**
 * The stop a resolving store's refusal of an ambiguous match leads to
 * (connectors/contract.ts AmbiguousSubjectError): the request waits for an
 * agent; no retry and no fulfilment with one of the matches picked.
 */
export function ambiguousIdentityAttention(
  storeId: string,
  identifier: string,
  matches: number,
  detectedBy: Attention['detectedBy'],
): AttentionInput {
  return {
    kind: 'ambiguous-identity',
    reason: `ambiguous-identity: store ${storeId} matches ${matches} different ${identifier} values for the verified identifiers; an agent must decide who the requester is`,
    step: 'ResolveIdentity',
    storeId,
    error: 'AmbiguousSubjectError',
    attempts: 1,
    detectedBy,
  };
}

/** The part of an ASL retrier that decides how often a step runs. */
export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly MaxAttempts?: number;
}

/**
 * How many times a step ran before its Catch took `errorName`: Step Functions
 * uses the first retrier that matches (States.ALL matches any error, and
 * MaxAttempts defaults to 3), and a Catch fires only once that retrier is spent.
 * An error no retrier matches ran once.
 */
export function attemptsBeforeCatch(retriers: readonly Retrier[], errorName: string): number {
  const retrier = retriers.find(
    (candidate) => candidate.ErrorEquals.includes(errorName) || candidate.ErrorEquals.includes('States.ALL'),
  );
  return 1 + (retrier ? (retrier.MaxAttempts ?? 3) : 0);
}

/**
 * The registered store an error names: our connector errors start with
 * `<storeId>: ` (connectors/contract.ts). The longest matching id wins, so a
 * store `crm` does not claim `crm-archive`'s error.
 */
export function storeNamedBy(message: string, storeIds: readonly string[]): string | undefined {
  return [...storeIds]
    .sort((a, b) => b.length - a.length)
    .find((storeId) => message.startsWith(`${storeId}: `));
}

/** The error's message from a Step Functions `Cause` (a Lambda error's JSON, or plain text). */
export function causeMessage(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}

/**
 * The execution now responsible for the request: the latest redrive's, else
 * the first (named after the request). What the reconciler asks Step Functions about.
 */
export function currentExecutionName(record: RequestRecord): string {
  const redrives = Math.max(record.redrives ?? 0, record.fulfilment?.redrives ?? 0);
  return redrives > 0 ? redriveExecutionName(record.requestId, redrives) : record.requestId;
}

/** The execution of the n-th redrive: distinct from the first (named after the request) and from each other. */
export function redriveExecutionName(requestId: string, redrive: number): string {
  return `${requestId}-redrive-${redrive}`;
}

/**
 * Whether a workflow should be running the request now: an automated type
 * (export or erasure; agents handle the others), approved where its policy
 * needs an approval (until then nothing starts), in a status a workflow runs in.
 */
export function expectsWorkflow(record: RequestRecord, approved: boolean): boolean {
  if (!WORKFLOW_STATUSES.includes(record.status) || record.type === undefined) return false;
  // A request still waiting after verification (domain/fulfilment-wait.ts) has no workflow yet.
  if (record.fulfilmentNotBefore !== undefined) return false;
  return ACTION_BY_TYPE[record.type] !== 'agent' && approved;
}

/** What the reconciler knows about the request's current execution (app/timers/ports.ts WorkflowRun). */
export interface ExecutionFacts {
  readonly name: string;
  readonly status?: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly stoppedAt?: Date;
  readonly error?: string;
}

const STOPPED_BADLY = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/**
 * Why a request a workflow should be running is stuck, or undefined if it is
 * not: its execution stopped badly, or none has run it for longer than
 * `stuckAfterMs` (never started: counted from the request's last change; ended
 * with the request still open: counted from the end). A running execution is
 * never second-guessed: a step's own timeout ends it.
 */
export function stuckVerdict(
  execution: ExecutionFacts,
  now: Date,
  lastChange: Date,
  stuckAfterMs: number,
): AttentionInput | undefined {
  const base = { detectedBy: 'reconciler', execution: execution.name } as const;
  if (execution.status === 'RUNNING') return undefined;
  if (execution.status !== undefined && STOPPED_BADLY.has(execution.status)) {
    return {
      ...base,
      reason: `The workflow execution ${execution.status.toLowerCase().replace('_', ' ')}${execution.error ? ` (${execution.error})` : ''}`,
      ...(execution.error ? { error: execution.error } : {}),
    };
  }
  const since = execution.status === 'SUCCEEDED' ? (execution.stoppedAt ?? lastChange) : lastChange;
  if (now.getTime() - since.getTime() <= stuckAfterMs) return undefined;
  const minutes = Math.floor((now.getTime() - since.getTime()) / 60_000);
  return {
    ...base,
    reason:
      execution.status === 'SUCCEEDED'
        ? `The workflow ended ${minutes} minutes ago with the request still open`
        : `No workflow execution has run this request for ${minutes} minutes`,
  };
}
