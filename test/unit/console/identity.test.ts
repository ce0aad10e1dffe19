import { describe, expect, it } from 'vitest';
import type { PlainDate } from '../../../domain/clock';
import { IdentityReviewSchema } from '../../../domain/console/console-input';
import {
  EvidenceNotOnRequest,
  EvidenceRequired,
  IdentifierNotOnRequest,
  IdentifiersRequired,
  IdentityAlreadyVerified,
  IdentityMethodNotAllowed,
} from '../../../domain/console/errors';
import { approveIdentity, rejectIdentity } from '../../../domain/console/identity';
import { askRequester } from '../../../domain/console/pause';
import { getPolicy } from '../../../domain/policy/registry';
import type { SubjectIdentifier } from '../../../domain/request-record';
import { aRequest, contextOn, EMAIL, PHONE } from './builders';

const day = (text: string) => text as PlainDate;
const EVIDENCE = 'dsr-00000000-0000-4000-8000-000000000001/attachment-1';

function pending(policyId: string, evidenceKeys: string[] = []) {
  return aRequest({
    policyId,
    status: 'pending-verification',
    identifiers: [EMAIL, PHONE],
    extras: evidenceKeys.length ? { evidenceKeys } : {},
  });
}

describe('approveIdentity', () => {
  it('verifies the identifiers after an id-document review, starts a caftrade clock today, and audits the document', () => {
    const record = pending('caftrade', [EVIDENCE]);
    expect(record.deadline.dueDate).toBeNull();
    const context = contextOn(day('2025-03-05'));
    const change = approveIdentity(
      record,
      getPolicy('caftrade'),
      { method: 'id-document', evidenceKey: EVIDENCE, identifiers: ['email', 'phone'] },
      context,
    );
    expect(change.next).toMatchObject({ status: 'verified', verifiedOn: '2025-03-05' });
    expect(change.next.deadline.dueDate).toBe('2025-03-20');
    expect(change.next.identifiers.map((i) => [i.kind, i.verified, i.verifiedBy, i.verifiedAt])).toEqual([
      ['email', true, 'id-document', context.at],
      ['phone', true, 'id-document', context.at],
    ]);
    expect(change.events.map((event) => event.type)).toEqual(['identity-verified', 'status-changed']);
    expect(change.events[0]?.details).toEqual({
      method: 'id-document',
      identifiers: [EMAIL.masked, PHONE.masked],
      evidenceKey: EVIDENCE,
    });
    expect(JSON.stringify(change.events)).not.toContain(EMAIL.value);
  });

  it('verifies only the identifiers the check proves', () => {
    const change = approveIdentity(
      pending('qianxin'),
      getPolicy('qianxin'),
      { method: 'phone-callback', identifiers: ['phone'] },
      contextOn(day('2025-03-05')),
    );
    expect(change.next.identifiers.map((i) => [i.kind, i.verified])).toEqual([
      ['email', false],
      ['phone', true],
    ]);
  });

  it('ends the pause of a request that waited for its evidence, adding the days it waited', () => {
    const policy = getPolicy('pipl-default');
    const asked = askRequester(
      aRequest({
        status: 'pending-verification',
        receivedAt: '2025-03-03T01:00:00.000Z',
        extras: { evidenceKeys: [EVIDENCE] },
      }),
      policy,
      contextOn(day('2025-03-04')),
    );
    const change = approveIdentity(
      asked.next,
      policy,
      { method: 'id-document', evidenceKey: EVIDENCE, identifiers: ['email'] },
      contextOn(day('2025-03-07')),
    );
    expect(change.next).toMatchObject({ status: 'verified', pausedUnits: 3 });
    expect(change.next).not.toHaveProperty('pausedSince');
    expect(change.events.map((event) => event.type)).toEqual([
      'clock-resumed',
      'identity-verified',
      'status-changed',
    ]);
  });

  it.each([
    [
      'a method the policy does not use',
      'qianxin',
      { method: 'in-person' as const, identifiers: ['email' as const] },
      IdentityMethodNotAllowed,
    ],
    [
      'a document not on the request',
      'pipl-default',
      { method: 'id-document' as const, evidenceKey: 'other', identifiers: ['email' as const] },
      EvidenceNotOnRequest,
    ],
    [
      'no document when the request has one',
      'pipl-default',
      { method: 'id-document' as const, identifiers: ['email' as const] },
      EvidenceRequired,
    ],
    [
      'an identifier the request lacks',
      'sufe',
      { method: 'in-person' as const, identifiers: ['accountId' as const] },
      IdentifierNotOnRequest,
    ],
    [
      'an approval naming no identifier',
      'sufe',
      { method: 'in-person' as const, identifiers: [] },
      IdentifiersRequired,
    ],
  ])('refuses %s', (_case, policyId, check, error) => {
    expect(() =>
      approveIdentity(
        pending(policyId, [EVIDENCE]),
        getPolicy(policyId),
        check,
        contextOn(day('2025-03-05')),
      ),
    ).toThrow(error);
  });

  it('refuses to review an identity already settled', () => {
    expect(() =>
      approveIdentity(
        aRequest(),
        getPolicy('pipl-default'),
        { method: 'account-login', identifiers: ['email'] },
        contextOn(day('2025-03-05')),
      ),
    ).toThrow(IdentityAlreadyVerified);
  });

  it('leaves an accountId the requester typed unverified unless the agent names it', () => {
    const typed: SubjectIdentifier = {
      kind: 'accountId',
      value: 'u-2002',
      key: 'accountId#key-of-u-2002',
      masked: 'u-2***2',
      verified: false,
    };
    const record = aRequest({
      policyId: 'sufe',
      status: 'pending-verification',
      identifiers: [EMAIL, typed],
    });
    const change = approveIdentity(
      record,
      getPolicy('sufe'),
      { method: 'in-person', identifiers: ['email'] },
      contextOn(day('2025-03-05')),
    );
    expect(change.next.identifiers.map((i) => [i.kind, i.verified])).toEqual([
      ['email', true],
      ['accountId', false],
    ]);
    expect(change.events[0]?.details).toMatchObject({ identifiers: [EMAIL.masked] });
  });

  it('is refused over the API without the list, naming the field', () => {
    const parsed = IdentityReviewSchema.safeParse({ decision: 'approve', method: 'in-person', note: 'Seen' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path)).toEqual([['identifiers']]);
    expect(
      IdentityReviewSchema.safeParse({
        decision: 'approve',
        method: 'in-person',
        note: 'Seen',
        identifiers: [],
      }).error?.issues[0]?.path,
    ).toEqual(['identifiers']);
  });
});

describe('rejectIdentity', () => {
  it('refuses the request on the ground identity-not-verified', () => {
    const change = rejectIdentity(
      pending('qianxin'),
      getPolicy('qianxin'),
      'Nobody answered the call-back',
      contextOn(day('2025-03-05')),
    );
    expect(change.next).toMatchObject({
      status: 'refused',
      refusal: { ground: 'identity-not-verified', reason: 'Nobody answered the call-back' },
    });
    expect(change.events[0]?.details).toMatchObject({
      to: 'refused',
      refusalGround: 'identity-not-verified',
    });
  });
});
