import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CODE_LIFETIME_MINUTES,
  checkCode,
  hashesMatch,
  hashSecret,
  MAX_CODE_ATTEMPTS,
  newChallenge,
} from '../../../domain/verification';

const key = 'test-key';
const sentAt = new Date('2025-09-26T02:00:00Z');
const hash = (code: string) => hashSecret(key, 'verification-code', 'req-1', code);
const minutesLater = (m: number) => new Date(sentAt.getTime() + m * 60_000);

describe('verification codes', () => {
  it('verifies the right code within its lifetime', () => {
    const challenge = newChallenge(hash('123456'), sentAt);
    expect(checkCode(challenge, hash('123456'), minutesLater(5)).outcome).toBe('verified');
  });

  it('refuses the right code after it has expired', () => {
    const challenge = newChallenge(hash('123456'), sentAt);
    expect(checkCode(challenge, hash('123456'), minutesLater(CODE_LIFETIME_MINUTES + 1)).outcome).toBe(
      'expired',
    );
  });

  it(`locks after ${MAX_CODE_ATTEMPTS} wrong tries and then refuses even the right code`, () => {
    let challenge = newChallenge(hash('123456'), sentAt);
    for (let i = 1; i < MAX_CODE_ATTEMPTS; i++) {
      const result = checkCode(challenge, hash('000000'), minutesLater(1));
      expect(result).toMatchObject({ outcome: 'wrong-code', attemptsLeft: MAX_CODE_ATTEMPTS - i });
      challenge = result.challenge;
    }
    const locking = checkCode(challenge, hash('000000'), minutesLater(1));
    expect(locking).toMatchObject({ outcome: 'locked', justLocked: true });
    expect(checkCode(locking.challenge, hash('123456'), minutesLater(2))).toMatchObject({
      outcome: 'locked',
      justLocked: false,
    });
  });

  it('binds a code hash to its request, so a hash from one request fails on another', () => {
    expect(hashSecret(key, 'verification-code', 'req-1', '123456')).not.toBe(
      hashSecret(key, 'verification-code', 'req-2', '123456'),
    );
  });

  it('compares hashes by value only', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(hashesMatch(a, b)).toBe(a === b);
      }),
    );
  });
});
