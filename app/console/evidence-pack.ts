/**
 * The evidence pack of one request (domain/evidence/pack.ts), zipped: what a supervisor or an auditor
 * hands a regulator. Making it is audited on the request's own trail, written before the pack is built
 * so the pack's trail shows its own download; the pack holds masked identifiers only.
 */

import { evidencePackFiles, evidencePackName } from '../../domain/evidence/pack';
import { getPolicy } from '../../domain/policy/registry';
import { storeById } from '../../domain/stores/registry';
import { macsHolding } from '../audit/verify-trails';
import type { StoreCatalogue } from '../fulfilment/ports';
import type { TrailMac } from '../ports';
import type { ActionDeps, ConsoleUser, ZipArchiver } from './ports';

export interface EvidencePackDeps extends ActionDeps {
  readonly stores: StoreCatalogue;
  readonly archiver: ZipArchiver;
  /** Checks each event's MAC under the audit key (KMS VerifyMac on AWS). */
  readonly trailMac: TrailMac;
}

export interface EvidencePack {
  readonly fileName: string;
  readonly files: readonly string[];
  readonly zip: Uint8Array;
}

export async function evidencePack(
  deps: EvidencePackDeps,
  caller: ConsoleUser,
  requestId: string,
): Promise<EvidencePack> {
  const now = deps.clock.now();
  const generatedAt = now.toISOString();
  const record = await deps.requests.mutate(requestId, (current) => ({
    next: current,
    events: [
      {
        type: 'evidence-pack-downloaded',
        actor: caller.actor,
        at: generatedAt,
        details: { format: 'dsar-evidence-pack/1', roles: [...caller.roles] },
      },
    ],
  }));
  const registry = deps.stores.registry();
  const trail = await deps.requests.trail(requestId);
  const holding = await macsHolding(trail, deps.trailMac);
  const files = evidencePackFiles({
    record,
    policy: getPolicy(record.policyId),
    trail,
    macHolds: (event) => holding.has(event),
    calendars: await deps.calendars.calendars(),
    generatedAt,
    generatedBy: caller.actor,
    storeDescription: (storeId) => {
      // A store removed from the registry since keeps its id in the pack.
      try {
        return storeById(registry, storeId).description;
      } catch {
        return 'no longer in the store registry';
      }
    },
  });
  return {
    fileName: evidencePackName(requestId, generatedAt),
    files: files.map((file) => file.name),
    zip: await deps.archiver.zip(files, now),
  };
}
