/**
 * Splitting one item into the data categories it holds, for export: a
 * subject asking for a copy should see which category each value belongs to,
 * since each category has its own purpose and retention.
 */
import { readPath } from '../../domain/masking';
import type { DataCategory } from '../../domain/stores/schema';

type Data = Record<string, unknown>;

function withoutPath(record: Data, steps: readonly string[]): Data {
  const [step, ...rest] = steps;
  if (step === undefined || !Object.hasOwn(record, step)) return record;
  const { [step]: inner, ...others } = record;
  if (rest.length === 0) return others;
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return record;
  return { ...others, [step]: withoutPath(inner as Data, rest) };
}

/**
 * One entry per category present in `item`. A category naming fields gets the
 * key attributes and those fields (nested ones under their dot path). The
 * first category naming no fields gets everything no other category claims;
 * when every category names fields, the unclaimed rest goes with the first,
 * so that nothing of the subject is left out of an export.
 */
export function splitByCategory(
  categories: readonly DataCategory[],
  item: Readonly<Data>,
  keyAttributes: readonly string[],
): { category: string; data: Data }[] {
  const keys = Object.fromEntries(keyAttributes.map((attribute) => [attribute, item[attribute]]));
  const claimed = categories.flatMap((category) => category.fields ?? []);
  const rest = claimed.reduce((record, path) => withoutPath(record, path.split('.')), { ...item } as Data);
  const restOwner = categories.find((category) => category.fields === undefined) ?? categories[0];
  const split: { category: string; data: Data }[] = [];
  for (const category of categories) {
    if (category.fields === undefined) {
      if (category === restOwner) split.push({ category: category.id, data: rest });
      continue;
    }
    const own: Data = {};
    for (const path of category.fields) {
      const found = readPath(item, path);
      if (found.found) own[path] = found.value;
    }
    if (category === restOwner) split.push({ category: category.id, data: { ...rest, ...own } });
    else if (Object.keys(own).length > 0) split.push({ category: category.id, data: { ...keys, ...own } });
  }
  return split;
}
