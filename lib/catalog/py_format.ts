/**
 * Python's format-spec mini-language (`format(value, spec)`) for the two kinds of value a dataset factory
 * fills an entry with: text, and the integers `parse` reads for `{n:d}`. Kedro fills an entry's strings with
 * `str.format(**named)`, so `data/{n:03d}.csv` and `{name:>8}` must come out as Python writes them.
 *
 * @module
 */
import { pyLength } from "../code_points.ts";

/** A spec Python refuses for the value, with Python's own reason. */
export class FormatSpecError extends Error {}

const SPEC =
  /^(?:(?<fill>[\s\S])?(?<align>[<>=^]))?(?<sign>[-+ ])?(?<z>z)?(?<alt>#)?(?<zero>0)?(?<width>[0-9]+)?(?<group>[,_])?(?:\.(?<precision>[0-9]+))?(?<type>[\s\S]*)$/;

/**
 * `format(value, spec)` as Python writes it, for a str (`string`) or an int (`bigint`); throws
 * {@link FormatSpecError} (Python's ValueError) for a spec Python refuses or one of the float types
 * (`e`, `f`, `g`, `%`) on an integer, which kmlf does not write.
 *
 * @example
 * ```ts
 * pyFormat(7n, "03d"); // "007"
 * pyFormat("ab", "^6"); // "  ab  "
 * pyFormat(255n, "#x"); // "0xff"
 * ```
 */
export function pyFormat(value: string | bigint, spec: string): string {
  const m = SPEC.exec(spec)?.groups;
  if (!m) throw new FormatSpecError(`Invalid format specifier '${spec}'`);
  const { fill, sign, alt, zero, width, group, precision, type } = m;
  let align = m.align;
  const minWidth = Number(width ?? 0);
  if (typeof value === "string") {
    const what = `in string format specifier`;
    if (type !== "" && type !== "s") {
      throw new FormatSpecError(`Unknown format code '${type}' for object of type 'str'`);
    }
    if (sign) throw new FormatSpecError(`Sign not allowed ${what}`);
    if (alt) throw new FormatSpecError(`Alternate form (#) not allowed ${what}`);
    if (group) throw new FormatSpecError(`Cannot specify '${group}' with 's'.`);
    if (align === "=") throw new FormatSpecError(`'=' alignment not allowed ${what}`);
    const chars = [...value];
    const text = precision === undefined ? value : chars.slice(0, Number(precision)).join("");
    return pad(text, minWidth, fill ?? (zero ? "0" : " "), align ?? "<");
  }
  if (precision !== undefined) throw new FormatSpecError("Precision not allowed in integer format specifier");
  if (!["", "d", "n", "b", "o", "x", "X", "c"].includes(type)) {
    throw new FormatSpecError(
      "e E f F g G %".split(" ").includes(type)
        ? `kmlf does not write an integer with the float type '${type}'`
        : `Unknown format code '${type}' for object of type 'int'`,
    );
  }
  if (group && (type === "n" || type === "c" || (group === "," && type !== "" && "boxX".includes(type)))) {
    throw new FormatSpecError(`Cannot specify '${group}' with '${type}'.`);
  }
  if (type === "c") {
    if (sign) throw new FormatSpecError("Sign not allowed with integer format specifier 'c'");
    if (alt) throw new FormatSpecError("Alternate form (#) not allowed with integer format specifier 'c'");
    if (value < 0n || value > 0x10ffffn) throw new FormatSpecError("%c arg not in range(0x110000)");
    return pad(String.fromCodePoint(Number(value)), minWidth, fill ?? " ", align ?? ">");
  }
  const base = type === "b" ? 2 : type === "o" ? 8 : type === "x" || type === "X" ? 16 : 10;
  let digits = (value < 0n ? -value : value).toString(base);
  if (type === "X") digits = digits.toUpperCase();
  const signText = value < 0n ? "-" : sign === "+" ? "+" : sign === " " ? " " : "";
  const prefix = alt && base !== 10 ? `0${type === "X" ? "X" : type}` : "";
  const every = base === 10 ? 3 : 4;
  if (zero && !align && !fill) {
    // Zero padding goes between the sign/prefix and the digits, grouped like them.
    align = "=";
    const room = minWidth - signText.length - prefix.length;
    while (grouped(digits, group, every).length < room) digits = "0" + digits;
  }
  const body = grouped(digits, group, every);
  if (align === "=") {
    const padding = Math.max(0, minWidth - signText.length - prefix.length - body.length);
    return signText + prefix + (zero && !fill ? "0" : fill ?? " ").repeat(padding) + body;
  }
  return pad(signText + prefix + body, minWidth, fill ?? (zero ? "0" : " "), align ?? ">");
}

function grouped(digits: string, group: string | undefined, every: number): string {
  if (!group) return digits;
  const parts: string[] = [];
  for (let end = digits.length; end > 0; end -= every) {
    parts.unshift(digits.slice(Math.max(0, end - every), end));
  }
  return parts.join(group);
}

function pad(text: string, width: number, fill: string, align: string): string {
  const missing = Math.max(0, width - pyLength(text));
  if (align === "<") return text + fill.repeat(missing);
  if (align === "^") {
    return fill.repeat(Math.floor(missing / 2)) + text + fill.repeat(missing - Math.floor(missing / 2));
  }
  return fill.repeat(missing) + text;
}
