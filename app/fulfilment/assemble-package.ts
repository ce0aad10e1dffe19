/**
 * AssemblePackage — streams every exported store's staging file into one zip
 * (per-store JSON and CSV, a bilingual index.html, a SHA-256 manifest) in the
 * exports bucket. Once per set of exported stores: a recorded package is not
 * built again, unless a redrive exported more stores since; then the next
 * version is built, complete, at the same key (an earlier link, while it
 * lives, serves the complete package too; the requester gets one new link).
 */

import { exportedStores, packageIsDue } from '../../domain/fulfilment';
import { getPolicy } from '../../domain/policy/registry';
import { storeById } from '../../domain/stores/registry';
import type { Clock, RequestRepository } from '../ports';
import type { PackageBuilder, StoreCatalogue } from './ports';
import { type TaskInput, workflowActor } from './workflow';

export interface AssemblePackageDeps {
  readonly requests: RequestRepository;
  readonly stores: StoreCatalogue;
  readonly packages: PackageBuilder;
  readonly clock: Clock;
}

export async function assemblePackage(deps: AssemblePackageDeps, input: TaskInput) {
  const now = deps.clock.now();
  const record = await deps.requests.get(input.requestId);
  const fulfilment = record.fulfilment;
  if (fulfilment?.action !== 'export' || !packageIsDue(fulfilment)) return { requestId: input.requestId };
  const policy = getPolicy(record.policyId);
  const packaged = exportedStores(fulfilment);
  const registry = deps.stores.registry();
  const stores = packaged.flatMap((storeId) => {
    const result = fulfilment.storeResults[storeId];
    if (result?.status !== 'exported') return [];
    const store = storeById(registry, storeId);
    return [
      {
        storeId,
        description: store.description,
        categories: store.categories,
        stagingKey: result.stagingKey,
        recordCount: result.recordCount,
      },
    ];
  });
  const built = await deps.packages.build({
    requestId: record.requestId,
    request: {
      type: record.type ?? 'access',
      policyId: policy.id,
      policyName: policy.name,
      receivedAt: record.receivedAt,
      ...(record.verifiedOn ? { verifiedOn: record.verifiedOn } : {}),
      dueDate: record.deadline.dueDate,
      locale: record.locale,
    },
    organisation: policy.organisation,
    stores,
    retention: {
      legalHolds: policy.legalHolds,
      ...(policy.backupCaveat ? { backupCaveat: policy.backupCaveat } : {}),
    },
    now,
  });
  const at = now.toISOString();
  await deps.requests.mutate(input.requestId, (current) => {
    if (!current.fulfilment || !packageIsDue(current.fulfilment)) return undefined;
    const version = (current.fulfilment.package?.version ?? (current.fulfilment.package ? 1 : 0)) + 1;
    return {
      next: {
        ...current,
        fulfilment: {
          ...current.fulfilment,
          package: {
            key: built.packageKey,
            files: built.files,
            totalRecords: built.totalRecords,
            at,
            version,
            stores: packaged,
          },
        },
      },
      events: [
        {
          type: 'package-created',
          actor: workflowActor,
          at,
          details: { files: built.files.length, totalRecords: built.totalRecords, version },
        },
      ],
    };
  });
  return { requestId: input.requestId };
}
