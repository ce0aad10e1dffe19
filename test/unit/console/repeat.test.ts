import { describe, expect, it } from 'vitest';
import type { PlainDate } from '../../../domain/clock';
import { FeeNotAllowed } from '../../../domain/console/errors';
import { assessRepeat, type EarlierRequest, flagRepeat } from '../../../domain/console/repeat';
import { getPolicy } from '../../../domain/policy/registry';
import { aRequest, contextOn } from './builders';

const today = contextOn('2025-03-04' as PlainDate);
/** This request: received 2025-03-03 in Shanghai. */
const current = (policyId: string) =>
  aRequest({ policyId, type: 'access', receivedAt: '2025-03-03T01:00:00.000Z' });

function earlier(receivedAt: string, overrides: Partial<EarlierRequest> = {}): EarlierRequest {
  return { requestId: `dsr-${receivedAt}`, type: 'access', status: 'fulfilled', receivedAt, ...overrides };
}

describe('assessRepeat', () => {
  it('counts earlier requests of the same type in the 12 months before, not other types, cancelled ones or older ones', () => {
    const found = [
      earlier('2024-03-04T01:00:00.000Z'),
      earlier('2024-09-01T01:00:00.000Z'),
      earlier('2024-03-02T01:00:00.000Z'), // more than 12 months before
      earlier('2024-10-01T01:00:00.000Z', { type: 'deletion' }),
      earlier('2024-11-01T01:00:00.000Z', { status: 'cancelled' }),
      earlier('2025-03-03T01:00:00.000Z', { requestId: current('pipl-default').requestId }), // this one
    ];
    expect(assessRepeat(current('pipl-default'), getPolicy('pipl-default'), found, false)).toEqual({
      earlierInPeriod: 2,
      periodMonths: 12,
      freePerPeriod: 2,
      beyondFreeLimit: true,
      feeAllowed: true,
      refusalAllowed: true,
    });
  });

  it('keeps the second request of a period free', () => {
    const assessment = assessRepeat(
      current('pipl-default'),
      getPolicy('pipl-default'),
      [earlier('2024-09-01T01:00:00.000Z')],
      false,
    );
    expect(assessment).toMatchObject({ earlierInPeriod: 1, beyondFreeLimit: false, feeAllowed: false });
  });

  it('never allows a fee under qianxin, whose policy mentions none, but allows a refusal beyond the limit', () => {
    const found = [earlier('2024-09-01T01:00:00.000Z'), earlier('2024-12-01T01:00:00.000Z')];
    expect(assessRepeat(current('qianxin'), getPolicy('qianxin'), found, false)).toMatchObject({
      beyondFreeLimit: true,
      feeAllowed: false,
      refusalAllowed: true,
    });
  });

  it('leaves a gdpr request free whatever the count, unless the agent judges it manifestly excessive', () => {
    const found = [
      earlier('2024-09-01T01:00:00.000Z'),
      earlier('2024-12-01T01:00:00.000Z'),
      earlier('2025-01-01T01:00:00.000Z'),
    ];
    expect(assessRepeat(current('gdpr'), getPolicy('gdpr'), found, false)).toMatchObject({
      beyondFreeLimit: false,
      feeAllowed: false,
    });
    expect(assessRepeat(current('gdpr'), getPolicy('gdpr'), found, true)).toMatchObject({
      beyondFreeLimit: true,
      feeAllowed: true,
    });
  });
});

describe('flagRepeat', () => {
  it('records the decision with the fee charged, and audits the counts without free text', () => {
    const found = [earlier('2024-09-01T01:00:00.000Z'), earlier('2024-12-01T01:00:00.000Z')];
    const change = flagRepeat(
      current('pipl-default'),
      getPolicy('pipl-default'),
      found,
      { manifestlyExcessive: false, chargeFee: true, feeNote: 'CNY 20 for the third copy' },
      today,
    );
    expect(change.next.repeat).toMatchObject({
      earlierInPeriod: 2,
      feeCharged: true,
      feeNote: 'CNY 20 for the third copy',
      by: 'alice',
    });
    expect(change.events[0]).toMatchObject({
      type: 'repeat-flagged',
      details: { earlierInPeriod: 2, feeCharged: true },
    });
    expect(JSON.stringify(change.events)).not.toContain('CNY 20');
  });

  it('refuses a fee the rule does not allow, saying why', () => {
    expect(() =>
      flagRepeat(
        current('pipl-default'),
        getPolicy('pipl-default'),
        [],
        { manifestlyExcessive: false, chargeFee: true },
        today,
      ),
    ).toThrow(FeeNotAllowed);
    expect(() =>
      flagRepeat(
        current('qianxin'),
        getPolicy('qianxin'),
        [earlier('2024-09-01T01:00:00.000Z'), earlier('2024-12-01T01:00:00.000Z')],
        { manifestlyExcessive: false, chargeFee: true },
        today,
      ),
    ).toThrow(/charges no fee/);
  });
});
