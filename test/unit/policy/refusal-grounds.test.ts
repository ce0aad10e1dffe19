import { describe, expect, it } from 'vitest';
import { REFUSAL_GROUNDS, STATUTORY_PIPL_GROUNDS } from '../../../domain/policy/refusal-grounds';
import { getPolicy, listPolicies } from '../../../domain/policy/registry';

describe('refusal grounds', () => {
  it('gives every ground a unique kebab-case id, both texts and a legal basis', () => {
    const ids = REFUSAL_GROUNDS.map((ground) => ground.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const ground of REFUSAL_GROUNDS) {
      expect(ground.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(ground.zh.length, ground.id).toBeGreaterThan(0);
      expect(ground.en.length, ground.id).toBeGreaterThan(0);
      expect(ground.basis.length, ground.id).toBeGreaterThan(0);
      expect(ground.regimes.length, ground.id).toBeGreaterThan(0);
    }
  });

  it('lists the eight statutory grounds that seeds 000 and 002 print', () => {
    expect(STATUTORY_PIPL_GROUNDS).toHaveLength(8);
    expect(STATUTORY_PIPL_GROUNDS).toEqual(
      expect.arrayContaining([
        'national-security',
        'criminal-proceedings',
        'bad-faith-or-abuse',
        'trade-secrets',
      ]),
    );
  });

  it.each(['caftrade', 'sufe'])('lets %s refuse on every statutory ground its seed prints', (id) => {
    expect(getPolicy(id).refusalGrounds).toEqual(expect.arrayContaining([...STATUTORY_PIPL_GROUNDS]));
  });

  it.each(listPolicies().map((profile) => [profile.id, profile] as const))(
    'lets %s refuse a requester whose identity was never verified',
    (_id, profile) => {
      expect(profile.refusalGrounds).toContain('identity-not-verified');
    },
  );
});
