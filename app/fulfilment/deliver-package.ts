/**
 * DeliverPackage — issues an expiring download link for the package (the
 * policy's lifetime, at most 7 days) and emails it to the verified address.
 * Once per package version: the delivery is recorded before the mail is
 * sent, so a re-run never sends a second link; a package rebuilt after a
 * redrive is mailed once more. A mail the mailer refuses releases the claim
 * (notification-failed) before the error goes on, so the workflow's retry or
 * a redrive sends it: a refused mail is never recorded as delivered.
 */

import { closeFulfilment, deliveryIsDue, type FulfilmentState } from '../../domain/fulfilment';
import { packageReadyNotice } from '../../domain/notices';
import { getPolicy } from '../../domain/policy/registry';
import type { Clock, Mailer, RequestRepository } from '../ports';
import type { DownloadLinkIssuer } from './ports';
import { type TaskInput, verifiedEmail, workflowActor } from './workflow';

export interface DeliverPackageDeps {
  readonly requests: RequestRepository;
  readonly links: DownloadLinkIssuer;
  readonly mailer: Mailer;
  readonly clock: Clock;
}

export async function deliverPackage(deps: DeliverPackageDeps, input: TaskInput) {
  const now = deps.clock.now();
  const record = await deps.requests.get(input.requestId);
  const fulfilment = record.fulfilment;
  if (!fulfilment?.package || !deliveryIsDue(fulfilment)) return { requestId: input.requestId };
  const version = fulfilment.package.version ?? 1;
  const email = verifiedEmail(record);
  if (!email) return { requestId: input.requestId };
  const policy = getPolicy(record.policyId);
  const at = now.toISOString();

  const claimed = await deps.requests.mutate(input.requestId, (current) => {
    if (!current.fulfilment || !deliveryIsDue(current.fulfilment)) return undefined;
    return {
      next: { ...current, fulfilment: { ...current.fulfilment, deliveredAt: at, deliveredVersion: version } },
      events: [
        {
          type: 'notification-sent',
          actor: workflowActor,
          at,
          details: { kind: 'package-ready', to: email.masked, version },
        },
      ],
    };
  });
  if (claimed.fulfilment?.deliveredAt !== at) return { requestId: input.requestId };

  const link = await deps.links.issue({
    requestId: record.requestId,
    packageKey: fulfilment.package.key,
    lifetimeDays: policy.exportLinkLifetimeDays,
    now,
  });
  const { incomplete } = closeFulfilment(fulfilment.plannedStores, fulfilment.storeResults);
  const notice = packageReadyNotice({
    requestId: record.requestId,
    downloadUrl: link.url,
    expiresAt: link.expiresAt,
    totalRecords: fulfilment.package.totalRecords,
    incompleteStores: incomplete.map((store) => store.storeId),
    organisation: policy.organisation,
  });
  try {
    await deps.mailer.send({
      to: email.value,
      ...notice,
      messageId: `<${record.requestId}.package${version > 1 ? `-v${version}` : ''}@dsar>`,
    });
  } catch (error) {
    await releaseClaim(deps, input.requestId, at, fulfilment, error);
    throw error;
  }
  return { requestId: input.requestId };
}

/** Puts the delivery fields back as they were before the claim made at `at`, and says why on the trail. */
async function releaseClaim(
  deps: DeliverPackageDeps,
  requestId: string,
  at: string,
  before: FulfilmentState,
  error: unknown,
): Promise<void> {
  await deps.requests.mutate(requestId, (current) => {
    if (current.fulfilment?.deliveredAt !== at) return undefined;
    const { deliveredAt: _at, deliveredVersion: _version, ...rest } = current.fulfilment;
    return {
      next: {
        ...current,
        fulfilment: {
          ...rest,
          ...(before.deliveredAt === undefined ? {} : { deliveredAt: before.deliveredAt }),
          ...(before.deliveredVersion === undefined ? {} : { deliveredVersion: before.deliveredVersion }),
        },
      },
      events: [
        {
          type: 'notification-failed',
          actor: workflowActor,
          at: deps.clock.now().toISOString(),
          details: { kind: 'package-ready', error: error instanceof Error ? error.name : 'UnknownError' },
        },
      ],
    };
  });
}
