/**
 * The one CSV writer, for the export package (domain/export/csv.ts) and the
 * console report (domain/reports/csv.ts).
 *
 * RFC 4180: a field with a comma, a double quote, CR or LF is quoted and its
 * quotes doubled; every line, the last included, ends in CRLF.
 *
 * The one formula guard: a text cell that starts with = + - @, a tab or a
 * carriage return would be read by Excel, LibreOffice and Google Sheets as a
 * formula (OWASP "CSV injection"), so it gets a leading apostrophe. Numbers
 * are written as numbers, unguarded.
 *
 * Pure: no I/O.
 */

export const CSV_LINE_END = '\r\n';

/** Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection). */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Text with a leading apostrophe if a spreadsheet would run it as a formula. */
export function guardFormula(text: string): string {
  return FORMULA_TRIGGER.test(text) ? `'${text}` : text;
}

/**
 * A value as a spreadsheet may show it: nothing for null and undefined, numbers
 * and booleans as written, text formula-guarded, anything else as JSON text.
 */
export function csvText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return guardFormula(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value) ?? '';
}

/** One RFC 4180 field from cell text (already guarded: see csvText). */
export function quoteField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One RFC 4180 line of cell texts, CRLF included. */
export function csvLine(fields: readonly string[]): string {
  return fields.map(quoteField).join(',') + CSV_LINE_END;
}

export type CsvCell = string | number | null;

/** One cell as an RFC 4180 field: guarded, then quoted. */
export function csvField(cell: CsvCell): string {
  return quoteField(csvText(cell));
}

/** Rows of cells to CSV text, each record ended by CRLF. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => csvLine(row.map(csvText))).join('');
}
