import { describe, expect, it } from 'vitest';
import { MemoryAnchorStore, MemoryTrailHeads } from '../../../../adapters/memory/memory-audit-anchors';
import { anchorDue, anchorTrailsIfDue } from '../../../../app/audit/anchor-trails';
import { latestAnchor, verifyTrails } from '../../../../app/audit/verify-trails';
import { sweepRequests } from '../../../../app/timers/sweep';
import { anchorHolds } from '../../../../domain/audit-anchor';
import { memoryPorts } from '../timers/support';

const HEADS = [
  { trailId: 'req-b', lastSeq: 3, lastHash: 'b3' },
  { trailId: 'req-a', lastSeq: 5, lastHash: 'a5' },
  { trailId: 'calendar:cn-state-council', lastSeq: 2, lastHash: 'c2' },
];

function deps() {
  return { heads: new MemoryTrailHeads([...HEADS], 2), anchors: new MemoryAnchorStore() };
}

describe('anchoring the audit trails', () => {
  it('anchors every head, across pages, when no anchor exists yet', async () => {
    const ports = deps();
    const anchor = await anchorTrailsIfDue(ports, new Date('2026-03-01T10:00:00Z'));
    expect(anchor).toMatchObject({ anchoredAt: '2026-03-01T10:00:00.000Z', count: 3 });
    expect(anchor!.leaves.map((leaf) => leaf.trailId)).toEqual([
      'calendar:cn-state-council',
      'req-a',
      'req-b',
    ]);
    expect(anchorHolds(anchor!)).toBe(true);
    expect(ports.anchors.written).toEqual([anchor]);
  });

  it('writes nothing while the latest anchor is younger than 24 hours, and anchors again once it is not', async () => {
    const ports = deps();
    await anchorTrailsIfDue(ports, new Date('2026-03-01T10:00:00Z'));
    expect(await anchorTrailsIfDue(ports, new Date('2026-03-01T10:01:00Z'))).toBeUndefined();
    expect(await anchorTrailsIfDue(ports, new Date('2026-03-02T09:59:59.999Z'))).toBeUndefined();
    expect(ports.anchors.written).toHaveLength(1);

    ports.heads.leaves = [...HEADS, { trailId: 'req-c', lastSeq: 1, lastHash: 'c1' }];
    const next = await anchorTrailsIfDue(ports, new Date('2026-03-02T10:00:00Z'));
    expect(next).toMatchObject({ anchoredAt: '2026-03-02T10:00:00.000Z', count: 4 });
    expect((await ports.anchors.latest())?.anchoredAt).toBe('2026-03-02T10:00:00.000Z');
  });

  it('makes up for missed days with one anchor, and is not due for an anchor dated ahead of the clock', () => {
    const latest = {
      version: 1,
      anchoredAt: '2026-03-01T10:00:00.000Z',
      count: 0,
      root: '',
      leaves: [],
    } as const;
    expect(anchorDue(undefined, new Date('2026-03-01T10:00:00Z'))).toBe(true);
    expect(anchorDue(latest, new Date('2026-03-09T00:00:00Z'))).toBe(true);
    expect(anchorDue(latest, new Date('2026-02-28T10:00:00Z'))).toBe(false);
  });

  it('is run by the sweep by the real clock, not the instant a sweep is replayed as of', async () => {
    const ports = memoryPorts('2026-03-01T10:00:00.000Z');
    ports.audit.heads.leaves = [...HEADS];
    await sweepRequests(ports, { jobs: [] });
    await sweepRequests(ports, { asOf: new Date('2026-03-05T10:00:00Z'), jobs: [] });
    expect(ports.audit.anchors.written.map((anchor) => anchor.anchoredAt)).toEqual([
      '2026-03-01T10:00:00.000Z',
    ]);
    expect(ports.telemetry.lines).toContainEqual({
      level: 'info',
      message: 'Audit trails anchored',
      fields: { anchoredAt: '2026-03-01T10:00:00.000Z', trails: 3 },
    });
  });

  it('logs and counts a failed anchor without failing the sweep; the next sweep finds it still due', async () => {
    const ports = memoryPorts('2026-03-01T10:00:00.000Z');
    const failing = Object.assign(new Error('no bucket'), { name: 'NoSuchBucket' });
    const write = ports.audit.anchors.write.bind(ports.audit.anchors);
    ports.audit.anchors.write = async () => {
      throw failing;
    };
    const summary = await sweepRequests(ports, { jobs: [] });
    expect(summary.failed).toBe(0);
    expect(ports.telemetry.counts.AuditAnchorFailed).toBe(1);
    expect(ports.telemetry.lines).toContainEqual({
      level: 'error',
      message: 'Audit anchor failed',
      fields: { errorName: 'NoSuchBucket' },
    });
    ports.audit.anchors.write = write;
    await sweepRequests(ports, { jobs: [] });
    expect(ports.audit.anchors.written).toHaveLength(1);
  });
});

describe('verifying against the anchor', () => {
  it('fails a damaged anchor before any trail, and reports an anchored trail no longer stored', async () => {
    const ports = deps();
    const anchor = (await anchorTrailsIfDue(ports, new Date('2026-03-01T10:00:00Z')))!;
    const trails = { read: async () => undefined, trailIds: async function* () {} };
    const mac = { sign: async () => '', verify: async () => true };
    const reports = [];
    for await (const report of verifyTrails({ trails, mac, anchors: ports.anchors }, 'all'))
      reports.push(report);
    expect(reports).toEqual(anchor.leaves.map((leaf) => ({ trailId: leaf.trailId, verdict: 'missing' })));

    ports.anchors.written[0] = { ...anchor, leaves: anchor.leaves.slice(1) };
    await expect(latestAnchor({ trails, mac, anchors: ports.anchors })).rejects.toMatchObject({
      name: 'AnchorDamaged',
    });
  });
});
