/**
 * When a subject's data is erased, the copies we handed out earlier go too: every live download link of
 * the subject's earlier, closed requests is revoked (audited on that request's trail, as the console's
 * revocation is) and their packages are deleted. Otherwise a link mailed last week would still serve the
 * data the deletion just removed. Idempotent: a second run finds no live link and deletes nothing new.
 */

import { isOpen } from '../../domain/lifecycle';
import type { RequestRecord } from '../../domain/request-record';
import type { Clock, RequestRepository, RevocableDownloadLinks } from '../ports';
import type { PackageDeleter } from './ports';
import { workflowActor } from './workflow';

export interface WithdrawEarlierPackagesDeps {
  readonly requests: RequestRepository;
  readonly links: RevocableDownloadLinks;
  readonly packages: PackageDeleter;
  readonly clock: Clock;
}

export interface WithdrawnPackages {
  /** The earlier requests whose package was deleted. */
  readonly requestIds: readonly string[];
  readonly linksRevoked: number;
}

/** The beginning of time for the subject index: every request of the subject counts. */
const EVER = '1970-01-01T00:00:00.000Z';

export async function withdrawEarlierPackages(
  deps: WithdrawEarlierPackagesDeps,
  erasure: Pick<RequestRecord, 'requestId' | 'subjectKey'>,
): Promise<WithdrawnPackages> {
  const ids = (await deps.requests.subjectRequestIds(erasure.subjectKey, EVER)).filter(
    (id) => id !== erasure.requestId,
  );
  if (ids.length === 0) return { requestIds: [], linksRevoked: 0 };
  // Open requests are left alone: their own workflow still needs the package it is building or delivering.
  const earlier = (await deps.requests.getMany(ids)).filter(
    (record) => !isOpen(record.status) && record.fulfilment?.package !== undefined,
  );
  const now = deps.clock.now();
  let linksRevoked = 0;
  for (const record of earlier) {
    for (const linkId of await deps.links.liveLinks(record.requestId, now)) {
      await deps.links.revoke({
        requestId: record.requestId,
        linkId,
        actor: workflowActor,
        now,
        reason: `the subject's erasure request ${erasure.requestId}`,
      });
      linksRevoked += 1;
    }
    await deps.packages.deletePackage(record.fulfilment!.package!.key);
  }
  return { requestIds: earlier.map((record) => record.requestId).sort(), linksRevoked };
}
