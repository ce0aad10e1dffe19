import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REPLACEMENT,
  isMasked,
  type MaskingRule,
  MissingMaskingSecret,
  maskFields,
  maskValue,
  readPath,
} from '../../../domain/masking';
import { ANONYMISATION_STRATEGIES } from '../../../domain/stores/schema';

const secrets = { hmacKey: 'pipeline-key', salt: 'salt-of-request-1' };
const rules: MaskingRule[] = ANONYMISATION_STRATEGIES.map((strategy) => ({ strategy }));

// A value short enough to occur by chance inside a digest or a marker is not "the original" leaking.
const nonTrivialText = fc.string({ minLength: 8, maxLength: 80 });
const anyValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string()),
  fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())),
);

describe('maskValue', () => {
  it.each(rules)('never returns a non-trivial original text inside the $strategy output', (rule) => {
    fc.assert(
      fc.property(
        nonTrivialText,
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        (text, key, salt) => {
          const masked = JSON.stringify(maskValue(text, rule, { hmacKey: key, salt }));
          expect(masked).not.toContain(text);
        },
      ),
    );
  });

  it('gives the same hmac for the same value and key, so anonymised joins survive', () => {
    fc.assert(
      fc.property(anyValue, fc.string({ minLength: 1 }), (value, key) => {
        const rule: MaskingRule = { strategy: 'hmac' };
        expect(maskValue(value, rule, { hmacKey: key, salt: 'a' })).toBe(
          maskValue(structuredClone(value), rule, { hmacKey: key, salt: 'b' }),
        );
      }),
    );
  });

  it('gives different hmacs under different keys', () => {
    fc.assert(
      fc.property(anyValue, fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (value, a, b) => {
        fc.pre(a !== b);
        const rule: MaskingRule = { strategy: 'hmac' };
        expect(maskValue(value, rule, { hmacKey: a, salt: 's' })).not.toBe(
          maskValue(value, rule, { hmacKey: b, salt: 's' }),
        );
      }),
    );
  });

  it('gives different salted hashes of the same value under different salts', () => {
    fc.assert(
      fc.property(anyValue, fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (value, a, b) => {
        fc.pre(a !== b);
        const rule: MaskingRule = { strategy: 'salted-hash' };
        expect(maskValue(value, rule, { hmacKey: 'k', salt: a })).not.toBe(
          maskValue(value, rule, { hmacKey: 'k', salt: b }),
        );
      }),
    );
  });

  it('hashes objects by content, whatever their key order', () => {
    const rule: MaskingRule = { strategy: 'hmac' };
    expect(maskValue({ a: 1, b: 'x' }, rule, secrets)).toBe(maskValue({ b: 'x', a: 1 }, rule, secrets));
  });

  it('hashes the string "1" and the number 1 differently', () => {
    const rule: MaskingRule = { strategy: 'hmac' };
    expect(maskValue('1', rule, secrets)).not.toBe(maskValue(1, rule, secrets));
  });

  it.each([
    [{ strategy: 'null' } as const, null],
    [{ strategy: 'fixed' } as const, DEFAULT_REPLACEMENT],
    [{ strategy: 'fixed', replacement: '(address removed)' } as const, '(address removed)'],
  ])('replaces any value with the %o constant', (rule, expected) => {
    fc.assert(
      fc.property(anyValue, (value) => {
        expect(maskValue(value, rule, secrets)).toBe(expected);
      }),
    );
  });

  it.each([
    ['hmac', { hmacKey: '', salt: 's' }],
    ['salted-hash', { hmacKey: 'k', salt: '' }],
  ] as const)('refuses to %s without its secret rather than hash in the clear', (strategy, missing) => {
    expect(() => maskValue('li.lei@example.com', { strategy }, missing)).toThrow(MissingMaskingSecret);
  });
});

describe('isMasked', () => {
  it.each(rules)('recognises every $strategy output as masked', (rule) => {
    fc.assert(fc.property(anyValue, (value) => isMasked(maskValue(value, rule, secrets), rule)));
  });

  it.each(rules)('does not take ordinary text for $strategy output', (rule) => {
    fc.assert(
      fc.property(nonTrivialText, (text) => {
        fc.pre(text !== DEFAULT_REPLACEMENT);
        expect(isMasked(text, rule)).toBe(false);
      }),
    );
  });
});

describe('maskFields', () => {
  const record = {
    accountId: 'u-1001',
    realNameVerification: { realName: '李雷', idNumber: '110101********1234', verifiedAt: '2024-03-01' },
    amountCny: 129,
    tags: ['a', 'b'],
  };

  it('masks a nested field by its dot path and leaves its siblings', () => {
    const masked = maskFields(record, ['realNameVerification.realName'], { strategy: 'fixed' }, secrets);
    expect(masked).toEqual({
      ...record,
      realNameVerification: { ...record.realNameVerification, realName: DEFAULT_REPLACEMENT },
    });
  });

  it('masks a whole object, a number and an array when they are named', () => {
    const masked = maskFields(
      record,
      ['realNameVerification', 'amountCny', 'tags'],
      { strategy: 'hmac' },
      secrets,
    );
    expect(masked.accountId).toBe('u-1001');
    for (const field of ['realNameVerification', 'amountCny', 'tags']) {
      expect(isMasked(masked[field], { strategy: 'hmac' })).toBe(true);
    }
  });

  it('never invents a field that the record does not have', () => {
    const masked = maskFields(
      record,
      ['phone', 'realNameVerification.passport', 'amountCny.x'],
      { strategy: 'null' },
      secrets,
    );
    expect(masked).toEqual(record);
  });

  it('does not mask an already masked value again, so a second erasure changes nothing', () => {
    const rule: MaskingRule = { strategy: 'salted-hash' };
    const once = maskFields(record, ['realNameVerification'], rule, secrets);
    const twice = maskFields(once, ['realNameVerification'], rule, { ...secrets, salt: 'another-salt' });
    expect(twice).toEqual(once);
  });

  it('leaves every field it was not asked to mask untouched, and the input unmodified', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1 }).filter((key) => !key.includes('.')),
          anyValue,
          { minKeys: 1 },
        ),
        fc.constantFrom(...rules),
        (input, rule) => {
          const snapshot = structuredClone(input);
          const [first] = Object.keys(input);
          const masked = maskFields(input, [first!], rule, secrets);
          expect(input).toEqual(snapshot);
          for (const [key, value] of Object.entries(input)) {
            if (key !== first) expect(masked[key]).toEqual(value);
          }
          expect(readPath(masked, first!)).toEqual({
            found: true,
            value: maskValue(input[first!], rule, secrets),
          });
        },
      ),
    );
  });
});
