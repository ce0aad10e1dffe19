import { describe, expect, it } from 'vitest';
import type { PlainDate } from '../../../domain/clock';
import { approvalRequirement, approveFulfilment, isApproved } from '../../../domain/console/approval';
import {
  AlreadyApproved,
  ApprovalNotRequired,
  OfflineCheckRequired,
  RequestClosed,
  SupervisorRequired,
} from '../../../domain/console/errors';
import { getPolicy } from '../../../domain/policy/registry';
import type { RequestType } from '../../../domain/request';
import { aRequest, contextOn } from './builders';

const today = contextOn('2025-03-04' as PlainDate, 'sam');

describe('approvalRequirement', () => {
  it.each<[string, RequestType, boolean, boolean, boolean]>([
    // policy, type, required, supervisor only, offline check
    ['pipl-default', 'portability', true, true, false],
    ['pipl-default', 'access', false, false, false],
    ['caftrade', 'account-cancellation', true, false, false],
    ['sufe', 'deletion', true, true, true],
    ['sufe', 'account-cancellation', true, true, true],
    ['sufe', 'portability', true, true, false],
    ['sufe', 'copy', false, false, false],
    ['qianxin', 'deletion', false, false, false],
  ])(
    'under %s a %s request: required %s, supervisor only %s, offline check %s',
    (policyId, type, ...expected) => {
      const requirement = approvalRequirement(aRequest({ policyId, type }), getPolicy(policyId));
      expect([requirement.required, requirement.supervisorOnly, requirement.offlineCheckRequired]).toEqual(
        expected,
      );
    },
  );
});

describe('approveFulfilment', () => {
  it('records an agent approval of a caftrade account cancellation on the request and the trail', () => {
    const record = aRequest({
      policyId: 'caftrade',
      type: 'account-cancellation',
      verifiedOn: '2025-03-03' as PlainDate,
    });
    const policy = getPolicy('caftrade');
    expect(isApproved(record, policy)).toBe(false);
    const change = approveFulfilment(
      record,
      policy,
      { approverRole: 'agent', note: 'Balance is zero' },
      today,
    );
    expect(change.next.approvals).toEqual([
      { by: 'sam', role: 'agent', at: today.at, reasons: ['policy-request-type'], note: 'Balance is zero' },
    ]);
    expect(isApproved(change.next, policy)).toBe(true);
    expect(change.events).toEqual([
      {
        type: 'fulfilment-approved',
        actor: today.actor,
        at: today.at,
        details: { reasons: ['policy-request-type'], role: 'agent' },
      },
    ]);
  });

  it('leaves portability approvals to supervisors', () => {
    const record = aRequest({ type: 'portability' });
    expect(() =>
      approveFulfilment(record, getPolicy('pipl-default'), { approverRole: 'agent' }, today),
    ).toThrow(SupervisorRequired);
    expect(
      approveFulfilment(record, getPolicy('pipl-default'), { approverRole: 'supervisor' }, today).next
        .approvals,
    ).toHaveLength(1);
  });

  it('approves a sufe deletion only after an offline identity check with the risks explained (seed 002 §VII.3)', () => {
    const record = aRequest({ policyId: 'sufe', type: 'deletion' });
    const policy = getPolicy('sufe');
    expect(() => approveFulfilment(record, policy, { approverRole: 'supervisor' }, today)).toThrow(
      OfflineCheckRequired,
    );
    const offlineCheck = { method: 'in-person', risksExplained: true } as const;
    const change = approveFulfilment(record, policy, { approverRole: 'supervisor', offlineCheck }, today);
    expect(change.next.approvals?.[0]).toMatchObject({ reasons: ['real-name-deletion'], offlineCheck });
    expect(change.events[0]?.details).toMatchObject({ offlineCheck: 'in-person' });
  });

  it('refuses an approval nobody asked for, a second approval, and one for a closed request', () => {
    const policy = getPolicy('pipl-default');
    expect(() => approveFulfilment(aRequest(), policy, { approverRole: 'supervisor' }, today)).toThrow(
      ApprovalNotRequired,
    );
    const approved = approveFulfilment(
      aRequest({ type: 'portability' }),
      policy,
      { approverRole: 'supervisor' },
      today,
    );
    expect(() => approveFulfilment(approved.next, policy, { approverRole: 'supervisor' }, today)).toThrow(
      AlreadyApproved,
    );
    const closed = aRequest({ type: 'portability', status: 'refused' });
    expect(() => approveFulfilment(closed, policy, { approverRole: 'supervisor' }, today)).toThrow(
      RequestClosed,
    );
  });
});
