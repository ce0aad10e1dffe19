/**
 * DownloadTokens for unit tests: links kept by token, each with an expiry and maybe a revocation; a use is
 * counted on the link (or answered `revoked` once `revokeOnUse` says a revocation came in between).
 */
import type { DownloadLinkRef, DownloadTokenState, DownloadTokens } from '../../app/downloads/ports';

export interface MemoryDownloadLink extends DownloadLinkRef {
  readonly token: string;
  readonly expiresAt: string;
  revokedAt?: string;
  /** Revoke the link between its resolution and the recording of its use (a race with the console). */
  revokeOnUse?: boolean;
  readonly uses: string[];
}

export class MemoryDownloadTokens implements DownloadTokens<MemoryDownloadLink> {
  readonly links = new Map<string, MemoryDownloadLink>();

  add(link: Omit<MemoryDownloadLink, 'uses'>): MemoryDownloadLink {
    const stored = { ...link, uses: [] };
    this.links.set(link.token, stored);
    return stored;
  }

  async resolve(token: string, now: Date): Promise<DownloadTokenState<MemoryDownloadLink>> {
    const link = this.links.get(token);
    if (!link) return { outcome: 'unknown' };
    if (link.revokedAt !== undefined) return { outcome: 'revoked', link };
    return { outcome: now.getTime() >= Date.parse(link.expiresAt) ? 'expired' : 'active', link };
  }

  async recordUse(link: MemoryDownloadLink, now: Date): Promise<'recorded' | 'revoked'> {
    if (link.revokeOnUse) link.revokedAt = now.toISOString();
    if (link.revokedAt !== undefined) return 'revoked';
    link.uses.push(now.toISOString());
    return 'recorded';
  }
}
