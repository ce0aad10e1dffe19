/**
 * The ports of the download route's use case (app/downloads/get-download.ts), besides the shared clock
 * in app/ports.ts. Production adapters are in adapters/aws/; tests use adapters/memory/.
 */

/** A download link as the use case sees it: the request and the package it opens. */
export interface DownloadLinkRef {
  readonly requestId: string;
  readonly packageKey: string;
}

/** What a presented token is: unknown (never issued, malformed, or removed), or a link in a state. */
export type DownloadTokenState<Link extends DownloadLinkRef = DownloadLinkRef> =
  | { readonly outcome: 'unknown' }
  | { readonly outcome: 'expired' | 'revoked' | 'active'; readonly link: Link };

/**
 * The stored download links, found by the bearer token a requester presents (only its keyed hash is
 * stored). `Link` is whatever the store hands out, handed back to `recordUse` unchanged.
 */
export interface DownloadTokens<Link extends DownloadLinkRef = DownloadLinkRef> {
  resolve(token: string, now: Date): Promise<DownloadTokenState<Link>>;
  /** Counts a use of an active link and audits it on the request; `revoked` if it was revoked meanwhile. */
  recordUse(link: Link, now: Date): Promise<'recorded' | 'revoked'>;
}

/** The export packages, where a requester downloads them from. */
export interface PackageDownloads {
  /** False once the retention job has deleted the package. */
  exists(packageKey: string): Promise<boolean>;
  /** A URL that downloads the package as a zip named `fileName` and stops working after `expiresInSeconds`. */
  downloadUrl(packageKey: string, fileName: string, expiresInSeconds: number): Promise<string>;
}
