import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryAbuseCounters } from '../../../adapters/memory/memory-abuse-counters';
import { FixedClock, fixedSecrets } from '../../../adapters/memory/memory-intake-ports';
import { admitClient } from '../../../app/intake/client-rate';
import {
  clientRate,
  DEFAULT_INTAKE_LIMITS,
  fixedWindow,
  identityHoldFor,
  intakeLimitsFor,
} from '../../../domain/intake-limits';

const instants = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2100-01-01T00:00:00Z'),
  noInvalidDate: true,
});

describe('fixedWindow', () => {
  it('contains the instant, is as long as asked, and is the same for every instant inside it', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 1, max: 30 * 86_400 }), (now, seconds) => {
        const window = fixedWindow(now, seconds);
        expect(window.start * 1000).toBeLessThanOrEqual(now.getTime());
        expect(window.endsAt.getTime()).toBeGreaterThan(now.getTime());
        expect(window.endsAt.getTime() - window.start * 1000).toBe(seconds * 1000);
        expect(fixedWindow(new Date(window.endsAt.getTime() - 1), seconds).start).toBe(window.start);
      }),
    );
  });
});

describe('identityHoldFor', () => {
  it('holds exactly when a limit is reached, the lock first', () => {
    fc.assert(
      fc.property(fc.nat(30), fc.nat(30), (openUnverified, wrongCodes) => {
        const hold = identityHoldFor({ openUnverified, wrongCodes }, DEFAULT_INTAKE_LIMITS);
        if (wrongCodes >= DEFAULT_INTAKE_LIMITS.wrongCodesPerSubject) expect(hold).toBe('subject-locked');
        else if (openUnverified >= DEFAULT_INTAKE_LIMITS.maxOpenUnverifiedPerSubject)
          expect(hold).toBe('too-many-open-requests');
        else expect(hold).toBeUndefined();
      }),
    );
  });

  it('takes a profile’s own limits over the defaults, one by one', () => {
    expect(intakeLimitsFor({ intakeLimits: { maxOpenUnverifiedPerSubject: 1 } })).toEqual({
      ...DEFAULT_INTAKE_LIMITS,
      maxOpenUnverifiedPerSubject: 1,
    });
    expect(intakeLimitsFor({})).toEqual(DEFAULT_INTAKE_LIMITS);
  });
});

describe('clientRate', () => {
  it('allows up to the limit and then says when to come back, never less than a second', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 100 }),
        instants,
        (count, limit, now) => {
          const { endsAt } = fixedWindow(now, 60);
          const decision = clientRate(count, limit, now, endsAt);
          expect(decision.allowed).toBe(count <= limit);
          if (!decision.allowed) {
            expect(decision.retryAfterSeconds).toBeGreaterThanOrEqual(1);
            expect(decision.retryAfterSeconds).toBeLessThanOrEqual(60);
          }
        },
      ),
    );
  });
});

describe('admitClient', () => {
  it('counts per client and route, by keyed hash only, and opens again in the next minute', async () => {
    const counters = new MemoryAbuseCounters();
    const clock = new FixedClock(new Date('2025-03-12T02:00:10Z'));
    const deps = { counters, secrets: fixedSecrets(), clock };
    const admit = (clientAddress: string, route = 'submit') =>
      admitClient(deps, { route, clientAddress, limitPerMinute: 3 });

    for (let i = 0; i < 3; i++) expect(await admit('203.0.113.7')).toEqual({ allowed: true });
    expect(await admit('203.0.113.7')).toEqual({ allowed: false, retryAfterSeconds: 50 });
    expect(await admit('198.51.100.1')).toEqual({ allowed: true });
    expect(await admit('203.0.113.7', 'verify')).toEqual({ allowed: true });
    expect([...counters.totals.keys()].join(' ')).not.toContain('203.0.113.7');
    clock.advance(50_000);
    expect(await admit('203.0.113.7')).toEqual({ allowed: true });
  });
});
