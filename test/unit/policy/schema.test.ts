import { describe, expect, it } from 'vitest';
import { getPolicy, InvalidPolicyProfile, parsePolicyProfile } from '../../../domain/policy/registry';
import { type PolicyProfile, PolicyProfileSchema } from '../../../domain/policy/schema';
import type { RequestType } from '../../../domain/request';

/** A valid, mutable copy of a profile to break one field at a time. */
function validProfile(): PolicyProfile {
  return structuredClone(getPolicy('qianxin'));
}

function issuePaths(data: unknown): string[] {
  const result = PolicyProfileSchema.safeParse(data);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

describe('PolicyProfileSchema', () => {
  it('accepts a valid profile unchanged', () => {
    const profile = validProfile();
    expect(PolicyProfileSchema.parse(profile)).toEqual(profile);
  });

  it.each([
    [
      'a working-days clock without a calendar',
      (p: PolicyProfile) => {
        delete p.clock.calendar;
        p.clock.rollForwardOnRestDay = false;
      },
      'clock.calendar',
    ],
    ['rolling forward without a calendar', (p: PolicyProfile) => delete p.clock.calendar, 'clock.calendar'],
    ['a misspelt field', (p: PolicyProfile) => Object.assign(p.clock, { lenght: 15 }), 'clock'],
    ['a fractional length', (p: PolicyProfile) => (p.clock.length = 1.5), 'clock.length'],
    ['an unknown time zone', (p: PolicyProfile) => (p.timeZone = 'Asia/Beijing'), 'timeZone'],
    [
      'an unknown request type',
      (p: PolicyProfile) => (p.rightsOffered = ['access', 'forget-me' as RequestType]),
      'rightsOffered.1',
    ],
    ['a reminder at the due date', (p: PolicyProfile) => (p.reminders = [0.5, 1]), 'reminders.1'],
    ['reminders out of order', (p: PolicyProfile) => (p.reminders = [0.8, 0.5]), 'reminders'],
    [
      'an export link alive for a fortnight',
      (p: PolicyProfile) => (p.exportLinkLifetimeDays = 14),
      'exportLinkLifetimeDays',
    ],
    [
      'an extension in another unit',
      (p: PolicyProfile) => (p.extension!.unit = 'calendar-days'),
      'extension.unit',
    ],
    ['an extension beyond its cap', (p: PolicyProfile) => (p.extension!.maxTotal = 20), 'extension.maxTotal'],
    [
      'a refusal ground of another regime',
      (p: PolicyProfile) => p.refusalGrounds.push('legal-claims'),
      'refusalGrounds.13',
    ],
    [
      'approval for a right not offered',
      (p: PolicyProfile) => (p.approvalRequired.requestTypes = ['portability']),
      'approvalRequired.requestTypes.0',
    ],
    [
      'a comment about no field',
      (p: PolicyProfile) => (p.comments['clok.length'] = 'typo'),
      'comments.clok.length',
    ],
  ])('rejects %s, naming the field', (_case, breakIt, path) => {
    const profile = validProfile();
    breakIt(profile);
    expect(issuePaths(profile)).toContain(path);
  });

  it('accepts a comment explaining why an optional field is absent', () => {
    const profile = validProfile();
    delete profile.backupCaveat;
    profile.comments.backupCaveat = 'The policy promises nothing about backups.';
    expect(issuePaths(profile)).toEqual([]);
  });
});

describe('parsePolicyProfile', () => {
  it('reports a bad profile with its id and the path of each failing field', () => {
    const profile = validProfile();
    delete profile.clock.calendar;
    expect(() => parsePolicyProfile('qianxin', profile)).toThrow(InvalidPolicyProfile);
    expect(() => parsePolicyProfile('qianxin', profile)).toThrow(
      /Policy profile 'qianxin' is invalid:[\s\S]*a working-days period needs a calendar[\s\S]*→ at clock\.calendar/,
    );
  });

  it('rejects a profile filed under another id', () => {
    expect(() => parsePolicyProfile('sufe', validProfile())).toThrow(/its id is 'qianxin'/);
  });
});
