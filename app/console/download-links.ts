/**
 * Revoking every live download link of a request (a link mailed to a wrong address, a requester who
 * asks): each is marked revoked and the revocation audited with the agent; the link then answers 410.
 * Idempotent: with no live link left, nothing changes.
 */
import type { Clock, RequestRepository } from '../ports';
import type { ConsoleUser, RevocableDownloadLinks } from './ports';

export interface RevokeLinksDeps {
  readonly requests: RequestRepository;
  readonly links: RevocableDownloadLinks;
  readonly clock: Clock;
}

export interface RevokedLinks {
  readonly requestId: string;
  readonly revoked: number;
  readonly linkIds: readonly string[];
}

export async function revokeDownloadLinks(
  deps: RevokeLinksDeps,
  caller: ConsoleUser,
  requestId: string,
  reason?: string,
): Promise<RevokedLinks> {
  // Unknown requests answer 404 before any link is looked at.
  await deps.requests.get(requestId);
  const now = deps.clock.now();
  const live = await deps.links.liveLinks(requestId, now);
  for (const linkId of live) {
    await deps.links.revoke({ requestId, linkId, actor: caller.actor, now, ...(reason ? { reason } : {}) });
  }
  return { requestId, revoked: live.length, linkIds: live };
}
