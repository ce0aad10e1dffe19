import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anchorHolds,
  buildAnchor,
  inclusionProof,
  merkleRoot,
  proofHolds,
} from '../../../domain/audit-anchor';

const leafArb = fc.record({
  trailId: fc.string({ minLength: 1, maxLength: 12 }),
  lastSeq: fc.integer({ min: 1, max: 1000 }),
  lastHash: fc
    .uint8Array({ minLength: 32, maxLength: 32 })
    .map((bytes) => Buffer.from(bytes).toString('hex')),
});
const leavesArb = fc.uniqueArray(leafArb, { selector: (leaf) => leaf.trailId, minLength: 1, maxLength: 40 });

describe('trail anchor', () => {
  it('gives every leaf an inclusion proof that leads to the root, and no other leaf passes', () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), (leaves, pick) => {
        const anchor = buildAnchor(leaves, '2025-03-01T00:00:00.000Z');
        expect(anchorHolds(anchor)).toBe(true);
        const leaf = leaves[pick % leaves.length]!;
        const proof = inclusionProof(anchor, leaf.trailId)!;
        expect(proofHolds(anchor.root, leaf, proof)).toBe(true);
        expect(proofHolds(anchor.root, { ...leaf, lastSeq: leaf.lastSeq + 1 }, proof)).toBe(false);
      }),
    );
  });

  it('depends on the set of heads, not their order, and changes with any head', () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), (leaves, pick) => {
        expect(merkleRoot([...leaves].reverse())).toBe(merkleRoot(leaves));
        const i = pick % leaves.length;
        const moved = leaves.map((leaf, j) => (j === i ? { ...leaf, lastSeq: leaf.lastSeq + 1 } : leaf));
        expect(merkleRoot(moved)).not.toBe(merkleRoot(leaves));
      }),
    );
  });

  it('no longer holds when a leaf of the stored object is changed', () => {
    const anchor = buildAnchor(
      [
        { trailId: 'a', lastSeq: 1, lastHash: '1'.repeat(64) },
        { trailId: 'b', lastSeq: 2, lastHash: '2'.repeat(64) },
        { trailId: 'c', lastSeq: 3, lastHash: '3'.repeat(64) },
      ],
      '2025-03-01T00:00:00.000Z',
    );
    expect(anchor.count).toBe(3);
    expect(
      anchorHolds({
        ...anchor,
        leaves: [anchor.leaves[0]!, anchor.leaves[1]!, { ...anchor.leaves[2]!, lastSeq: 2 }],
      }),
    ).toBe(false);
    expect(inclusionProof(anchor, 'z')).toBeUndefined();
  });
});
