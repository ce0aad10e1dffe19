import { describe, expect, it } from 'vitest';
import { StaleRequest } from '../../../../app/request-writes';
import { InvalidSweepEvent, parseSweepEvent, SWEEP_JOBS, sweepRequests } from '../../../../app/timers/sweep';
import type { SweepJob } from '../../../../app/timers/sweep-job';
import { CALENDAR_YEAR_MISSING_METRIC } from '../../../../definitions/metrics';
import { WATCHED_CALENDAR } from '../../../../domain/timers/calendar-year-watch';
import { memoryPorts, storeRequest } from './support';

// Inside the years the packaged calendars hold officially, before next year's notice is expected.
const NOW = '2025-10-16T04:01:00.000Z';

/** Three open requests (ids 1 to 3) and a closed one, which the open-request index does not hold. */
async function fourRequests(deps: ReturnType<typeof memoryPorts>) {
  for (const n of [1, 2, 3]) await storeRequest(deps.requests, 'sufe', { requestId: `dsr-sweep-${n}` });
  await storeRequest(deps.requests, 'sufe', { requestId: 'dsr-sweep-closed', status: 'fulfilled' });
}

/** A job that records what it saw and answers `outcome` (or throws it) for the ids given. */
function probe(name: string, outcomes: Record<string, 'changed' | Error> = {}) {
  const seen: string[] = [];
  const job: SweepJob = {
    name,
    async run(_deps, candidate) {
      seen.push(candidate.requestId);
      const outcome = outcomes[candidate.requestId];
      if (outcome instanceof Error) throw outcome;
      return outcome ?? 'unchanged';
    },
  };
  return { job, seen };
}

describe('the sweep', () => {
  it('runs every job, in order, over every open request, a page at a time', async () => {
    const deps = memoryPorts(NOW);
    await fourRequests(deps);
    const first = probe('first');
    const second = probe('second');

    const summary = await sweepRequests(deps, { jobs: [first.job, second.job] });

    expect(first.seen).toEqual(['dsr-sweep-1', 'dsr-sweep-2', 'dsr-sweep-3']);
    expect(second.seen).toEqual(first.seen);
    expect(summary).toEqual({
      now: NOW,
      pages: 2,
      examined: 3,
      changed: { first: 0, second: 0 },
      skipped: 0,
      failed: 0,
    });
    expect(deps.telemetry.counts).toEqual({ OpenRequestsSwept: 3 });
  });

  it('leaves a request a job changed to the next sweep: later jobs do not see it', async () => {
    const deps = memoryPorts(NOW);
    await fourRequests(deps);
    const first = probe('first', { 'dsr-sweep-2': 'changed' });
    const second = probe('second');

    const summary = await sweepRequests(deps, { jobs: [first.job, second.job] });

    expect(second.seen).toEqual(['dsr-sweep-1', 'dsr-sweep-3']);
    expect(summary.changed).toEqual({ first: 1, second: 0 });
  });

  it("goes on after a job's failure: the other jobs still run on that request, and the other requests are swept", async () => {
    const deps = memoryPorts(NOW);
    await fourRequests(deps);
    const failing = probe('failing', { 'dsr-sweep-1': Object.assign(new Error('boom'), { name: 'Boom' }) });
    const after = probe('after', { 'dsr-sweep-1': 'changed', 'dsr-sweep-3': 'changed' });

    const summary = await sweepRequests(deps, { jobs: [failing.job, after.job] });

    expect(failing.seen).toEqual(['dsr-sweep-1', 'dsr-sweep-2', 'dsr-sweep-3']);
    expect(after.seen).toEqual(['dsr-sweep-1', 'dsr-sweep-2', 'dsr-sweep-3']);
    expect(summary).toMatchObject({ examined: 3, failed: 1, changed: { failing: 0, after: 2 } });
    expect(deps.telemetry.lines).toContainEqual({
      level: 'error',
      message: 'Sweep job failed',
      fields: { job: 'failing', requestId: 'dsr-sweep-1', errorName: 'Boom' },
    });
  });

  it('skips a request someone else changed meanwhile, leaving it to the next sweep', async () => {
    const deps = memoryPorts(NOW);
    await fourRequests(deps);
    const racing = probe('racing', { 'dsr-sweep-2': new StaleRequest('dsr-sweep-2') });
    const after = probe('after');

    const summary = await sweepRequests(deps, { jobs: [racing.job, after.job] });

    expect(after.seen).toEqual(['dsr-sweep-1', 'dsr-sweep-3']);
    expect(summary).toMatchObject({ skipped: 1, failed: 0 });
  });

  it('sweeps as of the instant asked for, not the clock', async () => {
    const deps = memoryPorts(NOW);
    const seen: string[] = [];
    const job: SweepJob = {
      name: 'clock',
      run: async (_deps, _candidate, { now }) => {
        seen.push(now.toISOString());
        return 'unchanged';
      },
    };
    await storeRequest(deps.requests, 'sufe');

    const summary = await sweepRequests(deps, { asOf: new Date('2025-12-01T00:00:00Z'), jobs: [job] });

    expect(summary.now).toBe('2025-12-01T00:00:00.000Z');
    expect(seen).toEqual(['2025-12-01T00:00:00.000Z']);
  });

  it("warns once a sweep, from 1 November, while next year's official notice is not imported", async () => {
    const deps = memoryPorts('2026-11-02T00:00:00.000Z');

    const summary = await sweepRequests(deps, { jobs: [] });

    expect(summary.calendarYearMissing).toBe(2027);
    expect(deps.telemetry.counts).toMatchObject({ [CALENDAR_YEAR_MISSING_METRIC]: 1 });
    expect(deps.telemetry.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', fields: { calendar: WATCHED_CALENDAR, year: 2027 } }),
    );
  });

  describe('expired exports', () => {
    const oldPackage = (deps: ReturnType<typeof memoryPorts>) =>
      deps.objects.put('exports', 'dsr-old/package.zip', new Date('2025-01-01T00:00:00Z'));

    it('deletes them on the hour, by the clock', async () => {
      const deps = memoryPorts('2025-10-16T05:00:00.000Z');
      oldPackage(deps);

      await sweepRequests(deps, { jobs: [] });

      expect(deps.objects.keys('exports')).toEqual([]);
      expect(deps.telemetry.lines).toContainEqual(
        expect.objectContaining({ message: 'Expired exports deleted', fields: { requests: 1 } }),
      );
    });

    it('leaves them for the hour, and never deletes by a replayed instant', async () => {
      const deps = memoryPorts(NOW);
      deps.objects.put('exports', 'dsr-live/package.zip', new Date(NOW));
      oldPackage(deps);

      await sweepRequests(deps, { asOf: new Date('2026-01-01T00:00:00Z'), jobs: [] });
      expect(deps.objects.keys('exports')).toHaveLength(2);

      deps.clock.set('2025-10-16T05:00:00.000Z');
      await sweepRequests(deps, { asOf: new Date('2026-01-01T00:00:00Z'), jobs: [] });
      expect(deps.objects.keys('exports')).toEqual(['dsr-live/package.zip']);
    });
  });

  it('with every job: expires the unverified, reminds on the rest, and a second sweep changes nothing', async () => {
    const deps = memoryPorts(NOW);
    await storeRequest(deps.requests, 'sufe', { requestId: 'dsr-sweep-reminded' });
    await storeRequest(deps.requests, 'caftrade', {
      requestId: 'dsr-sweep-unverified',
      status: 'pending-verification',
      receivedAt: '2025-09-01T01:00:00Z',
    });

    const first = await sweepRequests(deps);
    const second = await sweepRequests(deps);

    expect(first.changed).toEqual({
      'expire-unverified': 1,
      'end-fulfilment-wait': 0,
      'recompute-provisional-deadlines': 0,
      'deadline-timers': 1,
      'reconcile-workflows': 0,
    });
    expect(Object.keys(first.changed)).toEqual(SWEEP_JOBS.map((job) => job.name));
    expect((await deps.requests.get('dsr-sweep-unverified')).status).toBe('expired-unverified');
    expect(deps.mailer.sent).toEqual([expect.objectContaining({ to: 'privacy-team@demo.example' })]);
    expect(second).toMatchObject({ examined: 1, changed: { 'expire-unverified': 0, 'deadline-timers': 0 } });
  });
});

describe('the sweep event', () => {
  it.each([
    [{}, {}],
    [null, {}],
    [{ 'detail-type': 'Scheduled Event', source: 'aws.scheduler' }, {}],
    [{ now: '2025-10-31T09:00:00+08:00' }, { asOf: new Date('2025-10-31T01:00:00Z') }],
  ])('takes %j', (event, input) => {
    expect(parseSweepEvent(event)).toEqual(input);
  });

  it.each([[{ now: 'tomorrow' }], [{ now: '2025-10-31T09:00:00' }], ['sweep']])(
    'refuses %j as a permanent error',
    (event) => {
      expect(() => parseSweepEvent(event)).toThrow(InvalidSweepEvent);
    },
  );
});
