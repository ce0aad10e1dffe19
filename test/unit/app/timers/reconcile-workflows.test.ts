import { describe, expect, it } from 'vitest';
import { reconcileWorkflows } from '../../../../app/timers/reconcile-workflows';
import { STUCK_REQUESTS_METRIC } from '../../../../definitions/metrics';
import { asOf, memoryPorts, storeRequest } from './support';

// 10:00 UTC: a minute the reconciler looks at (every minute in these ports).
const NOW = '2025-10-06T10:00:00.000Z';
const minutesBefore = (minutes: number) => new Date(Date.parse(NOW) - minutes * 60_000);
const ERASURE = { type: 'deletion', status: 'in-progress' } as const;

async function stuckCandidate(
  facts: Parameters<typeof storeRequest>[2] = ERASURE,
  receivedAt = '2025-10-06T09:00:00.000Z',
) {
  const deps = memoryPorts(NOW);
  const record = await storeRequest(deps.requests, 'pipl-default', { ...facts, receivedAt });
  return { deps, record };
}

describe('the reconcile-workflows job', () => {
  it.each([
    ['FAILED', 'States.Runtime'],
    ['TIMED_OUT', undefined],
    ['ABORTED', undefined],
  ] as const)(
    'moves a request whose execution %s to needs-attention, with its event and metric',
    async (status, error) => {
      const { deps, record } = await stuckCandidate();
      deps.workflows.runs.set(record.requestId, {
        status,
        startedAt: minutesBefore(3),
        stoppedAt: minutesBefore(2),
        ...(error ? { error } : {}),
      });

      expect(await reconcileWorkflows.run(deps, record, asOf(NOW))).toBe('changed');

      const stored = await deps.requests.get(record.requestId);
      expect(stored.status).toBe('needs-attention');
      expect(stored.attention).toMatchObject({
        detectedBy: 'reconciler',
        execution: record.requestId,
        from: 'in-progress',
        at: NOW,
      });
      expect(stored.attention?.reason).toContain(status.toLowerCase().replace('_', ' '));
      expect((await deps.requests.trail(record.requestId)).at(-1)).toMatchObject({
        type: 'workflow-failed',
        details: { detectedBy: 'reconciler' },
      });
      expect(deps.telemetry.counts[STUCK_REQUESTS_METRIC]).toBe(1);
    },
  );

  it('leaves a request alone while its execution runs, however long', async () => {
    const { deps, record } = await stuckCandidate();
    deps.workflows.runs.set(record.requestId, { status: 'RUNNING', startedAt: minutesBefore(600) });

    expect(await reconcileWorkflows.run(deps, record, asOf(NOW))).toBe('unchanged');
    expect((await deps.requests.get(record.requestId)).status).toBe('in-progress');
  });

  it('flags a request no execution ever ran, once the slowest step’s time has passed since it last changed', async () => {
    const recent = await stuckCandidate(ERASURE, minutesBefore(10).toISOString());
    expect(await reconcileWorkflows.run(recent.deps, recent.record, asOf(NOW))).toBe('unchanged');

    const old = await stuckCandidate(ERASURE, minutesBefore(20).toISOString());
    expect(await reconcileWorkflows.run(old.deps, old.record, asOf(NOW))).toBe('changed');
    expect((await old.deps.requests.get(old.record.requestId)).attention?.reason).toBe(
      'No workflow execution has run this request for 20 minutes',
    );
  });

  it('flags a request whose execution ended with the request still open', async () => {
    const { deps, record } = await stuckCandidate();
    deps.workflows.runs.set(record.requestId, {
      status: 'SUCCEEDED',
      startedAt: minutesBefore(40),
      stoppedAt: minutesBefore(30),
    });

    expect(await reconcileWorkflows.run(deps, record, asOf(NOW))).toBe('changed');
    expect((await deps.requests.get(record.requestId)).attention?.reason).toContain('still open');
  });

  it('asks about the latest redrive’s execution, not the first one', async () => {
    const { deps, record } = await stuckCandidate({ ...ERASURE, redrives: 2 });
    deps.workflows.runs.set(record.requestId, { status: 'FAILED', startedAt: minutesBefore(90) });
    deps.workflows.runs.set(`${record.requestId}-redrive-2`, {
      status: 'RUNNING',
      startedAt: minutesBefore(1),
    });

    expect(await reconcileWorkflows.run(deps, record, asOf(NOW))).toBe('unchanged');
  });

  it('ignores requests no workflow runs: agents’ types, unapproved ones, closed or stuck ones', async () => {
    for (const facts of [
      { type: 'correction', status: 'verified' },
      { type: 'portability', status: 'verified' },
      { type: 'deletion', status: 'fulfilled' },
      { type: 'deletion', status: 'needs-attention' },
      { type: 'deletion', status: 'awaiting-requester' },
    ] as const) {
      const { deps, record } = await stuckCandidate(facts, minutesBefore(600).toISOString());
      expect(await reconcileWorkflows.run(deps, record, asOf(NOW)), `${facts.type} ${facts.status}`).toBe(
        'unchanged',
      );
    }
  });

  it('looks only on the sweeps of its interval, by the real clock', async () => {
    const { deps, record } = await stuckCandidate();
    deps.workflows.runs.set(record.requestId, { status: 'FAILED', startedAt: minutesBefore(5) });
    const paced = { ...deps, reconciler: { ...deps.reconciler, everyMinutes: 10 } };
    deps.clock.set('2025-10-06T10:03:00.000Z');

    expect(await reconcileWorkflows.run(paced, record, asOf(NOW))).toBe('unchanged');
    deps.clock.set('2025-10-06T10:10:00.000Z');
    expect(await reconcileWorkflows.run(paced, record, asOf(NOW))).toBe('changed');
  });
});
