/**
 * Anonymisation of record fields: the four strategies a data category's
 * `anonymise` erasure may name. Pure: the secrets (the pipeline's HMAC key,
 * a per-request salt) come in as arguments, and nothing here reads a clock.
 *
 * - `null`: the field becomes null.
 * - `fixed`: the field becomes a replacement text ('[removed]' by default).
 * - `salted-hash`: SHA-256 over a per-request salt and the value. The salt is
 *   made by the caller for one erasure and then thrown away, never stored
 *   beside the data, so nobody can confirm a guessed value afterwards.
 * - `hmac`: HMAC-SHA256 under the pipeline key. Deterministic, so two tables
 *   anonymised with the same key still join on the anonymised value.
 *
 * Hashes are written `sha256:<base64url>` / `hmac-sha256:<base64url>`, so an
 * anonymised value is recognisable (`isMasked`) and never anonymised twice: a
 * second HMAC over an HMAC would break the joins the strategy exists for.
 */
import { createHash, createHmac } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { PermanentError } from './errors';
import type { AnonymisationStrategy } from './stores/schema';

export const DEFAULT_REPLACEMENT = '[removed]';

/** The part of an `anonymise` erasure that says how values are replaced. */
export interface MaskingRule {
  readonly strategy: AnonymisationStrategy;
  /** Replacement text for `fixed`. @default '[removed]' */
  readonly replacement?: string | undefined;
}

export interface MaskingSecrets {
  /** The pipeline's HMAC key, for `hmac`. */
  readonly hmacKey: string;
  /** A salt made for this one erasure, for `salted-hash`. */
  readonly salt: string;
}

/** A hash strategy was asked to mask without its key or salt: hashing with '' would be a plain hash. */
export class MissingMaskingSecret extends PermanentError {
  override readonly name = 'MissingMaskingSecret' as const;
  readonly code = 'missing-masking-secret';
}

const SALTED_HASH = /^sha256:[A-Za-z0-9_-]{43}$/;
const KEYED_HASH = /^hmac-sha256:[A-Za-z0-9_-]{43}$/;

/** The anonymised form of one value (of any type: nested objects are replaced whole). */
export function maskValue(value: unknown, rule: MaskingRule, secrets: MaskingSecrets): unknown {
  switch (rule.strategy) {
    case 'null':
      return null;
    case 'fixed':
      return rule.replacement ?? DEFAULT_REPLACEMENT;
    case 'salted-hash': {
      if (secrets.salt === '') throw new MissingMaskingSecret('salted-hash needs a per-request salt');
      const digest = createHash('sha256').update(secrets.salt).update('\0').update(canonicalJson(value));
      return `sha256:${digest.digest('base64url')}`;
    }
    case 'hmac': {
      if (secrets.hmacKey === '') throw new MissingMaskingSecret('hmac needs the pipeline key');
      return `hmac-sha256:${createHmac('sha256', secrets.hmacKey).update(canonicalJson(value)).digest('base64url')}`;
    }
  }
}

/** Whether `value` already is what `rule` produces, so that masking it again would change nothing useful. */
export function isMasked(value: unknown, rule: MaskingRule): boolean {
  switch (rule.strategy) {
    case 'null':
      return value === null;
    case 'fixed':
      return value === (rule.replacement ?? DEFAULT_REPLACEMENT);
    case 'salted-hash':
      return typeof value === 'string' && SALTED_HASH.test(value);
    case 'hmac':
      return typeof value === 'string' && KEYED_HASH.test(value);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The value at a dot path (`realNameVerification.realName`), or `found: false`
 * when a step is missing or is not an object. Paths go through objects only;
 * an array is masked as a whole by naming it.
 */
export function readPath(
  record: Readonly<Record<string, unknown>>,
  path: string,
): { readonly found: true; readonly value: unknown } | { readonly found: false } {
  let current: unknown = record;
  for (const step of path.split('.')) {
    if (!isPlainObject(current) || !Object.hasOwn(current, step)) return { found: false };
    current = current[step];
  }
  return { found: true, value: current };
}

function withPath(
  record: Record<string, unknown>,
  steps: readonly string[],
  value: unknown,
): Record<string, unknown> {
  const [step, ...rest] = steps;
  if (step === undefined) return record;
  const inner = record[step];
  const next: unknown = rest.length === 0 ? value : withPath(isPlainObject(inner) ? inner : {}, rest, value);
  return { ...record, [step]: next };
}

/**
 * A copy of `record` with each path in `paths` that exists masked by `rule`.
 * Paths that do not exist stay absent (masking never invents a field), values
 * already masked by this rule stay as they are, and every other field is
 * untouched.
 */
export function maskFields(
  record: Readonly<Record<string, unknown>>,
  paths: readonly string[],
  rule: MaskingRule,
  secrets: MaskingSecrets,
): Record<string, unknown> {
  let masked: Record<string, unknown> = { ...record };
  for (const path of paths) {
    const current = readPath(masked, path);
    if (!current.found || isMasked(current.value, rule)) continue;
    masked = withPath(masked, path.split('.'), maskValue(current.value, rule, secrets));
  }
  return masked;
}
