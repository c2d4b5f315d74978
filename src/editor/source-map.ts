/**
 * Source map v3 `mappings`, decoded into a table small enough to hand to a worker: for each line of
 * the compiled code, its segments as `[column, sourceLine, sourceColumn]`, all 0-based. TypeScript's
 * emit for one file has one source, so the source index is dropped.
 *
 * With the table, a position in a stack trace of the compiled module becomes a line of the reader's
 * code (`originalPosition`). The worker side does the same lookup (reader-runtime.js).
 */

/** Per compiled line, its segments flattened: column, source line, source column, column, … */
export type LineTable = number[][];

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGITS = new Map([...BASE64].map((char, index) => [char, index]));

/** Decodes a source map's `mappings` string. Segments without a source position are skipped. */
export function decodeMappings(mappings: string): LineTable {
  const table: LineTable = [];
  let sourceLine = 0;
  let sourceColumn = 0;
  for (const line of mappings.split(';')) {
    const row: number[] = [];
    let column = 0;
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const fields = decodeVlq(segment);
      column += fields[0] ?? 0;
      if (fields.length >= 4) {
        sourceLine += fields[2]!;
        sourceColumn += fields[3]!;
        row.push(column, sourceLine, sourceColumn);
      }
    }
    table.push(row);
  }
  return table;
}

/** The table of code that is its own source: every line maps to itself. */
export function identityTable(code: string): LineTable {
  return code.split('\n').map((_, line) => [0, line, 0]);
}

/**
 * Where a 1-based line and column of the compiled code came from, as a 1-based line and column of the
 * source; null when the line has no mapping.
 */
export function originalPosition(table: LineTable, line: number, column: number): { line: number; column: number } | null {
  const row = table[line - 1];
  if (!row || row.length === 0) return null;
  // The last segment starting at or before the column; the first one when the column is before all.
  let best = 0;
  for (let i = 0; i < row.length; i += 3) {
    if (row[i]! <= column - 1) best = i;
    else break;
  }
  return { line: row[best + 1]! + 1, column: row[best + 2]! + 1 };
}

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGITS.get(char);
    if (digit === undefined) throw new Error(`Not a base64 VLQ digit in a source map: "${char}".`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}
