import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlainDate } from '../../../domain/clock';
import { planRedrive } from '../../../domain/console/store-work';
import { REQUEST_STATUSES } from '../../../domain/lifecycle';
import {
  currentExecutionName,
  planNeedsAttention,
  storeNamedBy,
  WORKFLOW_STATUSES,
} from '../../../domain/workflow-failure';
import { aRequest, contextOn } from '../console/builders';

const SYSTEM = { kind: 'system', id: 'fulfilment-workflow' } as const;
const AT = '2025-03-04T02:00:00.000Z';
const failure = {
  reason: 'ResolveIdentity failed on store loyalty',
  step: 'ResolveIdentity',
  detectedBy: 'workflow',
} as const;

describe('planNeedsAttention', () => {
  it.each(WORKFLOW_STATUSES)('moves a %s request to needs-attention and remembers where it was', (status) => {
    const change = planNeedsAttention(aRequest({ status }), failure, SYSTEM, AT);
    expect(change?.next.status).toBe('needs-attention');
    expect(change?.next.attention).toEqual({ ...failure, at: AT, from: status });
    expect(change?.events.map((event) => event.type)).toEqual(['status-changed', 'workflow-failed']);
  });

  it('writes nothing for a request no workflow runs', () => {
    for (const status of REQUEST_STATUSES.filter((s) => !WORKFLOW_STATUSES.includes(s))) {
      expect(planNeedsAttention(aRequest({ status }), failure, SYSTEM, AT)).toBeUndefined();
    }
  });
});

describe('storeNamedBy', () => {
  it('finds the store a connector error starts with, the longest id first', () => {
    expect(storeNamedBy('loyalty: find failed (ECONNREFUSED)', ['accounts', 'loyalty'])).toBe('loyalty');
    expect(storeNamedBy('crm-archive: timeout', ['crm', 'crm-archive'])).toBe('crm-archive');
    expect(storeNamedBy('Task timed out after 300 seconds', ['crm'])).toBeUndefined();
  });

  it('never names a store the message does not start with', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.stringMatching(/^[a-z][a-z-]{0,12}$/)), (message, ids) => {
        const named = storeNamedBy(message, ids);
        return named === undefined || message.startsWith(`${named}: `);
      }),
    );
  });
});

describe('redrive of a request that needs attention', () => {
  it('runs it again when no store has run yet, back in the status it had, under a new execution', () => {
    const stuck = planNeedsAttention(aRequest({ status: 'verified' }), failure, SYSTEM, AT)!.next;

    const plan = planRedrive(stuck, contextOn('2025-03-05' as PlainDate));

    expect(plan.storeIds).toEqual([]);
    expect(plan.change.next.status).toBe('verified');
    expect(plan.change.next.attention).toBeUndefined();
    expect(plan.executionName).toBe(`${stuck.requestId}-redrive-1`);
    expect(currentExecutionName(plan.change.next)).toBe(plan.executionName);
  });

  it('runs the failed stores again and returns an in-progress request to in-progress', () => {
    const running = aRequest({
      status: 'in-progress',
      extras: {
        fulfilment: {
          action: 'export',
          plannedStores: ['accounts', 'loyalty'],
          storeResults: { loyalty: { status: 'failed', reason: 'down', at: AT } },
          redrives: 1,
        },
      },
    });
    const stuck = planNeedsAttention(running, failure, SYSTEM, AT)!.next;

    const plan = planRedrive(stuck, contextOn('2025-03-05' as PlainDate));

    expect(plan.storeIds).toEqual(['loyalty']);
    expect(plan.change.next.status).toBe('in-progress');
    expect(plan.executionName).toBe(`${stuck.requestId}-redrive-2`);
    expect(plan.change.next.fulfilment?.storeResults).toEqual({});
    expect(plan.change.events.map((event) => event.type)).toEqual(['status-changed', 'stores-redriven']);
  });
});
