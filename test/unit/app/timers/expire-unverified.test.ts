import { describe, expect, it } from 'vitest';
import { expireUnverified } from '../../../../app/timers/expire-unverified';
import { getPolicy } from '../../../../domain/policy/registry';
import { asOf, memoryPorts, storeRequest } from './support';

const RECEIVED_AT = '2025-03-03T01:00:00.000Z'; // 09:00 in Shanghai
const DAY_MS = 24 * 60 * 60 * 1000;
const daysAfterReceipt = (days: number) => new Date(Date.parse(RECEIVED_AT) + days * DAY_MS).toISOString();

async function unverified(status: 'pending-verification' | 'verified' = 'pending-verification') {
  const deps = memoryPorts(daysAfterReceipt(31));
  const record = await storeRequest(deps.requests, 'caftrade', { status, receivedAt: RECEIVED_AT });
  return { deps, record };
}

describe('the expire-unverified job', () => {
  it("leaves a request unverified on the last day of its policy's window", async () => {
    const { deps, record } = await unverified();
    expect(getPolicy('caftrade').unverifiedExpiryDays).toBe(30);

    expect(await expireUnverified.run(deps, record, asOf(daysAfterReceipt(30)))).toBe('unchanged');
    expect((await deps.requests.get(record.requestId)).status).toBe('pending-verification');
  });

  it('closes a request still unverified the day after, with the transition on the trail, out of the open index', async () => {
    const { deps, record } = await unverified();
    const now = daysAfterReceipt(31);

    expect(await expireUnverified.run(deps, record, asOf(now))).toBe('changed');

    const stored = await deps.requests.get(record.requestId);
    expect(stored.status).toBe('expired-unverified');
    expect(stored).not.toHaveProperty('openShard');
    expect((await deps.requests.trail(record.requestId)).at(-1)).toMatchObject({
      type: 'status-changed',
      actor: { kind: 'system', id: 'SweepRequests' },
      at: now,
      details: { from: 'pending-verification', to: 'expired-unverified' },
    });
    expect(deps.telemetry.counts).toEqual({ RequestExpiredUnverified: 1 });
  });

  it('leaves a request verified since the index copy was read', async () => {
    const { deps, record } = await unverified();
    const stored = await deps.requests.get(record.requestId);
    await deps.requests.save(stored, { ...stored, status: 'verified' }, []);

    expect(await expireUnverified.run(deps, record, asOf(daysAfterReceipt(31)))).toBe('unchanged');
    expect((await deps.requests.get(record.requestId)).status).toBe('verified');
  });

  it('never expires a verified request', async () => {
    const { deps, record } = await unverified('verified');

    expect(await expireUnverified.run(deps, record, asOf(daysAfterReceipt(90)))).toBe('unchanged');
  });
});
