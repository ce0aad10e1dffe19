import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuditEvent, chainEvent } from '../../../domain/audit';
import { type TrailFinding, type TrailHead, verifyTrail } from '../../../domain/audit-verification';

const KEY = 'trail-key-for-tests';
const macOf = (hash: string) => createHmac('sha256', KEY).update(Buffer.from(hash, 'hex')).digest('base64');
const macHolds = (event: AuditEvent) => event.mac === macOf(event.hash);

function signedTrail(length: number, trailId = 'req-1'): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (let i = 0; i < length; i++) {
    const event = chainEvent(trailId, events.at(-1), {
      type: 'note-added',
      actor: { kind: 'agent', id: 'alice' },
      at: `2025-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
      details: { n: i },
    });
    events.push({ ...event, mac: macOf(event.hash) });
  }
  return events;
}

const headOf = (events: readonly AuditEvent[]): TrailHead => ({
  lastSeq: events.at(-1)?.seq ?? 0,
  lastHash: events.at(-1)?.hash ?? '0'.repeat(64),
});

function verify(events: readonly AuditEvent[], record: TrailHead, anchored?: TrailHead) {
  return verifyTrail({ trailId: 'req-1', events, record, macHolds, ...(anchored ? { anchored } : {}) });
}

const findingsOf = (verdict: ReturnType<typeof verify>): readonly TrailFinding[] =>
  verdict.intact ? [] : verdict.findings;

/** Re-chains events[from..] after a change, as someone with write access but without the key would. */
function rechain(events: AuditEvent[], from: number): AuditEvent[] {
  const out = events.slice(0, from);
  for (const event of events.slice(from)) {
    const { hash: _h, mac, prevHash: _p, seq: _s, requestId, ...body } = event;
    const next = chainEvent(requestId, out.at(-1), body);
    out.push({ ...next, ...(mac ? { mac } : {}) });
  }
  return out;
}

describe('verifyTrail', () => {
  it('passes a signed trail that ends at its record head and holds its anchored head', () => {
    const events = signedTrail(5);
    expect(verify(events, headOf(events), headOf(events.slice(0, 3)))).toEqual({ intact: true });
    expect(verify([], headOf([]))).toEqual({ intact: true });
  });

  it('names each kind of tampering precisely', () => {
    const events = signedTrail(5);
    const head = headOf(events);
    const edited = events.map((e) => (e.seq === 3 ? { ...e, details: { n: 99 } } : e));
    expect(findingsOf(verify(edited, head))).toEqual([{ kind: 'rewritten', seq: 3, reason: 'content' }]);

    const forged = rechain(edited, 2);
    expect(findingsOf(verify(forged, headOf(forged)))).toEqual([
      { kind: 'rewritten', seq: 3, reason: 'mac' },
      { kind: 'rewritten', seq: 4, reason: 'mac' },
      { kind: 'rewritten', seq: 5, reason: 'mac' },
    ]);

    const gap = events.filter((e) => e.seq !== 2);
    expect(findingsOf(verify(gap, head))).toEqual([{ kind: 'removed', fromSeq: 2, toSeq: 2 }]);

    const truncated = events.slice(0, 3);
    expect(findingsOf(verify(truncated, head))).toEqual([
      { kind: 'removed', fromSeq: 4, toSeq: 5 },
      { kind: 'record-head', record: head, trail: headOf(truncated) },
    ]);

    const swapped = [events[0]!, events[2]!, events[1]!, events[3]!, events[4]!];
    expect(findingsOf(verify(swapped, head))).toEqual([{ kind: 'reordered', seq: 2 }]);

    const duplicate = [...events.slice(0, 2), { ...events[1]!, details: { n: 7 } }, ...events.slice(2)];
    expect(findingsOf(verify(duplicate, head))).toEqual([{ kind: 'inserted', seq: 2 }]);

    // Truncated to 3 with the record head moved back to match: only the anchor tells.
    expect(findingsOf(verify(truncated, headOf(truncated), head))).toEqual([
      { kind: 'anchor', anchored: head, found: null },
    ]);
  });

  it('detects any single mutation of a valid trail', () => {
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('edit' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('forge' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('strip-mac' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('swap' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('append' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('renumber' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('foreign' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('record-head' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('truncate-with-head' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 10 }), mutation, (length, { op, at }) => {
        const events = signedTrail(length);
        const i = at % length;
        let trail: AuditEvent[] = events;
        let record = headOf(events);
        let expected: TrailFinding['kind'];
        switch (op) {
          case 'edit':
            trail = events.map((e, j) => (j === i ? { ...e, at: '2030-01-01T00:00:00.000Z' } : e));
            expected = 'rewritten';
            break;
          case 'forge':
            // Rewritten and re-chained to the end, the record head moved to match: the MACs tell.
            trail = rechain(
              events.map((e, j) => (j === i ? { ...e, details: { n: -1 } } : e)),
              i,
            );
            record = headOf(trail);
            expected = 'rewritten';
            break;
          case 'strip-mac': {
            const { mac: _mac, ...bare } = events[i]!;
            trail = events.map((e, j) => (j === i ? bare : e));
            expected = 'rewritten';
            break;
          }
          case 'delete':
            trail = events.filter((_, j) => j !== i);
            expected = 'removed';
            break;
          case 'swap': {
            trail = [...events];
            const k = i === length - 1 ? i - 1 : i + 1;
            [trail[i], trail[k]] = [trail[k]!, trail[i]!];
            expected = 'reordered';
            break;
          }
          case 'duplicate':
            trail = [
              ...events.slice(0, i + 1),
              { ...events[i]!, actor: { kind: 'agent', id: 'mallory' } },
              ...events.slice(i + 1),
            ];
            expected = 'inserted';
            break;
          case 'append': {
            const extra = chainEvent('req-1', events.at(-1), {
              type: 'note-added',
              actor: { kind: 'agent', id: 'mallory' },
              at: '2030-01-01T00:00:00.000Z',
            });
            trail = [...events, { ...extra, mac: events.at(-1)!.mac! }];
            expected = 'inserted';
            break;
          }
          case 'renumber':
            trail = events.map((e, j) => (j === i ? { ...e, seq: e.seq + length } : e));
            expected = 'inserted';
            break;
          case 'foreign':
            trail = events.map((e, j) => (j === i ? signedTrail(length, 'req-2')[i]! : e));
            expected = 'inserted';
            break;
          case 'record-head':
            record = {
              lastSeq: record.lastSeq,
              lastHash: events[0]!.hash === record.lastHash ? 'f'.repeat(64) : events[0]!.hash,
            };
            expected = 'record-head';
            break;
          case 'truncate-with-head':
            trail = events.slice(0, i);
            record = headOf(trail);
            expected = 'anchor';
            break;
        }
        const verdict = verify(trail, record, headOf(events));
        expect(verdict.intact).toBe(false);
        expect(findingsOf(verdict).map((finding) => finding.kind)).toContain(expected);
      }),
      { numRuns: 500 },
    );
  });
});
