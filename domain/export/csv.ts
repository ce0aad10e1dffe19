/**
 * The CSV form of exported records, for people who open the package in a
 * spreadsheet. One row per record; nested objects become dot-path columns
 * (`data.address.city`); arrays stay whole as JSON text in one cell, because a
 * column per array index would make the column set grow with the data.
 *
 * Written by the one CSV writer (domain/csv.ts: RFC 4180, CRLF lines, formula
 * guard). The file starts with a UTF-8 byte-order mark, without which Excel
 * reads UTF-8 as the local code page and garbles Chinese.
 *
 * The JSON file next to the CSV is the authoritative copy: the CSV gives up the
 * difference between null and "", between a key with a dot and a nested key,
 * and prefixes text that a spreadsheet would run as a formula.
 *
 * Pure: no I/O.
 */
import { csvLine, csvText } from '../csv';

/** The fields of an exported record the CSV shows (the store is implied by the file). */
export interface CsvSourceRecord {
  readonly category: string;
  readonly recordKey: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export const CSV_BYTE_ORDER_MARK = '\uFEFF';

/** Leading columns, before the record's own fields. */
export const CSV_RECORD_COLUMNS = ['category', 'recordKey'] as const;

/**
 * Text that merely looks like a signed number is left unguarded: it cannot run,
 * and a prefix would hide it. This is the one exception to the shared guard
 * (domain/csv.ts), only for exported records; test/unit/export/csv.test.ts pins
 * it ('-12.5' and '+86' stay as written).
 */
const SIGNED_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * A record's value as a spreadsheet may show it. Text that would start a
 * formula gets a leading apostrophe (domain/csv.ts): record values can come
 * from other people (a comment, a shipping note), and a package must not run
 * code on the requester's machine.
 */
export function cellText(value: unknown): string {
  if (typeof value === 'string' && SIGNED_NUMBER.test(value)) return value;
  return csvText(value);
}

function flattenInto(cells: Map<string, string>, path: string, value: unknown): void {
  if (value === undefined) return;
  if (isPlainObject(value)) {
    for (const [key, nested] of Object.entries(value)) flattenInto(cells, `${path}.${key}`, nested);
    return;
  }
  cells.set(path, cellText(value));
}

/** Column → cell text for one record: `category`, `recordKey`, then `data.<dot path>` per leaf. */
export function flattenRecord(record: CsvSourceRecord): Map<string, string> {
  const cells = new Map<string, string>([
    ['category', cellText(record.category)],
    ['recordKey', cellText(record.recordKey)],
  ]);
  for (const [key, value] of Object.entries(record.data)) flattenInto(cells, `data.${key}`, value);
  return cells;
}

/**
 * The union of the columns of every record seen, in first-seen order. Its size
 * grows with the number of distinct field paths, not with the number of records.
 */
export class CsvColumns {
  readonly #columns = new Set<string>(CSV_RECORD_COLUMNS);

  add(record: CsvSourceRecord): void {
    for (const column of flattenRecord(record).keys()) this.#columns.add(column);
  }

  list(): readonly string[] {
    return [...this.#columns];
  }
}

/** A record as a CSV line under `columns`: every line has exactly one field per column. */
export function csvRecordLine(columns: readonly string[], record: CsvSourceRecord): string {
  const cells = flattenRecord(record);
  return csvLine(columns.map((column) => cells.get(column) ?? ''));
}
