/** The console's RevocableDownloadLinks (app/console/ports.ts) on the Tokens table and the request's trail. */
import type { RevocableDownloadLinks } from '../../app/console/ports';
import { listDownloadLinks, revokeDownloadLink } from './download-links';

export const revocableDownloadLinks: RevocableDownloadLinks = {
  liveLinks: async (requestId, now) =>
    (await listDownloadLinks(requestId, now))
      .filter((link) => link.state === 'active')
      .map((link) => link.linkId),
  revoke: async (input) => {
    await revokeDownloadLink(input);
  },
};
