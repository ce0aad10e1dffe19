/** A DownloadLinkIssuer for unit tests: numbered links, expiring after the lifetime asked for. */
import type { DownloadLinkIssuer } from '../../app/fulfilment/ports';

const DAY_MS = 24 * 60 * 60 * 1000;

export class MemoryDownloadLinkIssuer implements DownloadLinkIssuer {
  readonly issued: { requestId: string; packageKey: string; lifetimeDays: number; url: string }[] = [];

  async issue(input: { requestId: string; packageKey: string; lifetimeDays: number; now: Date }) {
    const url = `https://dsar.example/download/token-${this.issued.length + 1}`;
    this.issued.push({
      requestId: input.requestId,
      packageKey: input.packageKey,
      lifetimeDays: input.lifetimeDays,
      url,
    });
    return { url, expiresAt: new Date(input.now.getTime() + input.lifetimeDays * DAY_MS).toISOString() };
  }
}
