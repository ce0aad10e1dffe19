/**
 * The organisation's data-store registry, bundled with the function. Which
 * file is bundled is a deployment setting (see infra/config.ts); local mode
 * and tests use the demo organisation's registry.
 */
import registryJson from '../../config/data-stores.demo.json' with { type: 'json' };
import { storeById as findStore, parseStoreRegistry } from '../../domain/stores/registry';
import type { StoreDefinition, StoreRegistry } from '../../domain/stores/schema';

let registry: StoreRegistry | undefined;

export function loadStoreRegistry(): StoreRegistry {
  registry ??= parseStoreRegistry(registryJson);
  return registry;
}

export function storeById(storeId: string): StoreDefinition {
  return findStore(loadStoreRegistry(), storeId);
}

/** Stores that resolve identifiers (e.g. accountId from email) run before the stores that need them. */
export function storesInResolutionOrder(registry: StoreRegistry): { resolvers: string[]; others: string[] } {
  const resolvers = registry.stores
    .filter((store) => (store.resolves ?? []).length > 0)
    .map((store) => store.id);
  const others = registry.stores.filter((store) => !resolvers.includes(store.id)).map((store) => store.id);
  return { resolvers, others };
}
