/**
 * Verifying audit trails: each event's MAC is checked with the trail key (one VerifyMac per event on
 * AWS, a few at a time), then the pure verdict (domain/audit-verification.ts) weighs hashes, MACs,
 * links, the record's head and the latest anchor's head. Used by `npx dsar audit verify`.
 */
import type { AuditEvent } from '../../domain/audit';
import { anchorHolds, type TrailAnchor } from '../../domain/audit-anchor';
import { type TrailVerdict, verifyTrail } from '../../domain/audit-verification';
import type { TrailMac } from '../ports';
import type { AnchorStore, TrailStore } from './ports';

/** MAC checks in flight at once: a trail of a few hundred events takes a few round trips, well under KMS quotas. */
const MAC_CONCURRENCY = 8;

export interface TrailReport {
  readonly trailId: string;
  /** `missing`: no record (or chain head) for this id. */
  readonly verdict: TrailVerdict | 'missing';
}

export interface AuditVerifyDeps {
  readonly trails: TrailStore;
  readonly mac: TrailMac;
  readonly anchors?: AnchorStore;
}

/** The events whose MAC holds, checked `MAC_CONCURRENCY` at a time. */
export async function macsHolding(events: readonly AuditEvent[], mac: TrailMac): Promise<Set<AuditEvent>> {
  const holding = new Set<AuditEvent>();
  let next = 0;
  const worker = async () => {
    while (next < events.length) {
      const event = events[next++]!;
      if (event.mac !== undefined && (await mac.verify(event.hash, event.mac))) holding.add(event);
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAC_CONCURRENCY, events.length) }, worker));
  return holding;
}

/** The anchor is itself damaged when its leaves no longer give its root. */
export class AnchorDamaged extends Error {
  override readonly name = 'AnchorDamaged' as const;
  constructor(readonly anchoredAt: string) {
    super(`The anchor of ${anchoredAt} does not hold: its leaves do not give its root`);
  }
}

export async function verifyOneTrail(
  deps: AuditVerifyDeps,
  trailId: string,
  anchor: TrailAnchor | undefined,
): Promise<TrailReport> {
  const stored = await deps.trails.read(trailId);
  if (stored === undefined) return { trailId, verdict: 'missing' };
  const holding = await macsHolding(stored.events, deps.mac);
  const leaf = anchor?.leaves.find((candidate) => candidate.trailId === trailId);
  const verdict = verifyTrail({
    trailId,
    events: stored.events,
    record: stored.head,
    ...(leaf ? { anchored: { lastSeq: leaf.lastSeq, lastHash: leaf.lastHash } } : {}),
    macHolds: (event) => holding.has(event),
  });
  return { trailId, verdict };
}

/** The latest anchor, checked whole; undefined when none has been written yet. */
export async function latestAnchor(deps: AuditVerifyDeps): Promise<TrailAnchor | undefined> {
  const anchor = await deps.anchors?.latest();
  if (anchor !== undefined && !anchorHolds(anchor)) throw new AnchorDamaged(anchor.anchoredAt);
  return anchor;
}

/**
 * Verifies the given trails, or every trail, one report each as it is done. With 'all', a trail the
 * latest anchor holds that is no longer listed (its record deleted) is reported `missing`: records
 * are never deleted, so that is a whole trail removed.
 */
export async function* verifyTrails(
  deps: AuditVerifyDeps,
  which: { readonly trailIds: readonly string[] } | 'all',
): AsyncIterable<TrailReport> {
  const anchor = await latestAnchor(deps);
  const pages = which === 'all' ? deps.trails.trailIds() : [which.trailIds];
  const seen = new Set<string>();
  for await (const ids of pages) {
    for (const trailId of ids) {
      seen.add(trailId);
      yield await verifyOneTrail(deps, trailId, anchor);
    }
  }
  if (which !== 'all' || anchor === undefined) return;
  for (const leaf of anchor.leaves) {
    if (!seen.has(leaf.trailId)) yield await verifyOneTrail(deps, leaf.trailId, anchor);
  }
}
