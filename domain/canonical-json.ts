/**
 * The one canonical JSON, for every hash over a value: the audit chain
 * (domain/audit.ts) and the salted and keyed masking hashes (domain/masking.ts).
 */

/**
 * JSON with object keys sorted at every level, so equal values hash equally
 * whatever their key order. Strings are JSON-quoted too, so the string '1' and
 * the number 1 hash differently. As JSON.stringify does, object keys whose
 * value is undefined are left out and undefined elsewhere is null; a bigint is
 * written as its decimal string.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  return JSON.stringify(value) ?? 'null';
}
