import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuditEvent, chainEvent, GENESIS_HASH, verifyChain } from '../../../domain/audit';
import { canonicalJson } from '../../../domain/canonical-json';

const system = { kind: 'system', id: 'intake' } as const;

function trail(length: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (let i = 0; i < length; i++) {
    events.push(
      chainEvent('req-1', events.at(-1), {
        type: 'note-added',
        actor: system,
        at: `2025-01-01T00:00:0${i % 10}.000Z`,
        details: { n: i },
      }),
    );
  }
  return events;
}

describe('audit trail', () => {
  it('starts the chain from the genesis hash at sequence 1', () => {
    const [first] = trail(1);
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(first!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('links each event to the hash of the one before', () => {
    const events = trail(5);
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
    expect(verifyChain(events)).toEqual({ intact: true });
  });

  it('detects an edited, deleted or reordered event at its position', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.nat(), (length, pick) => {
        const events = trail(length);
        const i = pick % length;
        const edited = events.map((e, j) => (j === i ? { ...e, details: { n: -1 } } : e));
        expect(verifyChain(edited)).toEqual({ intact: false, brokenAt: i + 1 });
        const deleted = events.filter((_, j) => j !== i);
        if (i < length - 1) expect(verifyChain(deleted)).toEqual({ intact: false, brokenAt: i + 1 });
        const swapped = [...events];
        const k = (i + 1) % length;
        [swapped[i], swapped[k]] = [swapped[k]!, swapped[i]!];
        expect(verifyChain(swapped).intact).toBe(false);
      }),
    );
  });

  it('hashes the same content identically whatever the key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      }),
    );
  });
});
