/** ConsoleDownloadLinks: POST /v1/console/requests/{id}/download-links/revoke (app/console/download-links.ts). */

import { requestRepository } from '../adapters/aws/request-store';
import { revocableDownloadLinks } from '../adapters/aws/revocable-download-links';
import { consoleRoutes, consoleRouteWithBody } from '../adapters/lambda/console-api';
import { jsonResponse } from '../adapters/lambda/http-api';
import { revokeDownloadLinks } from '../app/console/download-links';
import { systemClock } from '../app/ports';
import { RevokeDownloadLinksSchema } from '../domain/console/console-input';

const deps = { requests: requestRepository, links: revocableDownloadLinks, clock: systemClock };

export const handler = consoleRoutes({
  'POST /v1/console/requests/{id}/download-links/revoke': consoleRouteWithBody(
    { schema: RevokeDownloadLinksSchema },
    async ({ body, caller, requestId }) =>
      jsonResponse(200, await revokeDownloadLinks(deps, caller, requestId, body.reason)),
  ),
});
