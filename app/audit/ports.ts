/** What verifying (and anchoring) the audit trails needs from the outside world. */
import type { AuditEvent } from '../../domain/audit';
import type { AnchorLeaf, TrailAnchor } from '../../domain/audit-anchor';
import type { TrailHead } from '../../domain/audit-verification';

export interface StoredTrail {
  /** The head the request record (or the calendar's chain-head item) keeps. */
  readonly head: TrailHead;
  /** The events as read, in the order read. */
  readonly events: readonly AuditEvent[];
}

export interface TrailStore {
  /** A request's trail (or `calendar:<id>`) with the head its record keeps; undefined if there is no record. */
  read(trailId: string): Promise<StoredTrail | undefined>;
  /** The id of every trail: every request, open or closed, and every calendar's trail. */
  trailIds(): AsyncIterable<readonly string[]>;
}

/** Every trail's head as its record keeps it, for the daily anchor (app/audit/anchor-trails.ts). */
export interface TrailHeads {
  /** Every request's and every calendar's head (trail id, last seq, last hash), a page at a time. */
  heads(): AsyncIterable<readonly AnchorLeaf[]>;
}

/** The anchors, in a bucket whose objects cannot be changed or deleted before their retention ends. */
export interface AnchorStore {
  /** The latest anchor written, if any. */
  latest(): Promise<TrailAnchor | undefined>;
  /** Stores `anchor` as a new object (never over an earlier one). */
  write(anchor: TrailAnchor): Promise<void>;
}
