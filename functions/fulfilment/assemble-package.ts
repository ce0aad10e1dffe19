/**
 * AssemblePackage — streams every exported store's staging file into one zip
 * (per-store JSON and CSV, a bilingual index.html, a SHA-256 manifest) in the
 * exports bucket. Once per request: a recorded package is not built again.
 */
import { getPolicy } from '../../domain/policy/registry';
import { getRequest, mutateRequest } from '../shared/request-store';
import { buildExportPackage } from './export-package';
import { storeById } from './store-registry';
import { type TaskInput, workflowActor, workflowTask } from './task';

export async function assemblePackage(input: TaskInput, now = new Date()) {
  const record = await getRequest(input.requestId);
  const fulfilment = record.fulfilment;
  if (fulfilment?.action !== 'export' || fulfilment.package) return { requestId: input.requestId };
  const policy = getPolicy(record.policyId);
  const stores = fulfilment.plannedStores.flatMap((storeId) => {
    const result = fulfilment.storeResults[storeId];
    if (result?.status !== 'exported') return [];
    const store = storeById(storeId);
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
  const built = await buildExportPackage({
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
  await mutateRequest(input.requestId, (current) => {
    if (!current.fulfilment || current.fulfilment.package) return undefined;
    return {
      next: {
        ...current,
        fulfilment: {
          ...current.fulfilment,
          package: { key: built.packageKey, files: built.files, totalRecords: built.totalRecords, at },
        },
      },
      events: [
        {
          type: 'package-created',
          actor: workflowActor,
          at,
          details: { files: built.files.length, totalRecords: built.totalRecords },
        },
      ],
    };
  });
  return { requestId: input.requestId };
}

export const handler = workflowTask((input: TaskInput) => assemblePackage(input));
