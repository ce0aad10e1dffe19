/**
 * The wait of a type that cannot be undone (domain/fulfilment-wait.ts), as every way of proving identity
 * starts it: the code (app/intake/verify-request.ts) and an agent's identity review
 * (app/console/identity-review.ts). Before the write: a fresh cancel link for the wait notice; in it:
 * the wait's hours (domain/fulfilment-wait.ts enterFulfilmentWait); after it: the notice, mailed to the
 * request's address.
 */
import { type WaitStart, waitHoursFor } from '../../domain/fulfilment-wait';
import { fulfilmentWaitNotice } from '../../domain/notices';
import { getPolicy } from '../../domain/policy/registry';
import type { RequestRecord } from '../../domain/request-record';
import type { Clock, Mailer, RequestRepository, SecretsReader } from '../ports';
import { approvedRequestOf, cancelTokenHash, cancelUrl } from './cancel-link';
import type { IntakeTelemetry, OneTimeSecrets } from './ports';

export interface WaitDeps {
  readonly secrets: SecretsReader;
  readonly oneTimeSecrets: Pick<OneTimeSecrets, 'bearerToken'>;
  /** The deployment's wait for destructive types, in hours, over every policy's (DESTRUCTIVE_WAIT_HOURS). */
  readonly destructiveWaitHours?: number;
}

/** The cancel link of a wait notice: its token's hash goes in with the write, the address in the mail. */
export interface WaitLink {
  readonly cancelTokenHash: string;
  readonly cancelUrl: string;
}

/**
 * A fresh cancel link for the wait notice, drawn before the write whether or not the request will wait
 * (the type may only be known as the write re-reads it; an unused link is simply never stored).
 */
export async function newWaitLink(deps: WaitDeps, requestId: string): Promise<WaitLink> {
  const token = deps.oneTimeSecrets.bearerToken();
  return {
    cancelTokenHash: await cancelTokenHash(deps.secrets, requestId, token),
    cancelUrl: cancelUrl(requestId, token),
  };
}

/** The wait `record` enters once verified, with `link`'s token; undefined when its type does not wait. */
export function waitStart(
  deps: Pick<WaitDeps, 'destructiveWaitHours'>,
  record: Pick<RequestRecord, 'policyId' | 'type'>,
  link: WaitLink,
): WaitStart | undefined {
  const hours = waitHoursOf(deps, record);
  return hours > 0 ? { hours, cancelTokenHash: link.cancelTokenHash } : undefined;
}

function waitHoursOf(
  deps: Pick<WaitDeps, 'destructiveWaitHours'>,
  record: Pick<RequestRecord, 'policyId' | 'type'>,
): number {
  return waitHoursFor(getPolicy(record.policyId), record.type, deps.destructiveWaitHours);
}

export interface WaitNoticeDeps extends Pick<WaitDeps, 'destructiveWaitHours'> {
  readonly requests: RequestRepository;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly telemetry: Pick<IntakeTelemetry, 'count' | 'error'>;
}

/**
 * The wait notice of a request that entered the wait: when it will be carried out and the link that
 * stops it. A failed mail leaves the request as it is (the code mail had a cancel link too); it is
 * logged, counted and put on the trail, as a failed code mail is.
 */
export async function mailWaitNotice(
  deps: WaitNoticeDeps,
  record: RequestRecord,
  mail: { readonly link: WaitLink; readonly awaitingApproval: boolean },
): Promise<void> {
  const email = record.identifiers.find((identifier) => identifier.kind === 'email');
  if (!email || !record.type || !record.fulfilmentNotBefore) return;
  const notice = fulfilmentWaitNotice({
    requestId: record.requestId,
    ...approvedRequestOf(record),
    type: record.type,
    waitHours: waitHoursOf(deps, record),
    notBefore: record.fulfilmentNotBefore,
    cancelUrl: mail.link.cancelUrl,
    awaitingApproval: mail.awaitingApproval,
    organisation: getPolicy(record.policyId).organisation,
  });
  try {
    await deps.mailer.send({ to: email.value, ...notice });
  } catch (error) {
    const errorName = error instanceof Error ? error.name : 'UnknownError';
    deps.telemetry.error('Wait notice not sent', { requestId: record.requestId, errorName });
    deps.telemetry.count('NotificationFailed');
    await deps.requests
      .mutate(record.requestId, (current) => ({
        next: current,
        events: [
          {
            type: 'notification-failed',
            actor: { kind: 'system', id: 'mailer' },
            at: deps.clock.now().toISOString(),
            details: { notice: 'fulfilment-wait', errorName },
          },
        ],
      }))
      .catch(() => undefined);
  }
}
