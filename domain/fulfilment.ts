/**
 * What fulfilment does for each request type, and how the per-store results
 * decide the request's final status. Pure: the workflow's task handlers call
 * these and persist what they return.
 */
import type { RequestStatus } from './lifecycle';
import type { PortabilityTransfer } from './portability/transfer';
import type { RequestType } from './request';

/**
 * `export`: find and package the data; `erase`: delete/anonymise/retain per
 * category; `agent`: a person acts through the console (corrections, consent,
 * restriction and rule explanations need judgement the stores cannot supply).
 */
export type FulfilmentAction = 'export' | 'erase' | 'agent';

export const ACTION_BY_TYPE: Readonly<Record<RequestType, FulfilmentAction>> = {
  access: 'export',
  copy: 'export',
  portability: 'export',
  deletion: 'erase',
  'account-cancellation': 'erase',
  correction: 'agent',
  'withdraw-consent': 'agent',
  'restrict-processing': 'agent',
  'explain-rules': 'agent',
};

export type StoreResult =
  | {
      readonly status: 'exported';
      readonly recordCount: number;
      readonly stagingKey: string;
      readonly at: string;
    }
  | {
      readonly status: 'erased';
      readonly deleted: number;
      readonly anonymised: number;
      readonly retained: number;
      readonly retainedBases: readonly string[];
      /** What re-querying found afterwards: must be 0 for the store to count as done. */
      readonly remaining: number;
      readonly receipts?: readonly string[];
      readonly at: string;
    }
  | ManualTaskResult
  | { readonly status: 'failed'; readonly reason: string; readonly attempts?: number; readonly at: string };

/** What an agent does for a manual store: search (count), export (send the data), erase. */
export type ManualAction = 'search' | 'export' | 'erase' | 'correct';

/**
 * What the agent recorded on finishing a manual store's task: counts and a
 * note, never the data (scans and copies go to the requester separately).
 */
export interface ManualTaskCompletion {
  /** The console user who confirmed it. */
  readonly by: string;
  readonly at: string;
  /** Access: what the agent sent the requester (e.g. scanned forms sent by post). */
  readonly exported?: { readonly files: number; readonly records: number };
  readonly deleted?: number;
  readonly retained?: number;
  readonly retainedBases?: readonly string[];
  /** Shown to the requester in the package (access) in place of "held on paper; sent separately". */
  readonly note?: string;
}

/**
 * A manual store's open task, kept on the request record (the source of
 * truth: no task tokens, no task table). The workflow polls it; the console
 * lists it and records `completed`, which the next poll turns into the
 * store's exported or erased result.
 */
export interface ManualTaskResult {
  readonly status: 'waiting-for-agent';
  readonly since: string;
  readonly instructions: string;
  readonly taskId: string;
  readonly action: ManualAction;
  /** The registry's `manual.timeoutHours`: past it, the store is recorded failed. */
  readonly timeoutHours: number;
  readonly completed?: ManualTaskCompletion;
}

/**
 * Progress of the fulfilment workflow, kept on the request (not in the
 * execution's payload, which Step Functions stores in its history): any step
 * can be re-run and finds what is already done here.
 */
export interface FulfilmentState {
  readonly action: FulfilmentAction;
  readonly executionName?: string;
  readonly plannedStores: readonly string[];
  /** Identifiers found from verified ones (e.g. accountId from the verified email). */
  readonly resolvedIdentifiers?: Readonly<Record<string, string>>;
  readonly storeResults: Readonly<Record<string, StoreResult>>;
  readonly package?: {
    readonly key: string;
    readonly files: readonly { readonly name: string; readonly sha256: string; readonly bytes: number }[];
    readonly totalRecords: number;
    readonly at: string;
    /** 1 for the first package; a redrive that exports more stores builds the next (same key). */
    readonly version?: number;
    /** The exported stores it holds: a package missing one is rebuilt (absent on early packages). */
    readonly stores?: readonly string[];
  };
  readonly deliveredAt?: string;
  /** A portability request's push to the recipient it named (instead of a download link). */
  readonly transfer?: PortabilityTransfer;
  /** The package version the last link mail was for (absent: version 1, if deliveredAt is set). */
  readonly deliveredVersion?: number;
  readonly summarySentAt?: string;
  /** Stores done when the last erasure summary went out: a summary is due again when more are done. */
  readonly summarisedStores?: readonly string[];
  /** Times failed stores were run again from the console (POST …/redrive): names each new execution. */
  readonly redrives?: number;
  readonly backupCaveat?: string;
}

/** When the workflow stops waiting for an agent (ISO-8601 instant). */
export function manualTaskDeadline(task: ManualTaskResult): string {
  return new Date(Date.parse(task.since) + task.timeoutHours * 3_600_000).toISOString();
}

/** No agent confirmed the task before its deadline. A completed task never times out. */
export function manualTaskTimedOut(task: ManualTaskResult, now: string): boolean {
  return task.completed === undefined && Date.parse(now) >= Date.parse(manualTaskDeadline(task));
}

/** Stores whose manual task waits for an agent (not yet confirmed). */
export function openManualTasks(results: Readonly<Record<string, StoreResult>>): string[] {
  return Object.entries(results)
    .filter(([, result]) => result.status === 'waiting-for-agent' && result.completed === undefined)
    .map(([storeId]) => storeId);
}

/** Planned stores whose result is `failed`: what a redrive runs again. */
export function failedStores(
  plannedStores: readonly string[],
  results: Readonly<Record<string, StoreResult>>,
): string[] {
  return plannedStores.filter((storeId) => results[storeId]?.status === 'failed');
}

export function storeIsDone(result: StoreResult | undefined): boolean {
  if (!result) return false;
  if (result.status === 'exported') return true;
  if (result.status === 'erased') return result.remaining === 0;
  return false;
}

export interface Closure {
  readonly status: Extract<RequestStatus, 'fulfilled' | 'partially-fulfilled'>;
  /** Stores not done, each with why: shown to agents and summarised to the requester. */
  readonly incomplete: readonly { readonly storeId: string; readonly reason: string }[];
}

/**
 * A request is fulfilled only when every planned store is done: a store with
 * no result at all counts as incomplete, never as success.
 */
export function closeFulfilment(
  plannedStores: readonly string[],
  results: Readonly<Record<string, StoreResult>>,
): Closure {
  const incomplete = plannedStores
    .filter((storeId) => !storeIsDone(results[storeId]))
    .map((storeId) => {
      const result = results[storeId];
      const reason =
        result === undefined
          ? 'no result recorded'
          : result.status === 'failed'
            ? result.reason
            : result.status === 'waiting-for-agent'
              ? 'still waiting for an agent'
              : result.status === 'erased'
                ? `${result.remaining} records still hold personal data after erasure`
                : 'incomplete';
      return { storeId, reason };
    });
  return { status: incomplete.length === 0 ? 'fulfilled' : 'partially-fulfilled', incomplete };
}

/** Planned stores with an `exported` result, in plan order: what a package holds. */
export function exportedStores(fulfilment: FulfilmentState): string[] {
  return fulfilment.plannedStores.filter(
    (storeId) => fulfilment.storeResults[storeId]?.status === 'exported',
  );
}

/**
 * Whether a (new) package must be built: none yet, or a store was exported
 * after the last one (a redrive). The package is rebuilt complete at the same
 * key, so the requester never holds two partial copies.
 */
export function packageIsDue(fulfilment: FulfilmentState): boolean {
  const built = fulfilment.package;
  if (!built) return true;
  if (!built.stores) return false;
  return exportedStores(fulfilment).some((storeId) => !built.stores?.includes(storeId));
}

/** Whether the current package's link has not been mailed yet: one mail per package version. */
export function deliveryIsDue(fulfilment: FulfilmentState): boolean {
  if (!fulfilment.package) return false;
  const delivered = fulfilment.deliveredVersion ?? (fulfilment.deliveredAt ? 1 : 0);
  return delivered < (fulfilment.package.version ?? 1);
}

/** Stores done (erased with nothing remaining) now: what an erasure summary reports as done. */
export function doneStores(fulfilment: FulfilmentState): string[] {
  return fulfilment.plannedStores.filter((storeId) => storeIsDone(fulfilment.storeResults[storeId]));
}

/** Whether the erasure summary must (again) go out: never sent, or more stores are done since. */
export function summaryIsDue(fulfilment: FulfilmentState): boolean {
  if (!fulfilment.summarySentAt) return true;
  const summarised = fulfilment.summarisedStores;
  if (!summarised) return false;
  return doneStores(fulfilment).some((storeId) => !summarised.includes(storeId));
}
