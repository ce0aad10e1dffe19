/**
 * DeliverPackage — issues an expiring download link for the package (the
 * policy's lifetime, at most 7 days) and emails it to the verified address,
 * or, where the only verified contact is a phone number (a request verified by
 * SMS code), sends it by SMS: the link alone, no request id or data.
 * Once per package version: the delivery is recorded before the message is
 * sent, so a re-run never sends a second link; a package rebuilt after a
 * redrive is sent once more. A message the mailer or the SMS gateway refuses
 * releases the claim (notification-failed) before the error goes on, so the
 * workflow's retry or a redrive sends it: a refused message is never recorded
 * as delivered.
 */

import { closeFulfilment, deliveryIsDue, type FulfilmentState } from '../../domain/fulfilment';
import { packageReadyNotice, packageReadySms } from '../../domain/notices';
import { getPolicy } from '../../domain/policy/registry';
import type { RequestRecord } from '../../domain/request-record';
import type { Clock, Mailer, RequestRepository, SmsSender } from '../ports';
import type { DownloadLinkIssuer } from './ports';
import { type TaskInput, verifiedEmail, verifiedPhone, workflowActor } from './workflow';

export interface DeliverPackageDeps {
  readonly requests: RequestRepository;
  readonly links: DownloadLinkIssuer;
  readonly mailer: Mailer;
  /** For a requester whose only verified contact is a phone number. */
  readonly sms: SmsSender;
  readonly clock: Clock;
}

/** Where the link goes: the verified email, else the verified phone where SMS is sent at all. */
function deliveryChannel(record: RequestRecord, sms: SmsSender) {
  const email = verifiedEmail(record);
  if (email) return { channel: 'email', identifier: email } as const;
  const phone = verifiedPhone(record);
  return phone && sms.enabled ? ({ channel: 'sms', identifier: phone } as const) : undefined;
}

export async function deliverPackage(deps: DeliverPackageDeps, input: TaskInput) {
  const now = deps.clock.now();
  const record = await deps.requests.get(input.requestId);
  const fulfilment = record.fulfilment;
  if (!fulfilment?.package || !deliveryIsDue(fulfilment)) return { requestId: input.requestId };
  const version = fulfilment.package.version ?? 1;
  const delivery = deliveryChannel(record, deps.sms);
  if (!delivery) return { requestId: input.requestId };
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
          details: {
            kind: 'package-ready',
            channel: delivery.channel,
            to: delivery.identifier.masked,
            version,
          },
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
  try {
    await send(deps, record, delivery, link, version);
  } catch (error) {
    await releaseClaim(deps, input.requestId, at, fulfilment, error);
    throw error;
  }
  return { requestId: input.requestId };
}

/** The link by SMS (the link alone) or by mail (with what the package holds). */
async function send(
  deps: DeliverPackageDeps,
  record: RequestRecord,
  delivery: NonNullable<ReturnType<typeof deliveryChannel>>,
  link: { readonly url: string; readonly expiresAt: string },
  version: number,
): Promise<void> {
  const fulfilment = record.fulfilment!;
  const policy = getPolicy(record.policyId);
  if (delivery.channel === 'sms') {
    await deps.sms.send({
      to: delivery.identifier.value,
      text: packageReadySms({
        downloadUrl: link.url,
        expiresAt: link.expiresAt,
        organisation: policy.organisation,
        locale: record.locale,
      }),
    });
    return;
  }
  const { incomplete } = closeFulfilment(fulfilment.plannedStores, fulfilment.storeResults);
  const notice = packageReadyNotice({
    requestId: record.requestId,
    downloadUrl: link.url,
    expiresAt: link.expiresAt,
    totalRecords: fulfilment.package!.totalRecords,
    incompleteStores: incomplete.map((store) => store.storeId),
    organisation: policy.organisation,
  });
  await deps.mailer.send({
    to: delivery.identifier.value,
    ...notice,
    messageId: `<${record.requestId}.package${version > 1 ? `-v${version}` : ''}@dsar>`,
  });
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
