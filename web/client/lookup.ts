/**
 * A table's entry for a key the API sent, or undefined for one the page does
 * not know yet (a newer server may send a status or event this page predates).
 */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string | null | undefined): T | undefined {
  if (key === null || key === undefined || !Object.hasOwn(table, key)) return undefined;
  return table[key];
}
