/**
 * The demo organisation's data-store registry (config/data-stores.demo.json),
 * validated: the stores `local/demo/organisation.ts` seeds.
 *
 * It lives here, beside the demo organisation, and not in domain/: domain code
 * is given a registry and never picks one. The functions get theirs from
 * adapters/config/store-registry.ts (the bundled `dsar-store-registry`);
 * this module is for local mode's tests and the conformance suite, which work
 * on the demo stores. The import is static, so a malformed demo file fails the
 * first import (and the unit tests).
 */
import demoRegistry from '../../config/data-stores.demo.json' with { type: 'json' };
import { parseStoreRegistry } from '../../domain/stores/registry';
import type { StoreRegistry } from '../../domain/stores/schema';

/** The demo organisation's stores, validated. */
export function loadDemoRegistry(): StoreRegistry {
  return parseStoreRegistry(demoRegistry);
}
