import { describe, expect, it } from 'vitest';
import {
  checkCode,
  hashSecret,
  MAX_CODE_ATTEMPTS,
  MAX_CODE_RESENDS,
  newChallenge,
  reissueChallenge,
  type VerificationChallenge,
} from '../../../domain/verification';

const key = 'test-key';
const sentAt = new Date('2025-09-26T02:00:00Z');
const hash = (code: string) => hashSecret(key, 'verification-code', 'req-1', code);
const minutesLater = (m: number) => new Date(sentAt.getTime() + m * 60_000);

function reissued(challenge: VerificationChallenge, code: string, at: Date): VerificationChallenge {
  const decision = reissueChallenge(challenge, hash(code), at);
  if (decision.outcome !== 'reissued') throw new Error(`expected a new code, got ${decision.outcome}`);
  return decision.challenge;
}

describe('reissuing a verification code', () => {
  it('makes the old code stop working and the new one work', () => {
    const challenge = reissued(newChallenge(hash('111111'), sentAt), '222222', minutesLater(1));
    expect(checkCode(challenge, hash('111111'), minutesLater(2)).outcome).toBe('wrong-code');
    expect(checkCode(challenge, hash('222222'), minutesLater(2)).outcome).toBe('verified');
  });

  it('gives the new code a fresh lifetime from the time it is sent', () => {
    const challenge = reissued(newChallenge(hash('111111'), sentAt), '222222', minutesLater(40));
    expect(checkCode(challenge, hash('222222'), minutesLater(60)).outcome).toBe('verified');
  });

  it('carries wrong attempts over, so a new code buys no extra guesses', () => {
    let challenge = newChallenge(hash('111111'), sentAt);
    for (let i = 1; i < MAX_CODE_ATTEMPTS; i++)
      challenge = checkCode(challenge, hash('000000'), sentAt).challenge;
    challenge = reissued(challenge, '222222', minutesLater(1));
    expect(checkCode(challenge, hash('000000'), minutesLater(2))).toMatchObject({ outcome: 'locked' });
  });

  it(`allows ${MAX_CODE_RESENDS} new codes and refuses the next`, () => {
    let challenge = newChallenge(hash('111111'), sentAt);
    for (let i = 1; i <= MAX_CODE_RESENDS; i++) {
      challenge = reissued(challenge, String(i).repeat(6), minutesLater(i));
      expect(challenge.resends).toBe(i);
    }
    expect(reissueChallenge(challenge, hash('999999'), minutesLater(9))).toEqual({
      outcome: 'limit-reached',
    });
  });

  it('refuses a new code once the challenge is locked', () => {
    let challenge = newChallenge(hash('111111'), sentAt);
    for (let i = 1; i <= MAX_CODE_ATTEMPTS; i++)
      challenge = checkCode(challenge, hash('000000'), sentAt).challenge;
    expect(challenge.lockedAt).toBeDefined();
    expect(reissueChallenge(challenge, hash('222222'), minutesLater(1))).toEqual({ outcome: 'locked' });
  });
});
