import { describe, expect, it } from 'vitest';
import type { PlainDate } from '../../../domain/clock';
import { RefusalGroundNotInPolicy } from '../../../domain/console/errors';
import { askRequester } from '../../../domain/console/pause';
import { policyRefusalGround, refuseRequest } from '../../../domain/console/refusal';
import { IllegalTransition } from '../../../domain/lifecycle';
import { COMPLAINT_RIGHTS, refusalNotice } from '../../../domain/notices';
import { REFUSAL_GROUNDS } from '../../../domain/policy/refusal-grounds';
import { REGIMES } from '../../../domain/policy/regimes';
import { getPolicy, listPolicies } from '../../../domain/policy/registry';
import { aRequest, contextOn } from './builders';

const today = contextOn('2025-03-04' as PlainDate, 'sam');

describe('refuseRequest', () => {
  it('refuses on a ground of the policy, keeping the reason on the request and the ground on the trail', () => {
    const change = refuseRequest(
      aRequest({ policyId: 'caftrade', verifiedOn: '2025-03-03' as PlainDate }),
      getPolicy('caftrade'),
      { ground: 'trade-secrets', reason: 'The scoring model is a trade secret' },
      today,
    );
    expect(change.next).toMatchObject({
      status: 'refused',
      refusal: {
        ground: 'trade-secrets',
        reason: 'The scoring model is a trade secret',
        by: 'sam',
        at: today.at,
      },
    });
    expect(change.events).toEqual([
      {
        type: 'status-changed',
        actor: today.actor,
        at: today.at,
        details: { from: 'verified', to: 'refused', refusalGround: 'trade-secrets' },
      },
    ]);
    expect(JSON.stringify(change.events)).not.toContain('scoring model');
  });

  it.each(listPolicies().map((policy) => [policy.id, policy] as const))(
    'accepts exactly the grounds %s lists',
    (_id, policy) => {
      for (const ground of REFUSAL_GROUNDS) {
        const check = () => policyRefusalGround(policy, ground.id);
        if ((policy.refusalGrounds as readonly string[]).includes(ground.id)) expect(check()).toBe(ground);
        else expect(check).toThrow(RefusalGroundNotInPolicy);
      }
    },
  );

  it('names the field and the grounds the policy has when the ground is not among them', () => {
    const refuse = () =>
      refuseRequest(
        aRequest({ policyId: 'gdpr' }),
        getPolicy('gdpr'),
        { ground: 'trade-secrets', reason: 'x' },
        today,
      );
    expect(refuse).toThrow(
      expect.objectContaining({ field: 'ground', message: expect.stringContaining('legal-claims') }),
    );
  });

  it('ends a pause when refusing a request that waits on the requester', () => {
    const policy = getPolicy('pipl-default');
    const waiting = askRequester(aRequest(), policy, today).next;
    const refused = refuseRequest(
      waiting,
      policy,
      { ground: 'identity-not-verified', reason: 'No answer' },
      today,
    );
    expect(refused.next).not.toHaveProperty('pausedSince');
    expect(refused.next).not.toHaveProperty('resumeTo');
  });

  it('cannot refuse a closed request', () => {
    expect(() =>
      refuseRequest(
        aRequest({ status: 'fulfilled' }),
        getPolicy('pipl-default'),
        { ground: 'trade-secrets', reason: 'x' },
        today,
      ),
    ).toThrow(IllegalTransition);
  });
});

describe('refusalNotice', () => {
  it.each(REGIMES)(
    'tells a %s requester the ground in Chinese and English, the reason and where to complain',
    (regime) => {
      const ground = REFUSAL_GROUNDS.find((candidate) => candidate.id === 'identity-not-verified')!;
      const notice = refusalNotice({
        requestId: 'dsr-1',
        ground,
        reason: 'The signature on the letter did not match',
        regime,
        organisation: 'Demo Shop',
      });
      expect(notice.subject).toContain('dsr-1');
      for (const part of [ground.zh, ground.en, 'The signature on the letter did not match', 'Demo Shop']) {
        expect(notice.text).toContain(part);
      }
      expect(notice.text).toContain(COMPLAINT_RIGHTS[regime].zh);
      expect(notice.text).toContain(COMPLAINT_RIGHTS[regime].en);
    },
  );

  it('tells a PIPL requester of the complaint to the authorities and the lawsuit in a people’s court (arts. 65, 50)', () => {
    expect(COMPLAINT_RIGHTS.pipl.en).toMatch(/PIPL art\. 65.*people's court \(PIPL art\. 50\)/);
    expect(COMPLAINT_RIGHTS.pipl.zh).toContain('人民法院提起诉讼');
  });
});
