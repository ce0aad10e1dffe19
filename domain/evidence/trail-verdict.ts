/**
 * What the evidence pack says of the request's audit trail: whether it holds, and by which check.
 * The one place the pack asks; today the SHA-256 hash chain (domain/audit.ts verifyChain). A keyed,
 * anchored verifier replaces the body of `trailVerdictOf` (and adds its proof) without touching the
 * pack's builders.
 */
import { type AuditEvent, verifyChain } from '../audit';

export interface TrailVerdict {
  /** How the trail was checked. */
  readonly method: 'sha256-hash-chain';
  readonly intact: boolean;
  /** 1-based position of the first event whose link or content does not hold. */
  readonly brokenAt?: number;
  readonly events: number;
  /** Hash of the last event: the value a later anchor would commit to. */
  readonly lastHash: string | null;
  /** The verdict in one sentence, for the summary page. */
  readonly statement: string;
}

export function trailVerdictOf(events: readonly AuditEvent[]): TrailVerdict {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  const verdict = verifyChain(ordered);
  const lastHash = ordered.at(-1)?.hash ?? null;
  if (verdict.intact) {
    return {
      method: 'sha256-hash-chain',
      intact: true,
      events: ordered.length,
      lastHash,
      statement: `The ${ordered.length} events form an unbroken SHA-256 hash chain: none was removed, reordered or edited since it was written.`,
    };
  }
  return {
    method: 'sha256-hash-chain',
    intact: false,
    brokenAt: verdict.brokenAt,
    events: ordered.length,
    lastHash,
    statement: `The hash chain does not hold at event ${verdict.brokenAt} of ${ordered.length}: the trail was altered from there on.`,
  };
}
