/**
 * PushPortability — for a portability request with a named recipient, POSTs
 * the machine-readable package (the zip AssemblePackage wrote) to the
 * recipient's endpoint, records the recipient's receipt, and tells the
 * requester. Runs only after a supervisor approved the transfer (LoadRequest
 * refuses an unapproved request), and only to an address the outbound guard
 * accepts (the PackagePush port; adapters/net/outbound-guard.ts).
 *
 * The request sent: `Content-Type: application/zip`, `Content-Length`,
 * `Content-Digest: sha-256=:<base64>:` (RFC 9530) of the body,
 * `X-Dsar-Request-Id` and `Idempotency-Key` (both the request id), so a
 * recipient recognises a push repeated after a crash. A recorded transfer is
 * never pushed again.
 *
 * Invoked with `failure` (the state machine's Catch), it records why the push
 * failed for good and sends the requester the package's download link
 * instead, naming the recipient: the right covers receiving the data in a
 * machine-readable form, so a recipient that cannot take it must not leave
 * the requester with nothing.
 */
import { PermanentError, TransientError } from '../../domain/errors';
import { closeFulfilment } from '../../domain/fulfilment';
import { getPolicy } from '../../domain/policy/registry';
import {
  transferFailedNotice,
  transferFailureWords,
  transferredNotice,
} from '../../domain/portability/notices';
import { type PortabilityTransfer, receiptIn } from '../../domain/portability/transfer';
import type { Clock, Mailer, RequestRepository } from '../ports';
import type { DownloadLinkIssuer, PackagePush } from './ports';
import { failureReason } from './record-store-failure';
import { type TaskInput, verifiedEmail, workflowActor } from './workflow';

/** The recipient refused the package (a 4xx other than 408/425/429, or a redirect): permanent. */
export class TransferRejected extends PermanentError {
  override readonly name = 'TransferRejected' as const;
  readonly code = 'transfer-rejected';
}

/** The recipient failed or asked us to come back later (5xx, 408, 425, 429): worth retrying. */
export class TransferUnavailable extends TransientError {
  override readonly name = 'TransferUnavailable' as const;
  readonly code = 'transfer-unavailable';
}

/** The package's bytes changed between digesting and sending: push again. */
export class PackageChanged extends TransientError {
  override readonly name = 'PackageChanged' as const;
  readonly code = 'package-changed';
}

export interface PushPortabilityInput extends TaskInput {
  /** Set by the Catch: the error that ended the push (its name and cause). */
  readonly failure?: { readonly Error?: string; readonly Cause?: string };
}

export interface PushPortabilityDeps {
  readonly requests: RequestRepository;
  readonly push: PackagePush;
  readonly links: DownloadLinkIssuer;
  readonly mailer: Mailer;
  readonly clock: Clock;
}

const RETRYABLE_STATUSES = new Set([408, 425, 429]);

/** Tells the requester how the transfer ended; once (claimed on the request before sending). */
async function notifyOutcome(deps: PushPortabilityDeps, requestId: string, now: Date): Promise<void> {
  const at = now.toISOString();
  const claimed = await deps.requests.mutate(requestId, (current) => {
    const transfer = current.fulfilment?.transfer;
    if (!current.fulfilment || !transfer || transfer.noticeSentAt || !verifiedEmail(current))
      return undefined;
    return {
      next: {
        ...current,
        fulfilment: { ...current.fulfilment, transfer: { ...transfer, noticeSentAt: at } },
      },
      events: [
        {
          type: 'notification-sent',
          actor: workflowActor,
          at,
          details: {
            kind: transfer.status === 'pushed' ? 'portability-transferred' : 'portability-transfer-failed',
            to: verifiedEmail(current)?.masked,
          },
        },
      ],
    };
  });
  const fulfilment = claimed.fulfilment;
  const transfer = fulfilment?.transfer;
  const email = verifiedEmail(claimed);
  if (!fulfilment?.package || transfer?.noticeSentAt !== at || !email) return;
  const policy = getPolicy(claimed.policyId);
  const messageId = `<${requestId}.transfer@dsar>`;
  if (transfer.status === 'pushed') {
    const { incomplete } = closeFulfilment(fulfilment.plannedStores, fulfilment.storeResults);
    const notice = transferredNotice({
      requestId,
      recipientName: transfer.recipientName,
      endpointOrigin: transfer.endpointOrigin,
      ...(transfer.receipt ? { receipt: transfer.receipt } : {}),
      totalRecords: fulfilment.package.totalRecords,
      incompleteStores: incomplete.map((store) => store.storeId),
      organisation: policy.organisation,
    });
    await deps.mailer.send({ to: email.value, ...notice, messageId });
    return;
  }
  const link = await deps.links.issue({
    requestId,
    packageKey: fulfilment.package.key,
    lifetimeDays: policy.exportLinkLifetimeDays,
    now,
  });
  const notice = transferFailedNotice({
    requestId,
    recipientName: transfer.recipientName,
    reason: transferFailureWords(transfer.reason.split(':')[0] ?? ''),
    downloadUrl: link.url,
    expiresAt: link.expiresAt,
    totalRecords: fulfilment.package.totalRecords,
    organisation: policy.organisation,
  });
  await deps.mailer.send({ to: email.value, ...notice, messageId });
}

async function recordTransfer(
  requests: RequestRepository,
  requestId: string,
  transfer: PortabilityTransfer,
): Promise<void> {
  await requests.mutate(requestId, (current) => {
    if (!current.fulfilment || current.fulfilment.transfer) return undefined;
    const details =
      transfer.status === 'pushed'
        ? {
            recipientName: transfer.recipientName,
            endpointOrigin: transfer.endpointOrigin,
            httpStatus: transfer.httpStatus,
            sha256: transfer.sha256,
            bytes: transfer.bytes,
            ...(transfer.receipt ? { receipt: transfer.receipt } : {}),
          }
        : {
            recipientName: transfer.recipientName,
            endpointOrigin: transfer.endpointOrigin,
            reason: transfer.reason,
          };
    return {
      next: { ...current, fulfilment: { ...current.fulfilment, transfer } },
      events: [
        {
          type: transfer.status === 'pushed' ? 'package-transferred' : 'transfer-failed',
          actor: workflowActor,
          at: transfer.at,
          details,
        },
      ],
    };
  });
}

export async function pushPortability(deps: PushPortabilityDeps, input: PushPortabilityInput) {
  const now = deps.clock.now();
  const { requestId } = input;
  const record = await deps.requests.get(requestId);
  const target = record.portabilityTarget;
  const packageKey = record.fulfilment?.package?.key;
  if (record.type !== 'portability' || !target || !packageKey) return { requestId };
  const endpointOrigin = new URL(target.endpoint).origin;

  if (input.failure && !record.fulfilment?.transfer) {
    await recordTransfer(deps.requests, requestId, {
      status: 'failed',
      recipientName: target.recipientName,
      endpointOrigin,
      reason: failureReason(input.failure),
      at: now.toISOString(),
    });
  }
  if (!record.fulfilment?.transfer && !input.failure) {
    const answer = await deps.push.push({ endpoint: target.endpoint, requestId, packageKey });
    const { host, status, expected, sent } = answer;
    if (status >= 300 && status < 400) {
      throw new TransferRejected(`${host} answered ${status}: redirects are not followed`);
    }
    if (status >= 500 || RETRYABLE_STATUSES.has(status)) {
      throw new TransferUnavailable(`${host} answered ${status}`);
    }
    if (status < 200 || status >= 300) throw new TransferRejected(`${host} answered ${status}`);
    if (sent.sha256 !== expected.sha256 || sent.bytes !== expected.bytes) {
      throw new PackageChanged('The package changed while it was being sent');
    }
    const receipt = answer.truncated ? undefined : receiptIn(answer.body);
    await recordTransfer(deps.requests, requestId, {
      status: 'pushed',
      recipientName: target.recipientName,
      endpointOrigin,
      address: answer.address,
      httpStatus: status,
      ...(receipt ? { receipt } : {}),
      sha256: expected.sha256,
      bytes: expected.bytes,
      at: now.toISOString(),
    });
  }
  await notifyOutcome(deps, requestId, now);
  return { requestId };
}
