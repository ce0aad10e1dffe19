import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REQUEST_STATUSES } from '../../../domain/lifecycle';
import { getPolicy } from '../../../domain/policy/registry';
import { isUnverifiedExpired, lastDayToVerify } from '../../../domain/unverified-expiry';

const caftrade = getPolicy('caftrade'); // Asia/Shanghai, 30 days
const ccpa = getPolicy('ccpa'); // 45 days

// 00:30 on 1 February 2026 in Shanghai, still 31 January in UTC.
const receivedAt = '2026-01-31T16:30:00Z';
const pending = { status: 'pending-verification', receivedAt } as const;

describe('unverified request expiry', () => {
  it('counts the window in calendar days from the receipt day in the policy time zone', () => {
    expect(lastDayToVerify(caftrade, receivedAt)).toBe('2026-03-03');
  });

  it('keeps a request open until the end of the last day, in the policy time zone', () => {
    expect(isUnverifiedExpired(caftrade, pending, new Date('2026-03-03T15:59:59Z'))).toBe(false);
    expect(isUnverifiedExpired(caftrade, pending, new Date('2026-03-03T16:00:00Z'))).toBe(true);
  });

  it("uses each policy's own number of days", () => {
    expect(lastDayToVerify(ccpa, '2026-01-10T12:00:00Z')).toBe('2026-02-24');
  });

  it.each(REQUEST_STATUSES.filter((status) => status !== 'pending-verification'))(
    'never expires a request that is %s',
    (status) => {
      expect(isUnverifiedExpired(caftrade, { status, receivedAt }, new Date('2030-01-01T00:00:00Z'))).toBe(
        false,
      );
    },
  );

  it('stays expired once expired, whatever later time it is asked at', () => {
    const start = Date.parse(receivedAt);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 90 * 24 * 60 }),
        fc.integer({ min: 0, max: 90 * 24 * 60 }),
        (a, b) => {
          const [earlier, later] = a <= b ? [a, b] : [b, a];
          const at = (minutes: number) => new Date(start + minutes * 60_000);
          if (isUnverifiedExpired(caftrade, pending, at(earlier))) {
            expect(isUnverifiedExpired(caftrade, pending, at(later))).toBe(true);
          }
        },
      ),
    );
  });
});
