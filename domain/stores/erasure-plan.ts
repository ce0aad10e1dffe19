/**
 * What erasure does to one record of a store, decided from the store's data
 * categories. Pure: the record, the request's instant and the masking secrets
 * come in as arguments; every connector (DynamoDB item, S3 object, PostgreSQL
 * row) carries out the same plan.
 *
 * The rules, in order:
 * 1. A `retain` category is judged per record: its period runs from the
 *    record's `retainFromField` (the plain UTC date of that instant), and
 *    includes its last day. Within the period the record is kept and its
 *    processing restricted (PIPL art. 47: "the retention period ... has not
 *    expired ... stop processing other than storage and necessary security
 *    protection"). After it, the category behaves like `delete`.
 * 2. Otherwise a whole-record `delete` category (one that names no fields)
 *    deletes the record.
 * 3. Otherwise an `anonymise` category keeps the record with its fields
 *    anonymised.
 * 4. Otherwise (only `delete` categories naming fields) the record is deleted.
 *
 * A kept record has the fields of its `delete` categories removed and the
 * fields of its `anonymise` categories masked; fields of a retained category
 * are left as they are. Values already anonymised are not anonymised again,
 * so planning an erased record yields `none` (or `keep` while under a hold):
 * that is what makes erasure idempotent and what verification checks.
 */
import { addCalendarMonthsClamped, addDays, compareDates, isPlainDate, type PlainDate } from '../clock';
import { InvalidInstant } from '../clock/errors';
import { isMasked, type MaskingSecrets, maskValue, readPath } from '../masking';
import type { DataCategory } from './schema';

/** The attribute (or tag) marking a kept record's processing as restricted. */
export const RESTRICTION_ATTRIBUTE = 'dsarRestriction';

export interface Restriction {
  readonly requestId: string;
  /** The legal basis for keeping the record; several are joined with '; '. */
  readonly basis: string;
  /** The last day of the retention period (plain UTC date); after it the record is deleted. */
  readonly until: PlainDate;
}

export type ErasurePlan =
  | { readonly action: 'delete' }
  | {
      readonly action: 'update';
      /** Field path (dots for nested fields) → anonymised value. */
      readonly set: Readonly<Record<string, unknown>>;
      /** Field paths to remove. */
      readonly remove: readonly string[];
      readonly restricted?: Restriction;
    }
  /** Kept unchanged under a legal hold; processing restricted. */
  | { readonly action: 'keep'; readonly restricted: Restriction }
  /** Kept, with nothing of the subject left to erase (it was anonymised before). */
  | { readonly action: 'none' };

export interface ErasurePlanInput {
  readonly categories: readonly DataCategory[];
  readonly record: Readonly<Record<string, unknown>>;
  readonly requestId: string;
  /** ISO-8601 instant of the erasure. */
  readonly now: string;
  readonly secrets: MaskingSecrets;
}

type Retain = Extract<DataCategory['erasure'], { mode: 'retain' }>;

function utcDate(instant: Date): PlainDate {
  return instant.toISOString().slice(0, 10) as PlainDate;
}

function instantOf(text: string): Date {
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) throw new InvalidInstant();
  return instant;
}

/**
 * The plain UTC date a retention period starts from. A record without a
 * readable start date is kept for the full period from today: deleting data
 * the law may require us to keep cannot be undone, keeping it restricted can.
 */
function retentionStart(retain: Retain, record: Readonly<Record<string, unknown>>, today: PlainDate) {
  if (retain.retainFromField === undefined) return today;
  const start = readPath(record, retain.retainFromField);
  if (!start.found || typeof start.value !== 'string') return today;
  if (isPlainDate(start.value)) return start.value;
  const instant = new Date(start.value);
  return Number.isNaN(instant.getTime()) ? today : utcDate(instant);
}

/** The last day of the period: three years from 2025-01-10 end on 2028-01-10; from 29 February, on 28 February. */
export function retentionEnd(start: PlainDate, retainFor: Retain['retainFor']): PlainDate {
  switch (retainFor.unit) {
    case 'days':
      return addDays(start, retainFor.length);
    case 'months':
      return addCalendarMonthsClamped(start, retainFor.length);
    case 'years':
      return addCalendarMonthsClamped(start, retainFor.length * 12);
  }
}

type Effective =
  | { readonly category: DataCategory; readonly mode: 'delete' }
  | {
      readonly category: DataCategory;
      readonly mode: 'retain';
      readonly basis: string;
      readonly until: PlainDate;
    }
  | {
      readonly category: DataCategory;
      readonly mode: 'anonymise';
      readonly erasure: Extract<DataCategory['erasure'], { mode: 'anonymise' }>;
    };

function effectiveErasure(
  category: DataCategory,
  record: Readonly<Record<string, unknown>>,
  today: PlainDate,
): Effective {
  const { erasure } = category;
  switch (erasure.mode) {
    case 'delete':
      return { category, mode: 'delete' };
    case 'anonymise':
      return { category, mode: 'anonymise', erasure };
    case 'retain': {
      const until = retentionEnd(retentionStart(erasure, record, today), erasure.retainFor);
      return compareDates(today, until) <= 0
        ? { category, mode: 'retain', basis: erasure.basis, until }
        : { category, mode: 'delete' };
    }
  }
}

export function planErasure(input: ErasurePlanInput): ErasurePlan {
  const { categories, record, requestId, secrets } = input;
  const today = utcDate(instantOf(input.now));
  const effective = categories.map((category) => effectiveErasure(category, record, today));

  const holds = effective.filter((entry) => entry.mode === 'retain');
  const wholeRecordDelete = effective.some(
    (entry) => entry.mode === 'delete' && entry.category.fields === undefined,
  );
  const anonymised = effective.filter((entry) => entry.mode === 'anonymise');
  if (holds.length === 0 && (wholeRecordDelete || anonymised.length === 0)) return { action: 'delete' };

  const remove = effective
    .filter((entry) => entry.mode === 'delete')
    .flatMap((entry) => entry.category.fields ?? [])
    .filter((path) => readPath(record, path).found);
  const set: Record<string, unknown> = {};
  for (const { erasure } of anonymised) {
    for (const path of erasure.fields) {
      const current = readPath(record, path);
      if (!current.found || remove.includes(path) || isMasked(current.value, erasure)) continue;
      set[path] = maskValue(current.value, erasure, secrets);
    }
  }

  const restricted: Restriction | undefined =
    holds.length === 0
      ? undefined
      : {
          requestId,
          basis: [...new Set(holds.map((hold) => hold.basis))].join('; '),
          until: holds.map((hold) => hold.until).reduce((a, b) => (compareDates(a, b) >= 0 ? a : b)),
        };

  const uniqueRemove = [...new Set(remove)];
  if (Object.keys(set).length > 0 || uniqueRemove.length > 0) {
    return { action: 'update', set, remove: uniqueRemove, ...(restricted ? { restricted } : {}) };
  }
  return restricted ? { action: 'keep', restricted } : { action: 'none' };
}
