import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getPolicy, listPolicies, POLICY_IDS, UnknownPolicy } from '../../../domain/policy/registry';

describe('policy registry', () => {
  it('holds exactly the ten profiles, seeds first', () => {
    expect(listPolicies().map((profile) => profile.id)).toEqual([
      'caftrade',
      'system',
      'sufe',
      'qianxin',
      'bestcert',
      'pipl-default',
      'gdpr',
      'uk-gdpr',
      'ccpa',
      'lgpd',
    ]);
  });

  it.each(POLICY_IDS)('loads the %s profile under its own id', (id) => {
    expect(getPolicy(id).id).toBe(id);
  });

  it('refuses an unknown id with an UnknownPolicy error that lists the valid ids', () => {
    expect(() => getPolicy('gpdr')).toThrow(UnknownPolicy);
    expect(() => getPolicy('gpdr')).toThrow(/Unknown policy 'gpdr'; valid policies: caftrade, system, sufe/);
  });

  it('hands out frozen profiles, so one caller cannot change another caller’s policy', () => {
    expect(Object.isFrozen(getPolicy('sufe'))).toBe(true);
  });
});

describe('profile contents', () => {
  it.each([
    ['caftrade', 'verification', 'calendar-days', 15],
    ['system', 'receipt', 'working-days', 15],
    ['sufe', 'receipt', 'working-days', 20],
    ['qianxin', 'receipt', 'working-days', 15],
    ['bestcert', 'receipt', 'working-days', 15],
    ['pipl-default', 'receipt', 'working-days', 15],
    ['gdpr', 'receipt', 'months', 1],
    ['uk-gdpr', 'receipt', 'months', 1],
    ['ccpa', 'receipt', 'calendar-days', 45],
    ['lgpd', 'receipt', 'calendar-days', 15],
  ] as const)('gives %s a clock from %s of %s × %i', (id, start, unit, length) => {
    expect(getPolicy(id).clock).toMatchObject({ start, unit, length });
  });

  it('gives the seeds that state no period the same clock as pipl-default', () => {
    const { clock } = getPolicy('pipl-default');
    expect(getPolicy('system').clock).toEqual(clock);
    expect(getPolicy('bestcert').clock).toEqual(clock);
    expect(getPolicy('system').comments.clock).toMatch(/认定方法/);
    expect(getPolicy('bestcert').comments.clock).toMatch(/认定方法/);
  });

  it.each(['caftrade', 'system', 'sufe', 'qianxin', 'bestcert', 'pipl-default'])(
    'reads %s in Shanghai time with a guardian below 14 (PIPL art. 31)',
    (id) => {
      expect(getPolicy(id)).toMatchObject({ timeZone: 'Asia/Shanghai', guardianAge: 14, regime: 'pipl' });
    },
  );

  it('explains why qianxin caps a postponement the seed leaves uncapped', () => {
    const qianxin = getPolicy('qianxin');
    expect(qianxin.extension).toMatchObject({ unit: 'working-days', length: 15, maxTotal: 30 });
    expect(qianxin.explanation).toMatchObject({ unit: 'working-days', length: 15, trigger: 'postponement' });
    expect(qianxin.comments['extension.maxTotal']).toMatch(/states no cap/);
  });

  it('keeps caftrade transaction records for three years under the E-Commerce Law', () => {
    expect(getPolicy('caftrade').legalHolds).toEqual([
      expect.objectContaining({
        category: 'transaction-records',
        retainFor: { length: 3, unit: 'years' },
        basis: expect.stringMatching(/E-Commerce Law art\. 31/),
      }),
    ]);
  });

  it('needs an offline check before sufe deletes real-name data, and approval before a transfer', () => {
    expect(getPolicy('sufe').approvalRequired).toEqual({
      requestTypes: ['portability'],
      realNameDeletionNeedsOfflineVerification: true,
    });
  });

  it('acknowledges ccpa requests within 10 business days on the federal calendar', () => {
    expect(getPolicy('ccpa').acknowledgement).toEqual({
      unit: 'working-days',
      length: 10,
      calendar: 'us-federal',
    });
  });

  it('rolls uk-gdpr due dates over England-and-Wales bank holidays, and gdpr ones not at all', () => {
    expect(getPolicy('uk-gdpr').clock).toMatchObject({
      calendar: 'england-and-wales',
      rollForwardOnRestDay: true,
    });
    expect(getPolicy('gdpr').clock.rollForwardOnRestDay).toBe(false);
  });

  it.each(listPolicies().map((profile) => [profile.id, profile] as const))(
    'keeps the %s export link alive no longer than a week',
    (_id, profile) => {
      expect(profile.exportLinkLifetimeDays).toBeLessThanOrEqual(7);
    },
  );
});

// The seed texts live beside the repository (../shared/seeds, where CI puts them too); when present, check that each
// profile quotes its seed word for word, so a paraphrase cannot pass as the policy's own promise.
const seedsDir =
  process.env.DSAR_SEEDS_DIR ?? fileURLToPath(new URL('../../../../shared/seeds', import.meta.url));
const seededProfiles = listPolicies().filter((profile) => profile.source.seed !== undefined);

describe.skipIf(!existsSync(seedsDir))('profiles quote their seeds', () => {
  const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

  it.each(seededProfiles.map((profile) => [profile.id, profile] as const))(
    'finds the %s source quote verbatim in its seed',
    (_id, profile) => {
      const seed = readFileSync(join(seedsDir, profile.source.seed ?? ''), 'utf8');
      expect(normalise(seed)).toContain(normalise(profile.source.quote));
    },
  );
});
