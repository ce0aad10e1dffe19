/**
 * Verifying a stored audit trail against what vouches for it: each event's hash (its content), its
 * keyed MAC (only the trail key's holder could have made it), the links between events, the head
 * the request record keeps (`lastSeq`, `lastHash`, written in the same transaction as the events)
 * and, when there is one, the head a daily anchor locked away (domain/audit-anchor.ts).
 *
 * Pure: the MACs are checked by the caller (KMS is a network call) and handed in as `macHolds`.
 * Every finding names the sequence numbers it concerns, so an auditor reads what was done to the
 * trail, not only that something was.
 */
import { type AuditEvent, GENESIS_HASH, hashHolds } from './audit';

export interface TrailHead {
  readonly lastSeq: number;
  readonly lastHash: string;
}

export type TrailFinding =
  /**
   * The event at `seq` is not what was written: its content no longer hashes to its hash (`content`),
   * its MAC is missing or was not made over its hash with the trail key (`mac`: the hash was
   * recomputed), or it does not link to the event before it (`link`).
   */
  | { readonly kind: 'rewritten'; readonly seq: number; readonly reason: 'content' | 'mac' | 'link' }
  /** Events `fromSeq`..`toSeq` are missing (a gap, a missing start, or a trail shorter than its head). */
  | { readonly kind: 'removed'; readonly fromSeq: number; readonly toSeq: number }
  /** The event at `seq` was read after an event with a higher sequence number. */
  | { readonly kind: 'reordered'; readonly seq: number }
  /** An event at `seq` that the trail cannot hold: a second one at that seq, one beyond the head, or another trail's. */
  | { readonly kind: 'inserted'; readonly seq: number }
  /** The trail ends elsewhere than the head its record keeps. */
  | { readonly kind: 'record-head'; readonly record: TrailHead; readonly trail: TrailHead }
  /** The anchored head is not in the trail (`found`: the hash at the anchored seq, null if none). */
  | { readonly kind: 'anchor'; readonly anchored: TrailHead; readonly found: string | null };

export type TrailVerdict =
  | { readonly intact: true }
  | { readonly intact: false; readonly findings: readonly TrailFinding[] };

export interface TrailToVerify {
  /** The request id (or `calendar:<id>`) every event must carry. */
  readonly trailId: string;
  /** The events as read, in the order read. */
  readonly events: readonly AuditEvent[];
  /** The head the request record keeps. */
  readonly record: TrailHead;
  /** The head of the latest anchor that holds this trail, if any. */
  readonly anchored?: TrailHead;
  /** Whether the event's MAC was made over its hash with the trail key (checked by the caller). */
  readonly macHolds: (event: AuditEvent) => boolean;
}

const EMPTY_HEAD: TrailHead = { lastSeq: 0, lastHash: GENESIS_HASH };

export function verifyTrail(trail: TrailToVerify): TrailVerdict {
  const findings: TrailFinding[] = [];
  const { events, record } = trail;

  for (let i = 1; i < events.length; i++) {
    if (events[i]!.seq < events[i - 1]!.seq) findings.push({ kind: 'reordered', seq: events[i]!.seq });
  }

  // One event per sequence number, the first whose hash and MAC hold if there are several.
  const genuine = (event: AuditEvent) => hashHolds(event) && event.mac !== undefined && trail.macHolds(event);
  const bySeq = new Map<number, AuditEvent>();
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    const foreign = event.requestId !== trail.trailId || !Number.isInteger(event.seq) || event.seq < 1;
    const beyondHead = event.seq > record.lastSeq;
    const kept = bySeq.get(event.seq);
    if (foreign || beyondHead || kept !== undefined) {
      findings.push({ kind: 'inserted', seq: event.seq });
      if (!foreign && !beyondHead && kept !== undefined && !genuine(kept) && genuine(event)) {
        bySeq.set(event.seq, event);
      }
      continue;
    }
    bySeq.set(event.seq, event);
  }

  let previous: AuditEvent | undefined;
  let previousRewritten = false;
  for (const event of [...bySeq.values()].sort((a, b) => a.seq - b.seq)) {
    const expected = (previous?.seq ?? 0) + 1;
    if (event.seq > expected) findings.push({ kind: 'removed', fromSeq: expected, toSeq: event.seq - 1 });
    let rewritten = true;
    if (!hashHolds(event)) findings.push({ kind: 'rewritten', seq: event.seq, reason: 'content' });
    else if (event.mac === undefined || !trail.macHolds(event)) {
      findings.push({ kind: 'rewritten', seq: event.seq, reason: 'mac' });
    } else if (
      // A link after a rewritten or missing event is that event's finding, not a second one.
      event.seq === expected &&
      !previousRewritten &&
      event.prevHash !== (previous?.hash ?? GENESIS_HASH)
    ) {
      findings.push({ kind: 'rewritten', seq: event.seq, reason: 'link' });
    } else rewritten = false;
    previous = event;
    previousRewritten = rewritten;
  }

  const trailHead: TrailHead = previous ? { lastSeq: previous.seq, lastHash: previous.hash } : EMPTY_HEAD;
  if (record.lastSeq > trailHead.lastSeq) {
    findings.push({ kind: 'removed', fromSeq: trailHead.lastSeq + 1, toSeq: record.lastSeq });
  }
  // Events beyond the record's head were set aside above, so the trail's head is compared as kept.
  const lastRead = [...events]
    .filter((event) => event.requestId === trail.trailId)
    .sort((a, b) => a.seq - b.seq)
    .at(-1);
  const readHead = lastRead ? { lastSeq: lastRead.seq, lastHash: lastRead.hash } : EMPTY_HEAD;
  if (readHead.lastSeq !== record.lastSeq || readHead.lastHash !== record.lastHash) {
    findings.push({ kind: 'record-head', record: { ...record }, trail: readHead });
  }

  const anchored = trail.anchored;
  if (anchored !== undefined && anchored.lastSeq > 0) {
    const found = bySeq.get(anchored.lastSeq)?.hash ?? null;
    if (found !== anchored.lastHash || anchored.lastSeq > record.lastSeq) {
      findings.push({ kind: 'anchor', anchored: { ...anchored }, found });
    }
  }

  return findings.length === 0 ? { intact: true } : { intact: false, findings };
}

/** One line per finding, for the CLI and logs (sequence numbers and hashes only: no event content). */
export function describeFinding(finding: TrailFinding): string {
  switch (finding.kind) {
    case 'rewritten':
      return `event ${finding.seq} rewritten (${
        {
          content: 'content does not match its hash',
          mac: 'MAC does not hold',
          link: 'does not link to the event before',
        }[finding.reason]
      })`;
    case 'removed':
      return finding.fromSeq === finding.toSeq
        ? `event ${finding.fromSeq} removed`
        : `events ${finding.fromSeq}-${finding.toSeq} removed`;
    case 'reordered':
      return `event ${finding.seq} out of order`;
    case 'inserted':
      return `event ${finding.seq} inserted`;
    case 'record-head':
      return `trail ends at ${finding.trail.lastSeq}, record head is ${finding.record.lastSeq}${
        finding.trail.lastSeq === finding.record.lastSeq ? ' with another hash' : ''
      }`;
    case 'anchor':
      return `anchored head ${finding.anchored.lastSeq} ${
        finding.found === null ? 'is not in the trail' : 'has another hash in the trail'
      }`;
  }
}
