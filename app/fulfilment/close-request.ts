/**
 * CloseRequest — decides fulfilled or partially-fulfilled from what every
 * planned store recorded (never "fulfilled" with a store missing), and, for
 * erasure, records the backup caveat the policy promises (seeds 000, 001).
 * A request a redrive completed after another execution closed it partially
 * fulfilled moves on to fulfilled. Before an erasure closes, the subject's
 * earlier packages and their live links are withdrawn (withdraw-earlier-packages.ts).
 */

import { closeFulfilment } from '../../domain/fulfilment';
import type { RequestStatus } from '../../domain/lifecycle';
import { planTransition } from '../../domain/lifecycle';
import { getPolicy } from '../../domain/policy/registry';
import { closeWithTransfer } from '../../domain/portability/transfer';
import type { Clock, RequestRepository, RevocableDownloadLinks } from '../ports';
import type { PackageDeleter } from './ports';
import { withdrawEarlierPackages } from './withdraw-earlier-packages';
import { type TaskInput, workflowActor } from './workflow';

export interface CloseRequestDeps {
  readonly requests: RequestRepository;
  readonly clock: Clock;
  readonly links: RevocableDownloadLinks;
  readonly packages: PackageDeleter;
}

export interface CloseRequestOutput {
  readonly requestId: string;
  readonly status: RequestStatus;
}

export async function closeRequest(deps: CloseRequestDeps, input: TaskInput): Promise<CloseRequestOutput> {
  const at = deps.clock.now().toISOString();
  // First, so that a failure leaves the request open and the task's retry withdraws them again.
  const erasure = await deps.requests.get(input.requestId);
  const withdrawn =
    erasure.fulfilment?.action === 'erase' ? await withdrawEarlierPackages(deps, erasure) : undefined;
  const record = await deps.requests.mutate(input.requestId, (current) => {
    if (!current.fulfilment) return undefined;
    const closure = closeFulfilment(current.fulfilment.plannedStores, current.fulfilment.storeResults);
    const final = closeWithTransfer(closure.status, current.fulfilment.transfer);
    // A redrive's execution may find the request closed by the execution it overlapped with.
    const lateCompletion = current.status === 'partially-fulfilled' && final.status === 'fulfilled';
    if (current.status !== 'in-progress' && current.status !== 'extended' && !lateCompletion)
      return undefined;
    const reasons = [
      ...closure.incomplete.map((store) => `${store.storeId}: ${store.reason}`),
      ...(final.reason ? [final.reason] : []),
    ];
    const backupCaveat =
      current.fulfilment.action === 'erase' ? getPolicy(current.policyId).backupCaveat : undefined;
    return {
      next: {
        ...current,
        status: final.status,
        fulfilment: { ...current.fulfilment, ...(backupCaveat ? { backupCaveat } : {}) },
      },
      events: [
        planTransition(current.status, {
          to: final.status,
          actor: workflowActor,
          at,
          ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
        }),
        ...(withdrawn === undefined || withdrawn.requestIds.length === 0
          ? []
          : [
              {
                type: 'earlier-exports-revoked' as const,
                actor: workflowActor,
                at,
                details: { requestIds: withdrawn.requestIds, linksRevoked: withdrawn.linksRevoked },
              },
            ]),
      ],
    };
  });
  return { requestId: input.requestId, status: record.status };
}
