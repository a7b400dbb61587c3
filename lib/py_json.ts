/**
 * JSON written byte for byte as Python's `json.dump` writes it: how Kedro's JSONDataset
 * (`json.dump(data, f, indent=2)`) and MLflow's `log_dict` (`json.dump(d, f, indent=2)`) write their files,
 * so a diff between a kmlf file and a Kedro/MLflow file shows only real changes.
 *
 * What JavaScript cannot tell apart it writes one way: an integral number is written as Python writes an
 * int (`1`), as JSON.stringify does, unless a file read with kmlf held a float there (`1.0`, see
 * source_keys.ts); any other number as Python's `repr(float)` (`1e-05`, `1e+16`, `0.1`).
 *
 * @module
 */
import { compareCodePoints } from "./code_points.ts";
import { pyFloatRepr } from "./py_float.ts";
import { sourceFloats, sourceKeyOrder } from "./source_keys.ts";

/**
 * A number Python holds as a float, for {@link pyJsonDump}: written `1.0` where a plain number would be
 * written as an int, and `NaN` / `Infinity` / `-Infinity` as `json.dumps` writes non-finite floats (a plain
 * NaN or infinity is refused).
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** Options of {@link pyJsonDump}: `json.dump`'s keywords, with its defaults. */
export interface PyJsonOptions {
  /** Spaces per level; `null` (json.dump's own default) writes everything on one line. */
  indent?: number | null;
  /** Non-ASCII characters (and DEL) written as `\uXXXX` escapes (default true, as json.dump). */
  ensureAscii?: boolean;
  /**
   * Object keys sorted by code point (default false: the order the object holds them, the file's order for
   * an object read from JSON or YAML; see source_keys.ts).
   */
  sortKeys?: boolean;
  /** `[item separator, key separator]`; default `[",", ": "]` with an indent, `[", ", ": "]` without. */
  separators?: readonly [string, string];
}

/**
 * `value` as `json.dump(value, f, indent=…, ensure_ascii=…, sort_keys=…, separators=…)` writes it (no
 * trailing newline, as json.dump). A Date or anything with `toJSON` is written as its `toJSON()` (a Date
 * as its ISO text), an `undefined` object member is left out and an `undefined` array item is `null`, as
 * JSON.stringify does. Throws a TypeError for what JSON cannot hold: NaN, an infinity, a BigInt, a function,
 * a symbol, a cycle, a Map, Set or typed array (the caller names the path, see findUnserializable).
 *
 * @example
 * ```ts
 * pyJsonDump({ b: [1, 0.5], a: "é" }, { indent: 2 }); // '{\n  "b": [\n    1,\n    0.5\n  ],\n  "a": "\\u00e9"\n}'
 * ```
 */
export function pyJsonDump(value: unknown, options: PyJsonOptions = {}): string {
  const indent = options.indent ?? null;
  const [itemSep, keySep] = options.separators ?? (indent === null ? [", ", ": "] : [",", ": "]);
  const quote = options.ensureAscii ?? true ? pyJsonString : quoteUnicode;
  const ancestors = new Set<object>();
  const parts: string[] = [];

  // `float`: the value is the float without a fraction a file held there (source_keys.ts), written `1.0`.
  const write = (v: unknown, level: number, float = false): void => {
    if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function") {
      if (v instanceof Date && Number.isNaN(v.getTime())) throw new TypeError("an invalid Date");
      v = (v as { toJSON(): unknown }).toJSON();
    }
    if (v === null || v === undefined) return void parts.push("null");
    if (v === true || v === false) return void parts.push(String(v));
    if (typeof v === "string") return void parts.push(quote(v));
    if (typeof v === "number") return void parts.push(float ? floatText(v) : numberText(v));
    if (v instanceof PyFloat) return void parts.push(floatText(v.value));
    if (typeof v !== "object") throw new TypeError(`a ${typeof v}`);
    if (ancestors.has(v)) throw new TypeError("a cycle");
    const proto = Object.getPrototypeOf(v);
    if (!Array.isArray(v) && proto !== Object.prototype && proto !== null && isLossy(v)) {
      throw new TypeError(`a ${v.constructor?.name ?? "value"}`);
    }
    ancestors.add(v);
    const entries: [string | undefined, unknown][] = Array.isArray(v)
      ? v.map((item) => [undefined, item])
      : sourceKeyOrder(v).map((key): [string, unknown] => [key, (v as Record<string, unknown>)[key]])
        .filter(([, item]) => item !== undefined);
    if (!Array.isArray(v) && options.sortKeys) entries.sort(([a], [b]) => compareCodePoints(a!, b!));
    const [open, close] = Array.isArray(v) ? ["[", "]"] : ["{", "}"];
    if (entries.length === 0) {
      parts.push(open + close);
    } else {
      const inner = indent === null ? "" : "\n" + " ".repeat(indent * (level + 1));
      const outer = indent === null ? "" : "\n" + " ".repeat(indent * level);
      parts.push(open);
      const floats = sourceFloats(v);
      entries.forEach(([key, item], i) => {
        parts.push(i === 0 ? inner : itemSep + inner);
        if (key !== undefined) parts.push(quote(key), keySep);
        write(item, level + 1, floats !== undefined && floats.get(key ?? String(i)) === item);
      });
      parts.push(outer + close);
    }
    ancestors.delete(v);
  };
  write(value, 0);
  return parts.join("");
}

/** An integral number as Python's int, any other as its float repr; NaN and infinities refused. */
function numberText(x: number): string {
  if (!Number.isFinite(x)) throw new TypeError(String(x));
  if (Object.is(x, -0)) return "-0.0"; // no int is -0: Python held the float
  if (Number.isInteger(x)) return Math.abs(x) < 1e21 ? String(x) : BigInt(x).toString();
  return pyFloatRepr(x);
}

// json.dumps' allow_nan spelling of the non-finite floats, else repr.
function floatText(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  return Number.isFinite(x) ? pyFloatRepr(x) : x > 0 ? "Infinity" : "-Infinity";
}

function isLossy(v: object): boolean {
  return v instanceof Map || v instanceof Set || v instanceof WeakMap || v instanceof WeakSet ||
    ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof Error || v instanceof RegExp ||
    v instanceof Promise;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

const hex4 = (unit: number) => "\\u" + unit.toString(16).padStart(4, "0");

/**
 * Python's `json.dumps(s)` of a string (`ensure_ascii=True`): everything outside printable ASCII as
 * `\uXXXX`, astral characters as surrogate pairs.
 *
 * @example
 * ```ts
 * pyJsonString("k\u0000é"); // '"k\\u0000\\u00e9"'
 * ```
 */
export function pyJsonString(text: string): string {
  return '"' + text.replace(/[^ -~]|["\\]/g, (ch) => SHORT_ESCAPES[ch] ?? hex4(ch.charCodeAt(0))) + '"';
}

/**
 * json's `ensure_ascii=False`: only quotes, backslashes and control characters escaped. A lone surrogate
 * (which Python could not write to a UTF-8 file) is escaped rather than lost.
 */
function quoteUnicode(text: string): string {
  return '"' +
    text.replace(
      // deno-lint-ignore no-control-regex -- json escapes exactly these control characters
      /[\u0000-\u001f"\\]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      (ch) => SHORT_ESCAPES[ch] ?? hex4(ch.charCodeAt(0)),
    ) + '"';
}
