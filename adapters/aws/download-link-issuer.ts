/** The production DownloadLinkIssuer (app/fulfilment/ports.ts): links in the Tokens table, audited on the request. */
import type { DownloadLinkIssuer } from '../../app/fulfilment/ports';
import { issueDownloadLink } from './download-links';

export const downloadLinkIssuer: DownloadLinkIssuer = { issue: issueDownloadLink };
