import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidIdentifier,
  identifierKey,
  maskIdentifier,
  normaliseEmail,
  normalisePhone,
} from '../../../domain/identifiers';

describe('subject identifiers', () => {
  it('matches the same mailbox however it is typed', () => {
    expect(normaliseEmail('  Li.Lei@Example.COM ')).toBe('li.lei@example.com');
  });

  it.each(['138 0013 8000', '+86 138-0013-8000', '008613800138000', '13800138000'])(
    'normalises the mainland mobile number %s to +86',
    (raw) => expect(normalisePhone(raw)).toBe('+8613800138000'),
  );

  it.each(['not-an-email', 'a@b', '@example.com'])('rejects %s as an email with a typed error', (raw) => {
    expect(() => normaliseEmail(raw)).toThrow(InvalidIdentifier);
  });

  it('masks enough to recognise and never the whole identifier', () => {
    expect(maskIdentifier('email', 'li.lei@example.com')).toBe('l***i@example.com');
    expect(maskIdentifier('phone', '+8613800138000')).toBe('+86138****8000');
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const normalised = email.toLowerCase();
        const [local] = normalised.split('@');
        if (local!.length > 2) expect(maskIdentifier('email', normalised)).not.toContain(local);
      }),
    );
  });

  it('keys identifiers by a keyed hash that depends on the key and the kind', () => {
    const a = identifierKey('email', 'li.lei@example.com', 'k1');
    expect(a).toBe(identifierKey('email', 'li.lei@example.com', 'k1'));
    expect(a).not.toBe(identifierKey('email', 'li.lei@example.com', 'k2'));
    expect(a).not.toContain('li.lei');
    expect(identifierKey('accountId', 'x', 'k1')).not.toBe(identifierKey('email', 'x', 'k1'));
  });
});
