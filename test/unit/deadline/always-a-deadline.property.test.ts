/**
 * Never without a deadline: for any receipt day from 2015 to 2035, under every policy profile, with or
 * without verification, extension or pauses, the engine gives a due date (flagged provisional where a
 * year has no official calendar) and never throws for a missing year. Also: a provisional date is
 * flagged exactly when an unofficial year was consulted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, type PlainDate, parsePlainDate } from '../../../domain/clock';
import { computeDeadline } from '../../../domain/deadline';
import { listPolicies } from '../../../domain/policy/registry';

const FIRST = parsePlainDate('2015-01-01');
const DAYS = 21 * 366;
const receipt = fc.integer({ min: 0, max: DAYS }).map((offset) => addDays(FIRST, offset));

describe.each(listPolicies().map((policy) => [policy.id, policy] as const))('policy %s', (_id, policy) => {
  it('always gives a due date from 2015 to 2035', () => {
    fc.assert(
      fc.property(
        receipt,
        fc.integer({ min: 0, max: 30 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 20 }),
        (receivedOn: PlainDate, verifiedAfter, extended, paused) => {
          const result = computeDeadline({
            policy,
            receivedOn,
            verifiedOn: addDays(receivedOn, verifiedAfter),
            extended: extended && policy.extension !== undefined,
            pausedUnits: policy.pause.allowed ? paused : 0,
          });
          expect(result.dueDate).not.toBeNull();
          if (result.provisional) expect(result.provisionalYears!.length).toBeGreaterThan(0);
          else expect(result).not.toHaveProperty('provisionalYears');
        },
      ),
      { numRuns: 150 },
    );
  });
});
