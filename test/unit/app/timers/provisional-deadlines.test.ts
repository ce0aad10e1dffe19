import { describe, expect, it } from 'vitest';
import { recomputeProvisionalDeadlines } from '../../../../app/timers/provisional-deadlines';
import { calendarSet, checkNotice, PACKAGED_CALENDARS } from '../../../../domain/clock';
import notice2027 from '../../../fixtures/calendars/cn-state-council-2027.test-fixture.json';
import { asOf, EMAIL, memoryPorts, storeRequest } from './support';

/** The packaged calendars with the invented 2027 notice (test fixture) imported. */
const WITH_2027 = calendarSet([checkNotice(notice2027).notice]);
const NOW = '2026-12-10T02:00:00.000Z';
const MAILED_AT = '2026-12-10T02:00:01.000Z';

// A sufe request received on 4 December 2026 is due on 29 December on the baseline, 5 January officially.
async function provisional(facts = {}) {
  const deps = memoryPorts(MAILED_AT, WITH_2027);
  const record = await storeRequest(deps.requests, 'sufe', { receivedAt: '2026-12-04T02:00:00Z', ...facts });
  expect(record.deadline).toMatchObject({ dueDate: '2026-12-29', provisional: true });
  return { deps, record };
}

describe('the provisional-deadlines job', () => {
  it('leaves a provisional deadline alone while its year is not official', async () => {
    const { deps, record } = await provisional();

    expect(await recomputeProvisionalDeadlines.run(deps, record, asOf(NOW, PACKAGED_CALENDARS))).toBe(
      'unchanged',
    );
    expect(deps.mailer.sent).toEqual([]);
  });

  it("recomputes it once the year's notice is imported, puts it on the trail and tells the requester the new date", async () => {
    const { deps, record } = await provisional();

    expect(await recomputeProvisionalDeadlines.run(deps, record, asOf(NOW, WITH_2027))).toBe('changed');

    const stored = await deps.requests.get(record.requestId);
    expect(stored.deadline.dueDate).toBe('2027-01-05');
    expect(stored.deadline).not.toHaveProperty('provisional');
    const trail = await deps.requests.trail(record.requestId);
    expect(trail.slice(-2)).toMatchObject([
      {
        type: 'deadline-recomputed',
        at: NOW,
        details: { dueDateBefore: '2026-12-29', dueDate: '2027-01-05' },
      },
      {
        type: 'notification-sent',
        at: MAILED_AT,
        details: { notice: 'deadline-recomputed', to: EMAIL.masked, dueDate: '2027-01-05' },
      },
    ]);
    expect(deps.mailer.sent).toEqual([
      expect.objectContaining({
        to: EMAIL.value,
        messageId: `<${record.requestId}.deadline-recomputed-2027-01-05@timers.dsar-pipeline>`,
      }),
    ]);
    expect(deps.telemetry.counts).toEqual({ DeadlineRecomputed: 1 });
  });

  it('recomputes once: a second sweep finds the official deadline and mails nothing', async () => {
    const { deps, record } = await provisional();
    await recomputeProvisionalDeadlines.run(deps, record, asOf(NOW, WITH_2027));

    const again = await deps.requests.get(record.requestId);
    expect(await recomputeProvisionalDeadlines.run(deps, again, asOf(NOW, WITH_2027))).toBe('unchanged');
    expect(deps.mailer.sent).toHaveLength(1);
  });

  it('records a failed mail on the trail and counts it; the recomputed deadline stands', async () => {
    const { deps, record } = await provisional();
    deps.mailer.failWith = Object.assign(new Error('relay down'), { name: 'SmtpRelayUnavailable' });

    expect(await recomputeProvisionalDeadlines.run(deps, record, asOf(NOW, WITH_2027))).toBe('changed');

    expect((await deps.requests.get(record.requestId)).deadline.dueDate).toBe('2027-01-05');
    expect((await deps.requests.trail(record.requestId)).at(-1)).toMatchObject({
      type: 'notification-failed',
      details: { notice: 'deadline-recomputed', errorName: 'SmtpRelayUnavailable' },
    });
    expect(deps.telemetry.counts).toMatchObject({ NotificationFailed: 1 });
  });

  it('recomputes a request with no email address without mailing anyone', async () => {
    const { deps, record } = await provisional({
      identifiers: [
        { kind: 'phone', value: '+8613800138000', key: 'p', masked: '+86138****8000', verified: true },
      ],
    });

    expect(await recomputeProvisionalDeadlines.run(deps, record, asOf(NOW, WITH_2027))).toBe('changed');
    expect(deps.mailer.sent).toEqual([]);
    expect((await deps.requests.trail(record.requestId)).at(-1)?.type).toBe('deadline-recomputed');
  });
});
