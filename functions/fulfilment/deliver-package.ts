/**
 * DeliverPackage — issues an expiring download link for the package (the
 * policy's lifetime, at most 7 days) and emails it to the verified address.
 * Once per package version: the delivery is recorded before the mail is
 * sent, so a re-run never sends a second link; a package rebuilt after a
 * redrive is mailed once more.
 */

import { issueDownloadLink } from '../../adapters/aws/download-links';
import { sendMail } from '../../adapters/aws/mailer';
import { getRequest, mutateRequest } from '../../adapters/aws/request-store';
import { type TaskInput, workflowActor, workflowTask } from '../../adapters/lambda/workflow-task';
import { closeFulfilment, deliveryIsDue } from '../../domain/fulfilment';
import { packageReadyNotice } from '../../domain/notices';
import { getPolicy } from '../../domain/policy/registry';

export async function deliverPackage(input: TaskInput, now = new Date()) {
  const record = await getRequest(input.requestId);
  const fulfilment = record.fulfilment;
  if (!fulfilment?.package || !deliveryIsDue(fulfilment)) return { requestId: input.requestId };
  const version = fulfilment.package.version ?? 1;
  const email = record.identifiers.find((identifier) => identifier.kind === 'email' && identifier.verified);
  if (!email) return { requestId: input.requestId };
  const policy = getPolicy(record.policyId);
  const at = now.toISOString();

  const claimed = await mutateRequest(input.requestId, (current) => {
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

  const link = await issueDownloadLink({
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
  await sendMail({
    to: email.value,
    ...notice,
    messageId: `<${record.requestId}.package${version > 1 ? `-v${version}` : ''}@dsar>`,
  });
  return { requestId: input.requestId };
}

export const handler = workflowTask((input: TaskInput) => deliverPackage(input));
