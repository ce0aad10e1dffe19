/**
 * The organisation's data-store registry, bundled with the function: the production StoreCatalogue
 * (app/fulfilment/ports.ts).
 *
 * Which file is bundled follows the deployment's `storeRegistryFile`
 * (infra/config.ts): `dsar-store-registry` is a bare specifier that the CDK
 * bundling aliases to that file (esbuild aliases only bare specifiers, not
 * relative paths), and that tsconfig `paths` map to the demo organisation's
 * registry for type checking and local mode. So the grants CDK derives from
 * the configured file and the stores the functions use are the same list.
 *
 * Local mode and its tests may name another file in `DSAR_STORE_REGISTRY_FILE`
 * (`npm start -- --store-registry <file>`): read once, at the first use. A
 * deployment never sets it; its registry is the bundled one.
 */
import { readFileSync } from 'node:fs';
import registryJson from 'dsar-store-registry' with { type: 'json' };
import type { StoreCatalogue } from '../../app/fulfilment/ports';
import { storeById as findStore, parseStoreRegistry } from '../../domain/stores/registry';
import type { StoreDefinition, StoreRegistry } from '../../domain/stores/schema';

/** Local mode only: a registry file read at run time instead of the bundled one. */
export const STORE_REGISTRY_FILE_VARIABLE = 'DSAR_STORE_REGISTRY_FILE';

let registry: StoreRegistry | undefined;

export function loadStoreRegistry(): StoreRegistry {
  if (registry) return registry;
  const file = process.env[STORE_REGISTRY_FILE_VARIABLE];
  registry = parseStoreRegistry(file ? readFileSync(file, 'utf8') : registryJson);
  return registry;
}

export function storeById(storeId: string): StoreDefinition {
  return findStore(loadStoreRegistry(), storeId);
}

/** The bundled registry as the use cases' StoreCatalogue. */
export const bundledStoreCatalogue: StoreCatalogue = { registry: loadStoreRegistry };

export { storesInResolutionOrder } from '../../domain/stores/registry';
