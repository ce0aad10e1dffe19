/** What the fulfilment use cases' unit tests share: a fixed clock, the demo registry, a stored request. */

import { MemoryRequestRepository } from '../../../../adapters/memory/memory-request-repository';
import type { Clock } from '../../../../app/ports';
import type { Connector } from '../../../../connectors/contract';
import type { FulfilmentState } from '../../../../domain/fulfilment';
import type { RequestRecord } from '../../../../domain/request-record';
import { storeById } from '../../../../domain/stores/registry';
import { loadDemoRegistry } from '../../../../local/demo/registry';
import { aRequest, type RequestOptions } from '../../console/builders';

export const NOW = new Date('2025-03-10T02:00:00.000Z');
export const AT = NOW.toISOString();
export const fixedClock: Clock = { now: () => new Date(NOW) };

/** The demo organisation's stores: accounts resolves identifiers, the others do not. */
export const demoStores = { registry: loadDemoRegistry };

export const REQUEST_ID = 'dsr-00000000-0000-4000-8000-000000000001';

/** A repository holding one request, stored as intake would (its first event on the trail). */
export async function repositoryWith(
  options: RequestOptions & { fulfilment?: FulfilmentState } = {},
): Promise<{ requests: MemoryRequestRepository; record: RequestRecord }> {
  const requests = new MemoryRequestRepository();
  const { fulfilment, ...rest } = options;
  const built = aRequest({
    ...rest,
    extras: { ...(rest.extras ?? {}), ...(fulfilment ? { fulfilment } : {}) },
  });
  const record = await requests.create(built, [
    { type: 'request-received', actor: { kind: 'system', id: 'intake' }, at: built.receivedAt },
  ]);
  return { requests, record };
}

/** A fulfilment in progress over `plannedStores` with the given results. */
export function fulfilmentOf(
  action: FulfilmentState['action'],
  plannedStores: readonly string[],
  storeResults: FulfilmentState['storeResults'] = {},
  extra: Partial<FulfilmentState> = {},
): FulfilmentState {
  return { action, executionName: REQUEST_ID, plannedStores: [...plannedStores], storeResults, ...extra };
}

/**
 * A connector of `storeId` from the demo registry that holds `records` for anyone it is asked about;
 * `overrides` replace single operations (to resolve identifiers, fail, count erasures).
 */
export function fakeConnector(storeId: string, overrides: Partial<Connector> = {}): Connector {
  const store = storeById(loadDemoRegistry(), storeId);
  return {
    store,
    healthCheck: async () => undefined,
    find: async () => ({ count: 0, resolved: {} }),
    export: async function* () {},
    erase: async () => ({ deleted: 0, anonymised: 0, retained: 0, retainedBases: [] }),
    verifyErasure: async () => ({ remaining: 0, anonymised: 0, retained: 0, retainedBases: [] }),
    correct: async () => ({ status: 'corrected', records: [] }) as never,
    ...overrides,
  };
}
