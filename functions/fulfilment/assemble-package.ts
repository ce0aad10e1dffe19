/**
 * AssemblePackage — streams every exported store's staging file into one zip
 * (per-store JSON and CSV, a bilingual index.html, a SHA-256 manifest) in the
 * exports bucket. Once per set of exported stores: a recorded package is not
 * built again, unless a redrive exported more stores since; then the next
 * version is built, complete, at the same key (an earlier link, while it
 * lives, serves the complete package too; the requester gets one new link).
 */

import { buildExportPackage } from '../../adapters/aws/export-package';
import { getRequest, mutateRequest } from '../../adapters/aws/request-store';
import { storeById } from '../../adapters/config/store-registry';
import { type TaskInput, workflowActor, workflowTask } from '../../adapters/lambda/workflow-task';
import { exportedStores, packageIsDue } from '../../domain/fulfilment';
import { getPolicy } from '../../domain/policy/registry';

export async function assemblePackage(input: TaskInput, now = new Date()) {
  const record = await getRequest(input.requestId);
  const fulfilment = record.fulfilment;
  if (fulfilment?.action !== 'export' || !packageIsDue(fulfilment)) return { requestId: input.requestId };
  const policy = getPolicy(record.policyId);
  const packaged = exportedStores(fulfilment);
  const stores = packaged.flatMap((storeId) => {
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

export const handler = workflowTask((input: TaskInput) => assemblePackage(input));
