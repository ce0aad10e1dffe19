import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  enterFulfilmentWait,
  fulfilmentNotBefore,
  isWaitOver,
  MAX_CANCEL_TOKENS,
  mayCancelByLink,
  WAITING_TYPES,
  waitHoursFor,
  withCancelToken,
} from '../../../domain/fulfilment-wait';
import { REQUEST_STATUSES } from '../../../domain/lifecycle';
import { getPolicy } from '../../../domain/policy/registry';
import { REQUEST_TYPES } from '../../../domain/request';
import { aRequest } from '../console/builders';

const instant = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2100-01-01T00:00:00Z'),
  noInvalidDate: true,
});

describe('the wait before fulfilment', () => {
  it('is 24 hours by default, for the four types that cannot be undone only', () => {
    const policy = getPolicy('caftrade');
    expect(policy.destructiveWaitHours).toBe(24);
    expect(REQUEST_TYPES.filter((type) => waitHoursFor(policy, type) > 0)).toEqual([
      'portability',
      'deletion',
      'withdraw-consent',
      'account-cancellation',
    ]);
    expect(waitHoursFor(policy, undefined)).toBe(0);
  });

  it("takes the deployment's hours over the policy's, 0 included", () => {
    fc.assert(
      fc.property(fc.constantFrom(...WAITING_TYPES), fc.nat({ max: 720 }), (type, hours) => {
        expect(waitHoursFor(getPolicy('gdpr'), type, hours)).toBe(hours);
      }),
    );
  });

  it('ends exactly the given hours after verification, and is over from then on, never before', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: 720 }),
        fc.integer({ min: -10_000, max: 10_000 }),
        (at, hours, offset) => {
          const notBefore = fulfilmentNotBefore(hours, at)!;
          expect(Date.parse(notBefore) - at.getTime()).toBe(hours * 3_600_000);
          const now = new Date(Date.parse(notBefore) + offset);
          expect(isWaitOver({ status: 'verified', fulfilmentNotBefore: notBefore }, now)).toBe(offset >= 0);
        },
      ),
    );
    expect(fulfilmentNotBefore(0, new Date('2025-03-03T00:00:00Z'))).toBeUndefined();
  });
});

describe('entering the wait', () => {
  const AT = '2025-03-05T02:00:00.000Z';
  const actor = { kind: 'agent', id: 'alice' } as const;
  const verified = {
    next: aRequest({ status: 'verified' }),
    events: [
      { type: 'identity-verified', actor, at: AT },
      { type: 'status-changed', actor, at: AT, details: { from: 'pending-verification', to: 'verified' } },
    ] as const,
  };

  it('sets when fulfilment may start, keeps the notice token, and says so on the verified event', () => {
    const { next, events } = enterFulfilmentWait(verified, { hours: 24, cancelTokenHash: 'h1' }, AT);
    expect(next.fulfilmentNotBefore).toBe('2025-03-06T02:00:00.000Z');
    expect(next.cancelTokenHashes).toEqual(['h1']);
    expect(events[0]).toEqual(verified.events[0]);
    expect(events[1]?.details).toEqual({
      from: 'pending-verification',
      to: 'verified',
      fulfilmentNotBefore: '2025-03-06T02:00:00.000Z',
    });
  });

  it('changes nothing without a wait', () => {
    for (const wait of [undefined, { hours: 0, cancelTokenHash: 'h1' }]) {
      expect(enterFulfilmentWait(verified, wait, AT)).toEqual({
        next: verified.next,
        events: verified.events,
      });
    }
  });
});

describe('the cancel link', () => {
  it('cancels only before fulfilment starts: awaiting the code, or verified and waiting or unapproved', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REQUEST_STATUSES),
        fc.boolean(),
        fc.boolean(),
        (status, waits, approved) => {
          const record = { status, ...(waits ? { fulfilmentNotBefore: '2025-03-04T00:00:00Z' } : {}) };
          const expected =
            status === 'pending-verification' || (status === 'verified' && (waits || !approved));
          expect(mayCancelByLink(record, approved)).toBe(expected);
        },
      ),
    );
  });

  it(`keeps the newest ${MAX_CANCEL_TOKENS} token hashes`, () => {
    let record = {};
    for (let index = 1; index <= MAX_CANCEL_TOKENS + 2; index++)
      record = withCancelToken(record, `h${index}`);
    expect(record).toEqual({
      cancelTokenHashes: Array.from({ length: MAX_CANCEL_TOKENS }, (_, i) => `h${i + 3}`),
    });
  });
});
