import { describe, expect, it } from 'vitest';
import { MemoryRequestRepository } from '../../../../adapters/memory/memory-request-repository';
import { MemorySweepTelemetry } from '../../../../adapters/memory/memory-timer-ports';
import { minimiseClosedRequests } from '../../../../app/timers/minimise-closed';
import { getPolicy } from '../../../../domain/policy/registry';
import { given } from '../console/fixture';

const CLOSED_AT = '2025-03-20T08:00:00.000Z';
const DAY_MS = 86_400_000;
const daysAfterClose = (days: number) => new Date(Date.parse(CLOSED_AT) + days * DAY_MS);

/** A fulfilled request, closed at CLOSED_AT by a status change (the repository derives closedAt). */
async function closedRequest(requests: MemoryRequestRepository, requestId: string) {
  const open = await given(requests, {
    requestId,
    status: 'in-progress',
    extras: { details: 'my old address was 1 Example Road', requester: { role: 'self', name: 'Li Lei' } },
  });
  return requests.save(open, { ...open, status: 'fulfilled' }, [
    {
      type: 'status-changed',
      actor: { kind: 'system', id: 'CloseRequest' },
      at: CLOSED_AT,
      details: { from: 'in-progress', to: 'fulfilled' },
    },
  ]);
}

describe('minimiseClosedRequests (the sweep, hourly)', () => {
  const retention = getPolicy('pipl-default').clearValuesRetentionDays;

  it("keeps the clear values until the profile's retention after the close, then masks them once", async () => {
    const requests = new MemoryRequestRepository();
    const telemetry = new MemorySweepTelemetry();
    const closed = await closedRequest(requests, 'dsr-00000000-0000-4000-8000-0000000000c1');
    expect(closed.clearShard).toBe('CLEAR');
    const still = await given(requests, {
      requestId: 'dsr-00000000-0000-4000-8000-0000000000c2',
      status: 'in-progress',
    });

    const early = await minimiseClosedRequests(
      { requests, telemetry },
      { now: daysAfterClose(retention - 1), pageSize: 10 },
    );
    expect(early).toEqual({ minimised: 0, failed: 0 });
    expect((await requests.get(closed.requestId)).details).toBe('my old address was 1 Example Road');

    const due = await minimiseClosedRequests(
      { requests, telemetry },
      { now: daysAfterClose(retention), pageSize: 10 },
    );
    expect(due).toEqual({ minimised: 1, failed: 0 });
    const minimised = await requests.get(closed.requestId);
    expect(minimised).not.toHaveProperty('details');
    expect(minimised).not.toHaveProperty('clearShard');
    expect(minimised.requester.name).toBe('L.');
    expect(minimised.identifiers[0]?.value).toBe(minimised.identifiers[0]?.masked);
    expect((await requests.trail(closed.requestId)).at(-1)).toMatchObject({
      type: 'personal-data-minimised',
      details: { cleared: expect.arrayContaining(['identifier-values', 'details', 'requester-name']) },
    });
    expect(telemetry.counts.RequestsMinimised).toBe(1);

    // Once: the index no longer holds it, and the open request was never touched.
    const again = await minimiseClosedRequests(
      { requests, telemetry },
      { now: daysAfterClose(retention + 5), pageSize: 10 },
    );
    expect(again).toEqual({ minimised: 0, failed: 0 });
    expect(await requests.get(still.requestId)).toEqual(still);
  });
});
