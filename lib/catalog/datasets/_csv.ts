/**
 * CSV text ⇄ grids of strings (RFC 4180 with csv-parse's and csv-stringify's conventions, which kmlf used
 * before). Written for speed in a one-shot CLI: csv-parse walks the text one character at a time through
 * several calls per character, which V8 runs cold (~10 ms for the 150-row iris file, 0.6 ms once warm);
 * here a file without quotes is split with native string methods, and quoted text is scanned with
 * `indexOf` from quote to quote.
 *
 * @module
 */
import { pyFloatRepr } from "../../py_float.ts";

/** How {@link parseCsv} reads. */
export interface CsvParseOptions {
  /** Field separator, one or more characters (default `,`). */
  delimiter?: string;
  /** Quote character (default `"`). */
  quote?: string;
  /** Inside quotes, this character before a quote (or itself) makes it literal (default: the quote). */
  escape?: string;
  /** Outside quotes, this character starts a comment to the end of the line. */
  comment?: string;
  /** Skip lines with no characters at all (default true). */
  skipEmptyLines?: boolean;
  /** Physical lines to drop before parsing (pandas' `skiprows` as a count). */
  skipLines?: number;
}

/** A malformed CSV text: what is wrong and on which line (1-based, of the text given). */
export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(`${message} (line ${line})`);
    this.name = "CsvSyntaxError";
    this.line = line;
  }
}

const LINE_BREAK = /\r\n|\n|\r/;

/**
 * Parses CSV text into records of fields (a leading byte order mark is dropped).
 *
 * @example
 * ```ts
 * parseCsv('a,b\n1,"x, y"\n'); // [["a", "b"], ["1", "x, y"]]
 * ```
 */
export function parseCsv(text: string, options: CsvParseOptions = {}): string[][] {
  const delimiter = options.delimiter ?? ",";
  const quote = options.quote ?? '"';
  const skipEmpty = options.skipEmptyLines ?? true;
  let source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (options.skipLines) source = dropLines(source, options.skipLines);
  const lineOffset = options.skipLines ?? 0;
  if (!source.includes(quote) && (!options.comment || !source.includes(options.comment))) {
    const lines = source.split(LINE_BREAK);
    if (lines.at(-1) === "") lines.pop(); // the final line break ends a record, it does not start one
    const records: string[][] = [];
    for (const line of lines) {
      if (line === "" && skipEmpty) continue;
      records.push(line.split(delimiter));
    }
    return records;
  }
  return new Scanner(source, { ...options, delimiter, quote, skipEmptyLines: skipEmpty }, lineOffset)
    .records();
}

function dropLines(text: string, count: number): string {
  let at = 0;
  for (let i = 0; i < count && at < text.length; i++) {
    const match = LINE_BREAK.exec(text.slice(at));
    if (!match) return "";
    at += match.index + match[0].length;
  }
  return text.slice(at);
}

// The general case: quoted fields (with delimiters, line breaks and escaped quotes inside) and comments.
class Scanner {
  readonly #s: string;
  readonly #d: string;
  readonly #q: string;
  readonly #e: string;
  readonly #c: string | undefined;
  readonly #skipEmpty: boolean;
  #i = 0;
  #line: number;

  constructor(
    source: string,
    options: CsvParseOptions & { delimiter: string; quote: string; skipEmptyLines: boolean },
    lineOffset: number,
  ) {
    this.#s = source;
    this.#d = options.delimiter;
    this.#q = options.quote;
    this.#e = options.escape ?? options.quote;
    this.#c = options.comment;
    this.#skipEmpty = options.skipEmptyLines;
    this.#line = 1 + lineOffset;
  }

  records(): string[][] {
    const records: string[][] = [];
    const s = this.#s;
    while (this.#i < s.length) {
      const atLineStart = this.#i;
      if (this.#c !== undefined && s.startsWith(this.#c, this.#i)) {
        this.#skipToLineEnd(); // a comment line is no record, not even an empty one
        continue;
      }
      if (this.#lineBreakLength() > 0) {
        this.#i += this.#lineBreakLength();
        this.#line++;
        if (!this.#skipEmpty) records.push([""]);
        continue;
      }
      const record: string[] = [];
      for (;;) {
        record.push(this.#field());
        if (this.#i >= s.length) break;
        if (s.startsWith(this.#d, this.#i)) {
          this.#i += this.#d.length;
          continue;
        }
        if (this.#c !== undefined && s.startsWith(this.#c, this.#i)) {
          this.#skipToLineEnd();
          break;
        }
        const br = this.#lineBreakLength();
        this.#i += br;
        this.#line++;
        break;
      }
      if (this.#i === atLineStart) break; // cannot happen; guards against a loop that makes no progress
      records.push(record);
    }
    return records;
  }

  #field(): string {
    const s = this.#s;
    if (s.startsWith(this.#q, this.#i)) return this.#quoted();
    let end = this.#i;
    while (end < s.length) {
      const ch = s[end];
      if (ch === "\n" || ch === "\r") break;
      if (s.startsWith(this.#d, end)) break;
      if (this.#c !== undefined && s.startsWith(this.#c, end)) break;
      if (ch === this.#q) {
        throw new CsvSyntaxError(
          `a quote (${this.#q}) inside the unquoted field "${s.slice(this.#i, end)}…"; quote the whole field`,
          this.#line,
        );
      }
      end++;
    }
    const value = s.slice(this.#i, end);
    this.#i = end;
    return value;
  }

  #quoted(): string {
    const s = this.#s;
    const q = this.#q;
    const e = this.#e;
    const openedOn = this.#line;
    let at = this.#i + q.length;
    let value = "";
    for (;;) {
      const next = e === q ? s.indexOf(q, at) : nearest(s, at, q, e);
      if (next < 0) {
        throw new CsvSyntaxError(`the field opened with ${q} here is never closed`, openedOn);
      }
      value += s.slice(at, next);
      this.#countLines(at, next);
      if (e !== q && s[next] === e) {
        // escape + quote or escape + escape is the second character; a lone escape is kept as it is
        const after = s[next + 1];
        if (after === q || after === e) {
          value += after;
          at = next + 2;
        } else {
          value += e;
          at = next + 1;
        }
        continue;
      }
      if (e === q && s.startsWith(q, next + q.length)) {
        value += q;
        at = next + 2 * q.length;
        continue;
      }
      this.#i = next + q.length;
      const ch = s[this.#i];
      const ends = this.#i >= s.length || ch === "\n" || ch === "\r" || s.startsWith(this.#d, this.#i) ||
        (this.#c !== undefined && s.startsWith(this.#c, this.#i));
      if (!ends) {
        throw new CsvSyntaxError(
          `"${ch}" after the closing quote of a field; expected the delimiter "${this.#d}" or the end of the line`,
          this.#line,
        );
      }
      return value;
    }
  }

  #lineBreakLength(): number {
    const s = this.#s;
    if (s[this.#i] === "\r") return s[this.#i + 1] === "\n" ? 2 : 1;
    return s[this.#i] === "\n" ? 1 : 0;
  }

  #skipToLineEnd(): void {
    const s = this.#s;
    while (this.#i < s.length && s[this.#i] !== "\n" && s[this.#i] !== "\r") this.#i++;
    const br = this.#lineBreakLength();
    if (br > 0) {
      this.#i += br;
      this.#line++;
    }
  }

  #countLines(from: number, to: number): void {
    for (let k = from; k < to; k++) {
      const ch = this.#s[k];
      if (ch === "\n" || (ch === "\r" && this.#s[k + 1] !== "\n")) this.#line++;
    }
  }
}

function nearest(s: string, from: number, a: string, b: string): number {
  const i = s.indexOf(a, from);
  const j = s.indexOf(b, from);
  return i < 0 ? j : j < 0 ? i : Math.min(i, j);
}

/** How {@link stringifyCsv} writes. */
export interface CsvStringifyOptions {
  /** Field separator (default `,`). */
  delimiter?: string;
  /** A first record of column names. */
  header?: readonly string[];
  /** Text of a boolean (default `true` / `false`). */
  boolean?: (value: boolean) => string;
  /** Text of a date (default its ISO form). */
  date?: (value: Date) => string;
}

/**
 * Writes records as CSV text, one `\n`-terminated line each. A field is quoted (quotes doubled) when it
 * holds the delimiter, a quote or a line break; null and undefined are empty, objects are JSON. Numbers
 * are written as pandas writes floats where JavaScript's text differs: `-0`, `NaN`, `inf`, `-inf` (so
 * pandas reads them back, and so does kmlf). A record of one empty field is written `""`, as Python's
 * csv module does, because an empty line is no record to a reader.
 *
 * @example
 * ```ts
 * stringifyCsv([[1, "x, y"]], { header: ["a", "b"] }); // 'a,b\n1,"x, y"\n'
 * ```
 */
export function stringifyCsv(
  records: readonly (readonly unknown[])[],
  options: CsvStringifyOptions = {},
): string {
  const delimiter = options.delimiter ?? ",";
  const boolean = options.boolean ?? String;
  const date = options.date ?? ((d: Date) => d.toISOString());
  const text = (value: unknown): string => {
    if (value === null || value === undefined) return "";
    if (typeof value === "string") return value;
    if (typeof value === "number") return numberText(value);
    if (typeof value === "bigint") return String(value);
    if (typeof value === "boolean") return boolean(value);
    if (value instanceof Date) return date(value);
    return JSON.stringify(value);
  };
  const field = (value: unknown): string => {
    const t = text(value);
    if (!t.includes(delimiter) && !t.includes('"') && !t.includes("\n") && !t.includes("\r")) return t;
    return `"${t.replaceAll('"', '""')}"`;
  };
  const lines: string[] = [];
  const line = (record: readonly unknown[]) => {
    const text = record.map(field).join(delimiter);
    return text === "" && record.length === 1 ? '""' : text;
  };
  if (options.header) lines.push(line(options.header));
  for (const record of records) lines.push(line(record));
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}

// String() writes -0 as "0" and the infinities as "Infinity", which pandas reads as text; and a fraction
// below 1e-4 (or from 1e16) other than Python's repr, which pandas writes: 1e-7, not 1e-07.
function numberText(value: number): string {
  // "-0.0", not "-0": pandas reads a column of "-0" as the integer 0, losing the sign.
  if (Number.isFinite(value)) {
    if (Object.is(value, -0)) return "-0.0";
    const abs = Math.abs(value);
    // Between 1e-4 and 1e16 both write the shortest digits without an exponent (the common case, fast).
    return (abs >= 1e-4 && abs < 1e16) || Number.isInteger(value) ? String(value) : pyFloatRepr(value);
  }
  return Number.isNaN(value) ? "NaN" : value > 0 ? "inf" : "-inf";
}
