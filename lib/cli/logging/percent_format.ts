/**
 * Python's `%`-style log format (`"%(asctime)s - %(name)s - %(levelname)s - %(message)s"`) over the
 * attributes of a `LogRecord`, checked when the configuration is read: Python finds a bad key or conversion
 * only when a record is formatted, and then prints "--- Logging error ---" for every line.
 */
import { pyFloatRepr } from "../../py_float.ts";
import { pyStrRepr } from "../../py_repr.ts";
import { pyLength } from "../../code_points.ts";

/** The `LogRecord` attributes a format may name, by kind. */
export const RECORD_FIELDS = {
  name: "str",
  levelname: "str",
  levelno: "int",
  message: "str",
  msg: "str",
  asctime: "str",
  pathname: "str",
  filename: "str",
  module: "str",
  funcName: "str",
  lineno: "int",
  created: "float",
  msecs: "float",
  relativeCreated: "float",
  thread: "int",
  threadName: "str",
  process: "int",
  processName: "str",
  taskName: "none",
  args: "tuple",
  exc_info: "none",
  exc_text: "none",
  stack_info: "none",
} as const;

/** A record's attributes for {@link formatRecord}. */
export type RecordFields = { -readonly [K in keyof typeof RECORD_FIELDS]?: string | number | null };

type Piece = string | {
  key: keyof typeof RECORD_FIELDS;
  flags: string;
  width?: number;
  precision?: number;
  conv: string;
};

/** A checked format. */
export interface PercentFormat {
  pieces: Piece[];
  /** It names `%(asctime)`: the time is formatted only then (Python's `usesTime`). */
  usesTime: boolean;
}

const SPEC = /%(?:\(([^)]*)\)([#0+ -]*)(\d+)?(?:\.(\d+))?([diouxXeEfFgGcrsa%])?|%|$)/y;
const NUMERIC = "diouxXeEfFgGc";

/**
 * Parses `format`; a problem (unknown key, a `%` without a key, a conversion the value cannot take) is
 * returned as text for the caller to locate.
 *
 * @example
 * ```ts
 * compilePercentFormat("%(levelname)s: %(message)s"); // { format: { pieces: [...], usesTime: false } }
 * compilePercentFormat("%(nope)s").problem; // 'unknown record attribute "nope"'
 * ```
 */
export function compilePercentFormat(format: string): { format?: PercentFormat; problem?: string } {
  const pieces: Piece[] = [];
  let at = 0;
  let fields = 0;
  while (at < format.length) {
    const next = format.indexOf("%", at);
    if (next < 0) {
      pieces.push(format.slice(at));
      break;
    }
    if (next > at) pieces.push(format.slice(at, next));
    if (format[next + 1] === "%") {
      pieces.push("%");
      at = next + 2;
      continue;
    }
    SPEC.lastIndex = next;
    const m = SPEC.exec(format);
    if (!m || m[1] === undefined) {
      return { problem: `"%" at position ${next} is neither "%%" nor "%(attribute)s"` };
    }
    const [whole, key, flags, width, precision, conv] = m;
    if (!Object.hasOwn(RECORD_FIELDS, key)) return { problem: `unknown record attribute "${key}"` };
    if (!conv || conv === "%") return { problem: `"%(${key})" has no conversion: write "%(${key})s"` };
    const kind = RECORD_FIELDS[key as keyof typeof RECORD_FIELDS];
    if (NUMERIC.includes(conv) && kind !== "int" && kind !== "float") {
      return { problem: `"%(${key})${conv}" needs a number, but ${key} is text: write "%(${key})s"` };
    }
    pieces.push({
      key: key as keyof typeof RECORD_FIELDS,
      flags,
      width: width === undefined ? undefined : Number(width),
      precision: precision === undefined ? undefined : Number(precision),
      conv,
    });
    fields++;
    at = next + whole.length;
  }
  // Python's PercentStyle.validate: a format must name at least one attribute.
  if (fields === 0) return { problem: "it names no record attribute (at least one %(name)s is needed)" };
  return { format: { pieces, usesTime: pieces.some((p) => typeof p !== "string" && p.key === "asctime") } };
}

function pyStrOf(key: keyof typeof RECORD_FIELDS, value: string | number | null | undefined): string {
  if (value === null || value === undefined) return RECORD_FIELDS[key] === "tuple" ? "()" : "None";
  if (typeof value === "number") return RECORD_FIELDS[key] === "float" ? pyFloatRepr(value) : String(value);
  return value;
}

function convert(piece: Exclude<Piece, string>, value: string | number | null | undefined): string {
  const { conv, precision, flags } = piece;
  if (conv === "s") return firstChars(pyStrOf(piece.key, value), precision);
  if (conv === "r" || conv === "a") {
    const text = typeof value === "string" ? pyStrRepr(value) : pyStrOf(piece.key, value);
    return firstChars(conv === "a" ? asciiEscaped(text) : text, precision);
  }
  const n = Number(value ?? 0);
  const sign = n < 0 ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  const abs = Math.abs(n);
  let body: string;
  switch (conv) {
    case "d":
    case "i":
    case "u":
      body = String(Math.trunc(abs));
      break;
    case "o":
      body = (flags.includes("#") ? "0o" : "") + Math.trunc(abs).toString(8);
      break;
    case "x":
    case "X":
      body = (flags.includes("#") ? "0x" : "") + Math.trunc(abs).toString(16);
      if (conv === "X") body = body.toUpperCase();
      break;
    case "e":
    case "E":
      body = abs.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, "e$10$2");
      if (conv === "E") body = body.toUpperCase();
      break;
    case "f":
    case "F":
      body = abs.toFixed(precision ?? 6);
      break;
    case "c":
      return String.fromCodePoint(Math.trunc(abs));
    default: // g, G
      body = generalFormat(abs, precision, flags.includes("#"));
      if (conv === "G") body = body.toUpperCase();
  }
  const width = piece.width ?? 0;
  if (flags.includes("0") && !flags.includes("-")) return sign + body.padStart(width - sign.length, "0");
  return sign + body;
}

// Python's %g: `precision` significant digits, in exponent form when the exponent is below -4 or not below
// the precision; trailing zeros dropped unless `#`. (Exact ties round up, where Python rounds to even.)
function generalFormat(abs: number, precision: number | undefined, alternate: boolean): string {
  if (!Number.isFinite(abs)) return Number.isNaN(abs) ? "nan" : "inf";
  const digits = precision === undefined ? 6 : Math.max(precision, 1);
  const [mantissa, exp] = abs.toExponential(digits - 1).split("e");
  const exponent = Number(exp);
  // `#` keeps the zeros and the point ("100."); otherwise both go.
  const trim = (text: string) =>
    alternate
      ? (text.includes(".") ? text : `${text}.`)
      : text.includes(".")
      ? text.replace(/\.?0+$/, "")
      : text;
  if (exponent < -4 || exponent >= digits) {
    return `${trim(mantissa)}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return trim(abs.toFixed(Math.max(digits - 1 - exponent, 0)));
}

// Python's `text[:precision]`: whole characters, never half an emoji.
function firstChars(text: string, precision: number | undefined): string {
  return precision === undefined ? text : [...text].slice(0, precision).join("");
}

// Python's ascii(): the repr with every non-ASCII character escaped.
function asciiEscaped(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    out += code < 0x80
      ? ch
      : code < 0x100
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : code < 0x10000
      ? `\\u${code.toString(16).padStart(4, "0")}`
      : `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return out;
}

/**
 * `format % record.__dict__`.
 *
 * @example
 * ```ts
 * const { format } = compilePercentFormat("%(levelname)-8s %(message)s");
 * formatRecord(format!, { levelname: "INFO", message: "hi" }); // "INFO     hi"
 * ```
 */
export function formatRecord(format: PercentFormat, fields: RecordFields): string {
  let text = "";
  for (const piece of format.pieces) {
    if (typeof piece === "string") {
      text += piece;
      continue;
    }
    const value = convert(piece, fields[piece.key]);
    const width = piece.width ?? 0;
    // Python pads to `width` characters (an emoji is one; JavaScript's length counts it twice).
    const blanks = " ".repeat(Math.max(0, width - pyLength(value)));
    text += piece.flags.includes("-") ? value + blanks : blanks + value;
  }
  return text;
}
