import { describe, expect, it } from 'vitest';
import type { PlainDate } from '../../../domain/clock';
import {
  InvalidDuplicateTarget,
  PortabilityTargetRequired,
  RequestNotAwaitingTriage,
  RequestTypeNotOffered,
} from '../../../domain/console/errors';
import { closeAsDuplicate, recordDuplicateMerged, setRequestType } from '../../../domain/console/triage';
import { IllegalTransition } from '../../../domain/lifecycle';
import { getPolicy } from '../../../domain/policy/registry';
import type { RequestRecord } from '../../../domain/request-record';
import { aRequest, contextOn } from './builders';

const today = contextOn('2025-03-04' as PlainDate);

function untyped(policyId = 'pipl-default'): RequestRecord {
  const { type: _type, ...record } = aRequest({
    policyId,
    status: 'pending-verification',
    extras: { channel: 'email' },
  });
  return { ...record, needsTriage: true, triageCandidates: ['deletion', 'account-cancellation'] };
}

describe('setRequestType', () => {
  it('types an email request the classifier could not, and records the candidates it offered', () => {
    const change = setRequestType(untyped(), getPolicy('pipl-default'), { type: 'deletion' }, today);
    expect(change.next).toMatchObject({
      type: 'deletion',
      needsTriage: false,
      status: 'pending-verification',
    });
    expect(change.next).not.toHaveProperty('triageCandidates');
    expect(change.events).toEqual([
      {
        type: 'triaged',
        actor: today.actor,
        at: today.at,
        details: { action: 'set-type', type: 'deletion', candidates: ['deletion', 'account-cancellation'] },
      },
    ]);
  });

  it('refuses a type the policy does not offer, a typed request, and portability without its recipient', () => {
    expect(() =>
      setRequestType(untyped('qianxin'), getPolicy('qianxin'), { type: 'portability' }, today),
    ).toThrow(RequestTypeNotOffered);
    expect(() => setRequestType(aRequest(), getPolicy('pipl-default'), { type: 'copy' }, today)).toThrow(
      RequestNotAwaitingTriage,
    );
    expect(() =>
      setRequestType(untyped(), getPolicy('pipl-default'), { type: 'portability' }, today),
    ).toThrow(PortabilityTargetRequired);
  });
});

describe('closeAsDuplicate', () => {
  const original = { ...aRequest(), requestId: 'dsr-00000000-0000-4000-8000-0000000000aa' };

  it('cancels the duplicate with the reason and links it to the original on both trails', () => {
    const duplicate = untyped();
    const change = closeAsDuplicate(duplicate, original, today);
    expect(change.next).toMatchObject({ status: 'cancelled', duplicateOf: original.requestId });
    expect(change.events[0]?.details).toMatchObject({
      from: 'pending-verification',
      to: 'cancelled',
      reason: `duplicate of ${original.requestId}`,
    });
    expect(change.events[1]?.details).toEqual({ action: 'merged-into', into: original.requestId });
    const link = recordDuplicateMerged(original, duplicate.requestId, today);
    expect(link.next).toBe(original);
    expect(link.events[0]?.details).toEqual({ action: 'duplicate-merged', duplicate: duplicate.requestId });
  });

  it('refuses to merge a request into itself, into a duplicate, or once closed', () => {
    const duplicate = untyped();
    expect(() => closeAsDuplicate(duplicate, duplicate, today)).toThrow(InvalidDuplicateTarget);
    const secondHand = { ...original, duplicateOf: 'dsr-00000000-0000-4000-8000-0000000000bb' };
    expect(() => closeAsDuplicate(duplicate, secondHand, today)).toThrow(
      /merge into dsr-00000000-0000-4000-8000-0000000000bb/,
    );
    expect(() => closeAsDuplicate({ ...duplicate, status: 'fulfilled' }, original, today)).toThrow(
      IllegalTransition,
    );
  });
});
