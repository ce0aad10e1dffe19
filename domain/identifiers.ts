/**
 * Subject identifiers: normalisation (so the same person always hashes the
 * same), keyed hashing (so no plain identifier is ever a database key), and
 * masking (so people can recognise an identifier without it being disclosed).
 */
import { createHmac } from 'node:crypto';
import { InvalidInput } from './errors';
import type { IdentifierKind } from './request';

export class InvalidIdentifier extends InvalidInput {
  override readonly name = 'InvalidIdentifier' as const;
  readonly code = 'invalid-identifier';
  constructor(
    readonly kind: IdentifierKind,
    message: string,
  ) {
    super(message);
  }
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@.]{2,63}$/;

/** Lower-cases and trims. Dots and plus-tags are kept: they may be different mailboxes. */
export function normaliseEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (!EMAIL.test(email)) throw new InvalidIdentifier('email', 'not an email address');
  return email;
}

/**
 * Keeps digits and a leading +. Mainland Chinese mobile numbers (11 digits
 * starting with 1) get +86 so that "138 0013 8000" and "+86 13800138000" match.
 */
export function normalisePhone(raw: string): string {
  const compact = raw.trim().replace(/[\s\-().]/g, '');
  if (!/^\+?\d{6,15}$/.test(compact)) throw new InvalidIdentifier('phone', 'not a phone number');
  if (compact.startsWith('+')) return compact;
  if (/^1[3-9]\d{9}$/.test(compact)) return `+86${compact}`;
  if (compact.startsWith('00')) return `+${compact.slice(2)}`;
  return compact;
}

export function normaliseAccountId(raw: string): string {
  const id = raw.trim();
  if (!/^[\w.\-:@]{1,128}$/.test(id)) throw new InvalidIdentifier('accountId', 'not an account id');
  return id;
}

export function normaliseIdentifier(kind: IdentifierKind, raw: string): string {
  switch (kind) {
    case 'email':
      return normaliseEmail(raw);
    case 'phone':
      return normalisePhone(raw);
    case 'accountId':
      return normaliseAccountId(raw);
  }
}

/** HMAC-SHA256 under a server-side key: stable for lookups, useless to someone holding only the table. */
export function identifierKey(kind: IdentifierKind, normalised: string, hashKey: string): string {
  return `${kind}#${createHmac('sha256', hashKey).update(`${kind}:${normalised}`).digest('base64url')}`;
}

/** `a***e@example.com`, `+86138****8000`, `us***01`: enough to recognise, not enough to use. */
export function maskIdentifier(kind: IdentifierKind, normalised: string): string {
  if (kind === 'email') {
    const [local = '', domain = ''] = normalised.split('@');
    const shown = local.length <= 2 ? `${local[0] ?? ''}*` : `${local[0]}***${local.at(-1)}`;
    return `${shown}@${domain}`;
  }
  if (kind === 'phone') {
    if (normalised.length <= 8) return `${'*'.repeat(normalised.length - 2)}${normalised.slice(-2)}`;
    return `${normalised.slice(0, -8)}****${normalised.slice(-4)}`;
  }
  return normalised.length <= 4 ? '****' : `${normalised.slice(0, 2)}***${normalised.slice(-2)}`;
}
