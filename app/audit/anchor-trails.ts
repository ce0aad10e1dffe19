/**
 * The daily anchor of the audit trails: every trail's head (trail id, last seq, last hash, as its
 * record keeps it) under one Merkle root (domain/audit-anchor.ts), written as a new object to a bucket
 * under Object Lock in compliance mode. Verification (verify-trails.ts) then requires each trail to
 * still hold its anchored head, so a trail cut back together with its record's head, which the trail
 * alone cannot reveal, fails against the last anchor written before the cut.
 *
 * Run by the timer sweep (app/timers/sweep.ts) by the real clock: an anchor is due when none exists or
 * the latest is 24 hours old, decided from the latest anchor alone, so a missed sweep (or a missed
 * day) is made up by the next one.
 */
import { type AnchorLeaf, buildAnchor, type TrailAnchor } from '../../domain/audit-anchor';
import type { AnchorStore, TrailHeads } from './ports';

/** How old the latest anchor may get before the next is written. */
export const ANCHOR_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface AnchorTrailsDeps {
  readonly heads: TrailHeads;
  readonly anchors: AnchorStore;
}

/** Whether an anchor is due at `now`: none written yet, or the latest is at least ANCHOR_INTERVAL_MS old. */
export function anchorDue(latest: TrailAnchor | undefined, now: Date): boolean {
  if (latest === undefined) return true;
  return now.getTime() - Date.parse(latest.anchoredAt) >= ANCHOR_INTERVAL_MS;
}

/** Reads every trail head and writes one anchor over them, as of `now` (the instant the heads are read). */
export async function anchorTrails(deps: AnchorTrailsDeps, now: Date): Promise<TrailAnchor> {
  const leaves: AnchorLeaf[] = [];
  for await (const page of deps.heads.heads()) leaves.push(...page);
  const anchor = buildAnchor(leaves, now.toISOString());
  await deps.anchors.write(anchor);
  return anchor;
}

/** Writes an anchor if one is due at `now`; the anchor written, or undefined if none was due. */
export async function anchorTrailsIfDue(deps: AnchorTrailsDeps, now: Date): Promise<TrailAnchor | undefined> {
  if (!anchorDue(await deps.anchors.latest(), now)) return undefined;
  return anchorTrails(deps, now);
}
