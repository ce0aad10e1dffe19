import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canTransition,
  IllegalTransition,
  isOpen,
  planTransition,
  REQUEST_STATUSES,
  RefusalGroundRequired,
  type RequestStatus,
  TERMINAL_STATUSES,
  TRANSITIONS,
} from '../../../domain/lifecycle';

const agent = { kind: 'agent', id: 'agent-1' } as const;
const at = '2025-09-26T02:00:00.000Z';
const statusArb = fc.constantFrom(...REQUEST_STATUSES);

describe('request lifecycle', () => {
  it.each([
    ['received', 'pending-verification'],
    ['pending-verification', 'verified'],
    ['pending-verification', 'expired-unverified'],
    ['verified', 'in-progress'],
    ['in-progress', 'awaiting-requester'],
    ['awaiting-requester', 'in-progress'],
    ['in-progress', 'extended'],
    ['extended', 'fulfilled'],
    ['in-progress', 'partially-fulfilled'],
    ['partially-fulfilled', 'in-progress'],
  ] as const)('allows %s → %s', (from, to) => {
    expect(planTransition(from, { to, actor: agent, at })).toMatchObject({
      type: 'status-changed',
      details: { from, to },
    });
  });

  it.each([
    ['received', 'fulfilled'],
    ['pending-verification', 'in-progress'],
    ['verified', 'expired-unverified'],
    ['fulfilled', 'in-progress'],
    ['refused', 'verified'],
  ] as const)('refuses %s → %s with a typed error', (from, to) => {
    expect(() => planTransition(from, { to, actor: agent, at })).toThrow(IllegalTransition);
  });

  it('never lets data be released or destroyed before verification', () => {
    // Fulfilment starts only from verified (or from states reachable only after it).
    for (const from of ['received', 'pending-verification'] as const) {
      expect(canTransition(from, 'in-progress')).toBe(false);
      expect(canTransition(from, 'fulfilled')).toBe(false);
    }
  });

  it('requires a statutory ground for every refusal (PIPL art. 50: the requester is told why)', () => {
    expect(() => planTransition('verified', { to: 'refused', actor: agent, at })).toThrow(
      RefusalGroundRequired,
    );
    expect(
      planTransition('verified', { to: 'refused', actor: agent, at, refusalGround: 'national-security' }),
    ).toMatchObject({ details: { refusalGround: 'national-security' } });
  });

  it('allows refusal and cancellation from every open status', () => {
    for (const status of REQUEST_STATUSES.filter(isOpen)) {
      expect(canTransition(status, 'refused'), status).toBe(true);
      expect(canTransition(status, 'cancelled'), status).toBe(true);
    }
  });

  it('lets nothing leave a terminal status', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TERMINAL_STATUSES), statusArb, (from, to) => {
        expect(canTransition(from, to)).toBe(false);
      }),
    );
  });

  it('accepts exactly the moves in the table, whatever the pair', () => {
    fc.assert(
      fc.property(statusArb, statusArb, (from: RequestStatus, to: RequestStatus) => {
        const legal = TRANSITIONS[from].includes(to);
        const attempt = () =>
          planTransition(from, { to, actor: agent, at, ...(to === 'refused' ? { refusalGround: 'g' } : {}) });
        if (legal) expect(attempt()).toMatchObject({ details: { from, to }, at, actor: agent });
        else expect(attempt).toThrow(IllegalTransition);
      }),
    );
  });

  it('reaches every status from received', () => {
    const seen = new Set<RequestStatus>(['received']);
    const queue: RequestStatus[] = ['received'];
    while (queue.length > 0) {
      for (const next of TRANSITIONS[queue.shift()!]) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    expect([...seen].sort()).toEqual([...REQUEST_STATUSES].sort());
  });
});
