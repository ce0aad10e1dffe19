/**
 * "This was not me" (issue 13): the cancel link mailed with every code and with the wait notice.
 *
 * - GET  /v1/requests/{id}/not-me?token=… — the confirm page; reads, changes nothing (mail scanners and
 *   link previews follow links, and must not cancel anything);
 * - POST /v1/requests/{id}/cancel?token=… — cancels a request whose fulfilment has not started (awaiting
 *   its code, or verified and still waiting: domain/fulfilment-wait.ts mayCancelByLink).
 *
 * An unknown id and a wrong token get the same `not-found`, so the route cannot be used to probe ids.
 * A request already cancelled answers `cancelled` again (a second click is not an error).
 */
import { isApproved } from '../../domain/console/approval';
import { cancelTokenMatches, mayCancelByLink, planCancelByLink } from '../../domain/fulfilment-wait';
import type { RequestStatus } from '../../domain/lifecycle';
import { getPolicy } from '../../domain/policy/registry';
import type { RequestType } from '../../domain/request';
import type { RequestRecord } from '../../domain/request-record';
import { RequestNotFound } from '../request-writes';
import { cancelTokenHash } from './cancel-link';
import type { IntakeDeps } from './request-intake';

export type CancelRequestDeps = Pick<IntakeDeps, 'requests' | 'secrets' | 'clock' | 'telemetry'>;

/** The request as the link's holder may see it: what it asks for, where it stands, whose it is. */
export interface CancelLinkRequest {
  readonly requestId: string;
  readonly type: RequestType | null;
  readonly status: RequestStatus;
  readonly organisation: string;
}

export type CancelLinkView =
  | { readonly outcome: 'not-found' }
  | ({ readonly outcome: 'cancellable' | 'too-late' | 'cancelled' } & CancelLinkRequest);

export type CancelResult =
  | { readonly outcome: 'not-found' }
  | ({ readonly outcome: 'cancelled' | 'too-late' } & CancelLinkRequest);

function shown(record: RequestRecord): CancelLinkRequest {
  return {
    requestId: record.requestId,
    type: record.type ?? null,
    status: record.status,
    organisation: getPolicy(record.policyId).organisation,
  };
}

const NOT_FOUND = { outcome: 'not-found' } as const;

/** The request the token opens, or undefined (unknown id, no token, wrong token: all alike). */
async function requestOpenedBy(
  deps: CancelRequestDeps,
  requestId: string,
  token: string | undefined,
): Promise<RequestRecord | undefined> {
  if (!token) return undefined;
  const record = await deps.requests.get(requestId).catch((error: unknown) => {
    if (error instanceof RequestNotFound) return undefined;
    throw error;
  });
  if (!record) return undefined;
  return cancelTokenMatches(record, await cancelTokenHash(deps.secrets, requestId, token))
    ? record
    : undefined;
}

function standing(record: RequestRecord): 'cancellable' | 'too-late' | 'cancelled' {
  if (record.status === 'cancelled') return 'cancelled';
  return mayCancelByLink(record, isApproved(record, getPolicy(record.policyId))) ? 'cancellable' : 'too-late';
}

/** What the confirm page shows: what the request is and whether the link can still cancel it. */
export async function viewCancelLink(
  deps: CancelRequestDeps,
  requestId: string,
  token: string | undefined,
): Promise<CancelLinkView> {
  const record = await requestOpenedBy(deps, requestId, token);
  if (!record) return NOT_FOUND;
  return { outcome: standing(record), ...shown(record) };
}

/** Cancels the request if its fulfilment has not started; decided again on the stored request. */
export async function cancelByLink(
  deps: CancelRequestDeps,
  requestId: string,
  token: string | undefined,
): Promise<CancelResult> {
  const record = await requestOpenedBy(deps, requestId, token);
  if (!record) return NOT_FOUND;
  const at = deps.clock.now().toISOString();
  let cancelledNow = false;
  const saved = await deps.requests.mutate(requestId, (current) => {
    cancelledNow = standing(current) === 'cancellable';
    return cancelledNow ? planCancelByLink(current, at) : undefined;
  });
  if (cancelledNow) deps.telemetry.count('RequestCancelledByLink');
  const outcome = standing(saved) === 'cancelled' ? 'cancelled' : 'too-late';
  return { outcome, ...shown(saved) };
}
