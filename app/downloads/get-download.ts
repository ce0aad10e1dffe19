/**
 * GET /v1/downloads/{token} — the requester's expiring download link. A valid
 * link is audited (`download-link-used`) and answered with a 302 to a
 * presigned S3 URL that lives a few minutes, so the package itself is never
 * public and a copied S3 URL soon stops working.
 *
 * An unknown, malformed or expired token gets 403 with one message, so a
 * guess learns nothing; a revoked link gets 410, as does a package that the
 * retention job has already deleted.
 */
import type { Clock } from '../ports';
import type { DownloadLinkRef, DownloadTokens, PackageDownloads } from './ports';

/** Long enough to start a download on a slow connection, short enough that a copied URL is soon useless. */
export const PRESIGNED_URL_SECONDS = 300;

/** An ASCII file name that no browser or shell can misread, from the request id. */
export function downloadFileName(packageKey: string): string {
  const requestId = packageKey.split('/')[0] ?? 'request';
  return `personal-data-${requestId.replace(/[^A-Za-z0-9._-]/g, '_')}.zip`;
}

export interface GetDownloadDeps<Link extends DownloadLinkRef> {
  readonly tokens: DownloadTokens<Link>;
  readonly packages: PackageDownloads;
  readonly clock: Clock;
}

/** `invalid`: unknown, malformed or expired, told apart to nobody. */
export type DownloadOutcome =
  | { readonly outcome: 'invalid' | 'revoked' | 'package-deleted' }
  | { readonly outcome: 'redirect'; readonly location: string };

export async function getDownload<Link extends DownloadLinkRef>(
  deps: GetDownloadDeps<Link>,
  token: string,
): Promise<DownloadOutcome> {
  const now = deps.clock.now();
  const resolved = await deps.tokens.resolve(token, now);
  if (resolved.outcome === 'unknown' || resolved.outcome === 'expired') return { outcome: 'invalid' };
  if (resolved.outcome === 'revoked') return { outcome: 'revoked' };
  const { link } = resolved;

  if (!(await deps.packages.exists(link.packageKey))) return { outcome: 'package-deleted' };
  if ((await deps.tokens.recordUse(link, now)) === 'revoked') return { outcome: 'revoked' };
  const location = await deps.packages.downloadUrl(
    link.packageKey,
    downloadFileName(link.packageKey),
    PRESIGNED_URL_SECONDS,
  );
  return { outcome: 'redirect', location };
}
