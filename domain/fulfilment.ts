/**
 * What fulfilment does for each request type, and how the per-store results
 * decide the request's final status. Pure: the workflow's task handlers call
 * these and persist what they return.
 */
import type { RequestStatus } from './lifecycle';
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
  | { readonly status: 'waiting-for-agent'; readonly since: string; readonly instructions: string }
  | { readonly status: 'failed'; readonly reason: string; readonly attempts?: number; readonly at: string };

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
