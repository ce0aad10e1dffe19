/** The production DownloadTokens (app/downloads/ports.ts): the links in the Tokens table (download-links.ts). */
import type { DownloadTokens } from '../../app/downloads/ports';
import {
  type DownloadLinkItem,
  DownloadLinkRevoked,
  recordDownloadLinkUse,
  resolveDownloadToken,
} from './download-links';

export const downloadTokens: DownloadTokens<DownloadLinkItem> = {
  resolve: resolveDownloadToken,
  async recordUse(link, now) {
    try {
      await recordDownloadLinkUse(link, now);
      return 'recorded';
    } catch (error) {
      if (error instanceof DownloadLinkRevoked) return 'revoked';
      throw error;
    }
  },
};
