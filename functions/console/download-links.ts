/**
 * POST …/{id}/download-links/revoke — revokes every live download link of the
 * request (a link mailed to a wrong address, a requester who asks): each is
 * marked revoked and the revocation audited with the agent; the link then
 * answers 410. Idempotent: with no live link left, nothing changes.
 */
import type { z } from 'zod';
import { listDownloadLinks, revokeDownloadLink } from '../../adapters/aws/download-links';
import { getRequest } from '../../adapters/aws/request-store';
import { type ConsoleEvent, consoleRoutes, consoleRouteWithBody } from '../../adapters/lambda/console-api';
import { jsonResponse } from '../../adapters/lambda/http-api';
import { RevokeDownloadLinksSchema } from '../../domain/console/console-input';

async function revoke(event: ConsoleEvent<z.output<typeof RevokeDownloadLinksSchema>>) {
  const { body, caller, requestId } = event;
  // Unknown requests answer 404 before any link is looked at.
  await getRequest(requestId);
  const now = new Date();
  const live = (await listDownloadLinks(requestId, now)).filter((link) => link.state === 'active');
  const revoked: string[] = [];
  for (const link of live) {
    await revokeDownloadLink({
      requestId,
      linkId: link.linkId,
      actor: caller.actor,
      now,
      ...(body.reason ? { reason: body.reason } : {}),
    });
    revoked.push(link.linkId);
  }
  return jsonResponse(200, { requestId, revoked: revoked.length, linkIds: revoked });
}

export const handler = consoleRoutes({
  'POST /v1/console/requests/{id}/download-links/revoke': consoleRouteWithBody(
    { schema: RevokeDownloadLinksSchema },
    revoke,
  ),
});
