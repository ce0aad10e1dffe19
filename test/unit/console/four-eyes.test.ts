/**
 * Four eyes (issue 14): who may approve a request's fulfilment, cell by cell. A request taken in the
 * console that exports or erases data waits for a second console user; wherever an approval is needed,
 * the taker, the identity checker and the approver are different people; the organisation's floor
 * turns both off (`fourEyes: false`), restoring one user's say.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlainDate } from '../../../domain/clock';
import { approvalRequirement, approveFulfilment, isApproved } from '../../../domain/console/approval';
import {
  ApprovalNotRequired,
  SeparationOfDuties,
  type SeparationRule,
  SupervisorRequired,
} from '../../../domain/console/errors';
import { approveIdentity } from '../../../domain/console/identity';
import { ACTION_BY_TYPE } from '../../../domain/fulfilment';
import { DEFAULT_FLOOR } from '../../../domain/policy/organisation';
import { getPolicy } from '../../../domain/policy/registry';
import { REQUEST_TYPES, type RequestType } from '../../../domain/request';
import type { RequestRecord } from '../../../domain/request-record';
import { aRequest, contextOn, EMAIL, PHONE } from './builders';

const DAY = '2025-03-04' as PlainDate;
const TEAM_OF_ONE = { ...DEFAULT_FLOOR, fourEyes: false };

interface Made {
  readonly policyId?: string;
  readonly type: RequestType;
  readonly channel?: RequestRecord['channel'];
  readonly takenBy?: string;
  readonly checkedBy?: string;
  readonly floor?: RequestRecord['organisationFloor'];
  readonly status?: RequestRecord['status'];
}

function made({ policyId, type, channel = 'console', takenBy, checkedBy, floor, status }: Made) {
  return aRequest({
    ...(policyId ? { policyId } : {}),
    type,
    ...(status ? { status } : {}),
    extras: {
      channel,
      organisationFloor: floor ?? DEFAULT_FLOOR,
      ...(takenBy ? { takenBy } : {}),
      ...(checkedBy ? { identityCheckedBy: checkedBy } : {}),
    },
  });
}

/** A console request alice took at the counter, checking the identity card herself. */
const alicesAccess = made({ type: 'access', takenBy: 'alice', checkedBy: 'alice' });

function approveAs(record: RequestRecord, user: string, role: 'agent' | 'supervisor', policyId?: string) {
  return approveFulfilment(
    record,
    getPolicy(policyId ?? record.policyId),
    { approverRole: role },
    contextOn(DAY, user),
  );
}

function ruleBroken(act: () => unknown): SeparationRule | undefined {
  try {
    act();
    return undefined;
  } catch (error) {
    if (error instanceof SeparationOfDuties) return error.code;
    throw error;
  }
}

describe('which requests four eyes hold back', () => {
  it.each(REQUEST_TYPES.filter((type) => getPolicy('pipl-default').rightsOffered.includes(type)))(
    'a %s request taken in the console under pipl-default',
    (type) => {
      const requirement = approvalRequirement(made({ type, takenBy: 'alice' }), getPolicy('pipl-default'));
      const exportsOrErases = ACTION_BY_TYPE[type] !== 'agent';
      expect(requirement.reasons.includes('four-eyes')).toBe(exportsOrErases);
      if (exportsOrErases) expect(requirement).toMatchObject({ required: true, notApprovableBy: ['alice'] });
    },
  );

  it('holds back no web request, and nothing when the organisation turns four eyes off', () => {
    const policy = getPolicy('pipl-default');
    expect(approvalRequirement(made({ type: 'access', channel: 'web' }), policy).required).toBe(false);
    expect(approvalRequirement(made({ type: 'deletion', floor: TEAM_OF_ONE }), policy).required).toBe(false);
  });

  it('applies to a request stored before the setting existed (on by default)', () => {
    const { fourEyes: _dropped, ...olderFloor } = DEFAULT_FLOOR;
    const older = made({ type: 'access', floor: olderFloor as typeof DEFAULT_FLOOR });
    expect(approvalRequirement(older, getPolicy('pipl-default')).reasons).toEqual(['four-eyes']);
  });

  it('keeps portability a supervisor’s, with both reasons', () => {
    const requirement = approvalRequirement(made({ type: 'portability' }), getPolicy('pipl-default'));
    expect(requirement).toMatchObject({
      supervisorOnly: true,
      reasons: ['policy-request-type', 'four-eyes'],
    });
  });
});

describe('who may approve', () => {
  it.each<[string, () => RequestRecord, string, 'agent' | 'supervisor', SeparationRule | 'approved']>([
    ['the agent who took and checked it', () => alicesAccess, 'alice', 'agent', 'approver-took-request'],
    ['a supervisor who took it', () => alicesAccess, 'alice', 'supervisor', 'approver-took-request'],
    ['a second agent', () => alicesAccess, 'bob', 'agent', 'approved'],
    [
      'the agent who reviewed the identity of a request another took',
      () => made({ type: 'deletion', takenBy: 'alice', checkedBy: 'carol' }),
      'carol',
      'agent',
      'approver-checked-identity',
    ],
    [
      'a third agent, after another took it and a second checked',
      () => made({ type: 'deletion', takenBy: 'alice', checkedBy: 'carol' }),
      'bob',
      'agent',
      'approved',
    ],
    [
      'the supervisor who reviewed the identity of a web portability request',
      () => made({ type: 'portability', channel: 'web', checkedBy: 'sam' }),
      'sam',
      'supervisor',
      'approver-checked-identity',
    ],
    [
      'another supervisor, for that web portability request',
      () => made({ type: 'portability', channel: 'web', checkedBy: 'sam' }),
      'tess',
      'supervisor',
      'approved',
    ],
    [
      'the agent who reviewed the identity of a web caftrade cancellation (the policy’s approval)',
      () => made({ policyId: 'caftrade', type: 'account-cancellation', channel: 'web', checkedBy: 'carol' }),
      'carol',
      'agent',
      'approver-checked-identity',
    ],
  ])('%s (%s as %s): %s', (_case, record, user, role, expected) => {
    const request = record();
    let approved: RequestRecord | undefined;
    const broken = ruleBroken(() => {
      approved = approveAs(request, user, role).next;
    });
    expect(broken ?? 'approved').toBe(expected);
    if (approved) {
      expect(approved.approvals).toEqual([expect.objectContaining({ by: user, role })]);
      expect(isApproved(approved, getPolicy(request.policyId))).toBe(true);
    }
  });

  it('answers 403 with the rule as code: the role check first, then separation', () => {
    const portability = made({ type: 'portability', takenBy: 'alice', checkedBy: 'alice' });
    expect(() => approveAs(portability, 'alice', 'agent')).toThrow(SupervisorRequired);
    const error = (() => {
      try {
        approveAs(alicesAccess, 'alice', 'agent');
      } catch (caught) {
        return caught as SeparationOfDuties;
      }
    })();
    expect(error).toBeInstanceOf(SeparationOfDuties);
    expect(error?.code).toBe('approver-took-request');
    expect(error?.message).toContain('another console user must approve');
  });

  describe('with four eyes off (a team of one), as before', () => {
    it('needs no approval for a console request that exports or erases', () => {
      const record = made({ type: 'access', takenBy: 'alice', checkedBy: 'alice', floor: TEAM_OF_ONE });
      expect(isApproved(record, getPolicy('pipl-default'))).toBe(true);
      expect(() => approveAs(record, 'bob', 'agent')).toThrow(ApprovalNotRequired);
    });

    it('lets the user who took and checked a request approve what the policy asks approval for', () => {
      const cancellation = made({
        policyId: 'caftrade',
        type: 'account-cancellation',
        takenBy: 'alice',
        checkedBy: 'alice',
        floor: TEAM_OF_ONE,
      });
      expect(approvalRequirement(cancellation, getPolicy('caftrade')).notApprovableBy).toEqual([]);
      expect(approveAs(cancellation, 'alice', 'agent').next.approvals).toHaveLength(1);
      const portability = made({ type: 'portability', channel: 'web', checkedBy: 'sam', floor: TEAM_OF_ONE });
      expect(approveAs(portability, 'sam', 'supervisor').next.approvals).toHaveLength(1);
    });
  });

  it('never lets an approval through from the taker or the identity checker while four eyes are on', () => {
    const users = fc.constantFrom('alice', 'bob', 'carol');
    fc.assert(
      fc.property(
        fc.constantFrom(...getPolicy('pipl-default').rightsOffered),
        fc.constantFrom<RequestRecord['channel']>('console', 'web'),
        fc.option(users, { nil: undefined }),
        fc.option(users, { nil: undefined }),
        users,
        fc.constantFrom<'agent' | 'supervisor'>('agent', 'supervisor'),
        (type, channel, takenBy, checkedBy, approver, role) => {
          const record = made({
            type,
            channel,
            ...(channel === 'console' && takenBy ? { takenBy } : {}),
            ...(checkedBy ? { checkedBy } : {}),
          });
          const policy = getPolicy('pipl-default');
          if (channel === 'console' && ACTION_BY_TYPE[type] !== 'agent')
            expect(isApproved(record, policy)).toBe(false);
          try {
            approveAs(record, approver, role);
          } catch {
            return;
          }
          expect([record.takenBy, record.identityCheckedBy]).not.toContain(approver);
        },
      ),
    );
  });
});

describe('who may check the identity', () => {
  const pending = (approvedBy?: string) => {
    const record = aRequest({
      policyId: 'caftrade',
      type: 'account-cancellation',
      status: 'pending-verification',
      identifiers: [EMAIL, PHONE],
      extras: { channel: 'console', takenBy: 'alice', organisationFloor: DEFAULT_FLOOR },
    });
    return approvedBy ? approveAs(record, approvedBy, 'agent').next : record;
  };
  const review = (record: RequestRecord, user: string) =>
    approveIdentity(
      record,
      getPolicy('caftrade'),
      { method: 'id-document', identifiers: ['phone'] },
      contextOn(DAY, user),
    );

  it('not the user who already approved the fulfilment', () => {
    expect(ruleBroken(() => review(pending('bob'), 'bob'))).toBe('identity-checker-approved');
  });

  it('another user, who is then kept as the identity checker', () => {
    expect(review(pending('bob'), 'carol').next).toMatchObject({
      status: 'verified',
      identityCheckedBy: 'carol',
    });
  });

  it('the taker, whose review is her own check, as at intake: the approver must still be someone else', () => {
    const checked = review(pending(), 'alice').next;
    expect(checked.identityCheckedBy).toBe('alice');
    expect(ruleBroken(() => approveAs(checked, 'alice', 'agent'))).toBe('approver-took-request');
    expect(approveAs(checked, 'bob', 'agent').next.approvals).toHaveLength(1);
  });
});
