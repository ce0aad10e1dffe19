/**
 * What the evidence pack says of the request's audit trail: whether it holds, and by which check.
 * The keyed check (domain/audit-verification.ts verifyTrail) where the caller could verify the MACs:
 * each event's hash, its MAC under the trail key no function can export, the links, and the head the
 * request record keeps. Without MACs to go on, the SHA-256 hash chain alone, said as such.
 */
import { type AuditEvent, verifyChain } from '../audit';
import { describeFinding, type TrailHead, verifyTrail } from '../audit-verification';

export interface TrailVerdict {
  /** How the trail was checked. */
  readonly method: 'keyed-mac-chain' | 'sha256-hash-chain';
  readonly intact: boolean;
  /** 1-based position of the first event whose link, content or MAC does not hold. */
  readonly brokenAt?: number;
  /** What the keyed check found, one line each (sequence numbers and hashes only). */
  readonly findings?: readonly string[];
  readonly events: number;
  /** Hash of the last event: the value a daily anchor commits to. */
  readonly lastHash: string | null;
  /** The verdict in one sentence, for the summary page. */
  readonly statement: string;
}

export interface TrailKeyCheck {
  /** The head the request record keeps. */
  readonly record: TrailHead;
  /** Whether an event's MAC was made over its hash with the trail key (checked by the caller, e.g. KMS). */
  readonly macHolds: (event: AuditEvent) => boolean;
}

export function trailVerdictOf(
  events: readonly AuditEvent[],
  requestId: string,
  keyCheck?: TrailKeyCheck,
): TrailVerdict {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  const lastHash = ordered.at(-1)?.hash ?? null;
  if (keyCheck !== undefined) {
    const verdict = verifyTrail({
      trailId: requestId,
      events,
      record: keyCheck.record,
      macHolds: keyCheck.macHolds,
    });
    if (verdict.intact) {
      return {
        method: 'keyed-mac-chain',
        intact: true,
        events: ordered.length,
        lastHash,
        statement: `The ${ordered.length} events each carry a MAC made with the audit key, link into one chain and end at the head the request record keeps: none was removed, reordered, inserted or edited since it was written.`,
      };
    }
    const findings = verdict.findings.map(describeFinding);
    const seqs = verdict.findings.flatMap((finding) =>
      'seq' in finding ? [finding.seq] : 'fromSeq' in finding ? [finding.fromSeq] : [],
    );
    return {
      method: 'keyed-mac-chain',
      intact: false,
      ...(seqs.length > 0 ? { brokenAt: Math.min(...seqs) } : {}),
      findings,
      events: ordered.length,
      lastHash,
      statement: `The trail does not verify: ${findings.join('; ')}.`,
    };
  }
  const verdict = verifyChain(ordered);
  if (verdict.intact) {
    return {
      method: 'sha256-hash-chain',
      intact: true,
      events: ordered.length,
      lastHash,
      statement: `The ${ordered.length} events form an unbroken SHA-256 hash chain (their MACs were not checked): none was removed, reordered or edited since it was written.`,
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
