/**
 * RevocableDownloadLinks in memory, for unit tests: links given to it with their expiry, revoked in
 * place, each revocation audited on the request's trail in the repository given, once, as on AWS.
 */
import type { RevocableDownloadLinks } from '../../app/console/ports';
import type { RequestRepository } from '../../app/ports';

interface MemoryLink {
  readonly requestId: string;
  readonly linkId: string;
  readonly expiresAt: string;
  revokedAt?: string;
}

export class MemoryDownloadLinks implements RevocableDownloadLinks {
  readonly links: MemoryLink[] = [];

  constructor(private readonly requests: RequestRepository) {}

  /** A link issued for the request, live until `expiresAt` (ISO instant). */
  add(requestId: string, linkId: string, expiresAt: string): void {
    this.links.push({ requestId, linkId, expiresAt });
  }

  async liveLinks(requestId: string, now: Date): Promise<string[]> {
    return this.links
      .filter(
        (link) =>
          link.requestId === requestId &&
          link.revokedAt === undefined &&
          now.getTime() < Date.parse(link.expiresAt),
      )
      .map((link) => link.linkId);
  }

  async revoke(input: Parameters<RevocableDownloadLinks['revoke']>[0]): Promise<void> {
    const link = this.links.find(
      (item) => item.requestId === input.requestId && item.linkId === input.linkId,
    );
    if (!link) throw new Error(`No link ${input.linkId} of ${input.requestId}`);
    link.revokedAt ??= input.now.toISOString();
    const revokedAt = link.revokedAt;
    const trail = await this.requests.trail(input.requestId);
    const audited = trail.some(
      (event) => event.type === 'download-link-revoked' && event.details?.linkId === input.linkId,
    );
    if (audited) return;
    await this.requests.mutate(input.requestId, (current) => ({
      next: current,
      events: [
        {
          type: 'download-link-revoked',
          actor: input.actor,
          at: revokedAt,
          details: { linkId: input.linkId, ...(input.reason ? { reason: input.reason } : {}) },
        },
      ],
    }));
  }
}
