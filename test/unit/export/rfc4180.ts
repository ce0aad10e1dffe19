/**
 * A strict RFC 4180 reader, written for the tests so that the CSV writer is
 * checked against an independent reading of the standard: quoted fields may
 * hold commas, quotes (doubled) and line breaks; records end in CRLF.
 */
export class MalformedCsv extends Error {
  override readonly name = 'MalformedCsv' as const;
}

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let index = 0;
  const endRow = () => {
    rows.push(row);
    row = [];
  };
  while (index < text.length) {
    let field = '';
    if (text[index] === '"') {
      index += 1;
      for (;;) {
        if (index >= text.length) throw new MalformedCsv('unterminated quoted field');
        const character = text[index]!;
        if (character === '"') {
          if (text[index + 1] === '"') {
            field += '"';
            index += 2;
            continue;
          }
          index += 1;
          break;
        }
        field += character;
        index += 1;
      }
    } else {
      while (index < text.length && text[index] !== ',' && text[index] !== '\r' && text[index] !== '\n') {
        if (text[index] === '"') throw new MalformedCsv(`bare quote at ${index}`);
        field += text[index];
        index += 1;
      }
    }
    row.push(field);
    if (text[index] === ',') {
      index += 1;
      if (index >= text.length) throw new MalformedCsv('trailing comma at end of input');
      continue;
    }
    if (text.startsWith('\r\n', index)) {
      index += 2;
      endRow();
      continue;
    }
    if (index < text.length) throw new MalformedCsv(`unexpected ${JSON.stringify(text[index])} at ${index}`);
    endRow();
  }
  return rows;
}
