import { describe, expect, it } from 'vitest';
import type { AuditEventBody } from '../../domain/audit';
import type { RequestStatus } from '../../domain/lifecycle';
import { closedAtAfter } from '../../domain/request-record';

const SYSTEM = { kind: 'system', id: 'test' } as const;

function statusChange(from: RequestStatus, to: RequestStatus, at: string): AuditEventBody {
  return { type: 'status-changed', actor: SYSTEM, at, details: { from, to } };
}

describe('closedAtAfter', () => {
  it('takes the instant of the status change that closed the request', () => {
    const events: AuditEventBody[] = [
      { type: 'store-processed', actor: SYSTEM, at: '2025-03-10T01:00:00.000Z' },
      statusChange('in-progress', 'fulfilled', '2025-03-10T01:00:05.000Z'),
      { type: 'notification-sent', actor: SYSTEM, at: '2025-03-10T01:00:09.000Z' },
    ];
    expect(closedAtAfter({ status: 'in-progress' }, 'fulfilled', events)).toBe('2025-03-10T01:00:05.000Z');
  });

  it('sets it on a request stored already closed', () => {
    const events = [statusChange('received', 'cancelled', '2025-03-10T01:00:00.000Z')];
    expect(closedAtAfter(undefined, 'cancelled', events)).toBe('2025-03-10T01:00:00.000Z');
  });

  it('keeps the first close when a closed request moves to another closed status', () => {
    const previous = { status: 'partially-fulfilled', closedAt: '2025-03-10T01:00:00.000Z' } as const;
    const events = [statusChange('partially-fulfilled', 'fulfilled', '2025-03-12T01:00:00.000Z')];
    expect(closedAtAfter(previous, 'fulfilled', events)).toBe('2025-03-10T01:00:00.000Z');
  });

  it('leaves a request closed before the field existed without one', () => {
    expect(closedAtAfter({ status: 'refused' }, 'refused', [])).toBeUndefined();
  });

  it('drops it when a redrive reopens the request, and leaves open requests without one', () => {
    const previous = { status: 'partially-fulfilled', closedAt: '2025-03-10T01:00:00.000Z' } as const;
    const events = [statusChange('partially-fulfilled', 'in-progress', '2025-03-12T01:00:00.000Z')];
    expect(closedAtAfter(previous, 'in-progress', events)).toBeUndefined();
    expect(closedAtAfter({ status: 'verified' }, 'in-progress', [])).toBeUndefined();
  });
});
