/**
 * The daily anchor of every audit trail: one Merkle root over the heads (trail id, last seq, last
 * hash) of all trails, written once to a bucket under Object Lock (app/audit/anchor-trails.ts). A
 * head stored later must extend the anchored one, so cutting a trail back and rewriting its record
 * head to match, which the trail alone cannot reveal, shows against the anchor.
 *
 * The tree is RFC 6962's (Certificate Transparency): leaves and inner nodes hashed with different
 * prefixes (0x00, 0x01) so a leaf can never pass for a node, the left subtree the largest power of
 * two. Leaves are sorted by trail id, so a root depends only on the set of heads. Pure: node:crypto.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

export interface AnchorLeaf {
  readonly trailId: string;
  readonly lastSeq: number;
  readonly lastHash: string;
}

/** The anchor object as stored: the root, and the leaves, from which any trail's inclusion proof follows. */
export interface TrailAnchor {
  readonly version: 1;
  /** ISO-8601 instant the heads were read. */
  readonly anchoredAt: string;
  readonly count: number;
  readonly root: string;
  readonly leaves: readonly AnchorLeaf[];
}

export interface ProofStep {
  readonly side: 'left' | 'right';
  readonly hash: string;
}

const sha256 = (...parts: (Buffer | string)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

export function leafHash(leaf: AnchorLeaf): string {
  const { trailId, lastSeq, lastHash } = leaf;
  return sha256(Buffer.from([0]), canonicalJson({ trailId, lastSeq, lastHash }));
}

function nodeHash(left: string, right: string): string {
  return sha256(Buffer.from([1]), Buffer.from(left, 'hex'), Buffer.from(right, 'hex'));
}

/** The largest power of two below n (n >= 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function rootOf(hashes: readonly string[]): string {
  if (hashes.length === 0) return sha256('');
  if (hashes.length === 1) return hashes[0]!;
  const k = split(hashes.length);
  return nodeHash(rootOf(hashes.slice(0, k)), rootOf(hashes.slice(k)));
}

const byTrailId = (a: AnchorLeaf, b: AnchorLeaf) =>
  a.trailId < b.trailId ? -1 : a.trailId > b.trailId ? 1 : 0;

export function merkleRoot(leaves: readonly AnchorLeaf[]): string {
  return rootOf([...leaves].sort(byTrailId).map(leafHash));
}

export function buildAnchor(leaves: readonly AnchorLeaf[], anchoredAt: string): TrailAnchor {
  const sorted = [...leaves]
    .sort(byTrailId)
    .map(({ trailId, lastSeq, lastHash }) => ({ trailId, lastSeq, lastHash }));
  return { version: 1, anchoredAt, count: sorted.length, root: merkleRoot(sorted), leaves: sorted };
}

/** Whether the anchor's leaves still give its root (a damaged or altered object does not). */
export function anchorHolds(anchor: TrailAnchor): boolean {
  return anchor.count === anchor.leaves.length && merkleRoot(anchor.leaves) === anchor.root;
}

/** The audit path of one trail's leaf, leaf to root; undefined if the anchor does not hold the trail. */
export function inclusionProof(anchor: TrailAnchor, trailId: string): ProofStep[] | undefined {
  const sorted = [...anchor.leaves].sort(byTrailId);
  const index = sorted.findIndex((leaf) => leaf.trailId === trailId);
  if (index < 0) return undefined;
  const path = (hashes: readonly string[], at: number): ProofStep[] => {
    if (hashes.length <= 1) return [];
    const k = split(hashes.length);
    return at < k
      ? [...path(hashes.slice(0, k), at), { side: 'right', hash: rootOf(hashes.slice(k)) }]
      : [...path(hashes.slice(k), at - k), { side: 'left', hash: rootOf(hashes.slice(0, k)) }];
  };
  return path(sorted.map(leafHash), index);
}

/** Whether `proof` leads from `leaf` to `root`. */
export function proofHolds(root: string, leaf: AnchorLeaf, proof: readonly ProofStep[]): boolean {
  let hash = leafHash(leaf);
  for (const step of proof)
    hash = step.side === 'right' ? nodeHash(hash, step.hash) : nodeHash(step.hash, hash);
  return hash === root;
}
