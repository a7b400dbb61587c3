/**
 * Request JSON as MLflow's Python server sees it: `json.loads` (integers of any size, bare `NaN` /
 * `Infinity` tokens, duplicate keys keeping their first position), and the Python spellings MLflow
 * puts in its messages (`json.dumps(sort_keys=True)`, `str()`, `repr()`, type names). kmlf decodes
 * requests through this so that it refuses exactly what MLflow refuses, with MLflow's words.
 *
 * @module
 */

import { pyFloatRepr, pyJsonString } from "../../tracking/mod.ts";

/** A Python `float` (kept apart from `int`: `5.0` and `5` differ for protobuf and in messages). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A JSON value as Python holds it: dict keys keep insertion order, ints are exact. */
export type PyValue = null | boolean | string | bigint | PyFloat | PyValue[] | PyDict;

/** A Python dict of a JSON object. */
export type PyDict = Map<string, PyValue>;

/** Whether `v` is a dict. */
export function isDict(v: PyValue | undefined): v is PyDict {
  return v instanceof Map;
}

class JsonSyntaxError extends Error {}

const WS = new Set([" ", "\t", "\n", "\r"]);
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

class Parser {
  pos = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (WS.has(this.s[this.pos])) this.pos++;
  }
  value(): PyValue {
    const c = this.s[this.pos];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    for (const [word, v] of [["null", null], ["true", true], ["false", false]] as const) {
      if (this.s.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    for (const [word, v] of [["NaN", NaN], ["Infinity", Infinity], ["-Infinity", -Infinity]] as const) {
      if (this.s.startsWith(word, this.pos)) {
        this.pos += word.length;
        return new PyFloat(v);
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.s);
    if (!m) throw new JsonSyntaxError("Expecting value");
    this.pos += m[0].length;
    return m[1] || m[2] ? new PyFloat(Number(m[0])) : BigInt(m[0]);
  }
  string(): string {
    let out = "";
    this.pos++;
    for (;;) {
      const c = this.s[this.pos++];
      if (c === undefined) throw new JsonSyntaxError("Unterminated string");
      if (c === '"') return out;
      if (c < " ") throw new JsonSyntaxError("Invalid control character");
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.s[this.pos++];
      if (e === "u") {
        const hex = this.s.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError("Invalid \\uXXXX escape");
        this.pos += 4;
        out += String.fromCharCode(parseInt(hex, 16));
      } else if (e !== undefined && e in ESCAPES) {
        out += ESCAPES[e];
      } else {
        throw new JsonSyntaxError("Invalid \\escape");
      }
    }
  }
  array(): PyValue[] {
    const out: PyValue[] = [];
    this.pos++;
    this.ws();
    if (this.s[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value());
      this.ws();
      const c = this.s[this.pos++];
      if (c === "]") return out;
      if (c !== ",") throw new JsonSyntaxError("Expecting ',' delimiter");
    }
  }
  object(): PyDict {
    const out: PyDict = new Map();
    this.pos++;
    this.ws();
    if (this.s[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.pos] !== '"') {
        throw new JsonSyntaxError("Expecting property name enclosed in double quotes");
      }
      const key = this.string();
      this.ws();
      if (this.s[this.pos++] !== ":") throw new JsonSyntaxError("Expecting ':' delimiter");
      this.ws();
      out.set(key, this.value());
      this.ws();
      const c = this.s[this.pos++];
      if (c === "}") return out;
      if (c !== ",") throw new JsonSyntaxError("Expecting ',' delimiter");
    }
  }
}

/**
 * Python's `json.loads(text)`, or undefined when it would raise (what Flask's
 * `get_json(silent=True)` turns into "no JSON").
 *
 * @example
 * ```ts
 * pyJsonLoads('{"step": 9223372036854775808}'); // Map { "step" => 9223372036854775808n }
 * pyJsonLoads("{bad"); // undefined
 * ```
 */
export function pyJsonLoads(text: string): PyValue | undefined {
  const p = new Parser(text);
  try {
    p.ws();
    const value = p.value();
    p.ws();
    return p.pos === text.length ? value : undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxError || error instanceof RangeError) return undefined;
    throw error;
  }
}

/**
 * Python's `json.dumps(v, sort_keys=True, separators=(",", ":"))`, the spelling of values in
 * MLflow's `Invalid value … for parameter …` messages (ASCII only, `NaN`/`Infinity` bare).
 *
 * @example
 * ```ts
 * pyJsonDumps(new Map([["b", 1n], ["a", [new PyFloat(1)]]])); // '{"a":[1.0],"b":1}'
 * ```
 */
export function pyJsonDumps(v: PyValue): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string") return pyJsonString(v);
  if (v instanceof PyFloat) {
    if (Number.isNaN(v.value)) return "NaN";
    if (!Number.isFinite(v.value)) return v.value > 0 ? "Infinity" : "-Infinity";
    return pyFloatRepr(v.value);
  }
  if (Array.isArray(v)) return `[${v.map(pyJsonDumps).join(",")}]`;
  const keys = [...v.keys()].sort();
  return `{${keys.map((k) => `${pyJsonString(k)}:${pyJsonDumps(v.get(k)!)}`).join(",")}}`;
}

// Characters Python's str.isprintable() refuses: other (C*) and separators (Z*) but the space.
const NOT_PRINTABLE = /[\p{C}\p{Z}]/u;

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code > 0x7f && ch !== " " && NOT_PRINTABLE.test(ch)) {
      out += code < 0x100
        ? `\\x${code.toString(16).padStart(2, "0")}`
        : code < 0x10000
        ? `\\u${code.toString(16).padStart(4, "0")}`
        : `\\U${code.toString(16).padStart(8, "0")}`;
    } else out += ch;
  }
  return out + quote;
}

/**
 * Python's `repr(v)`.
 *
 * @example
 * ```ts
 * pyRepr(["a", null]); // "['a', None]"
 * ```
 */
export function pyRepr(v: PyValue): string {
  if (typeof v === "string") return reprString(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (isDict(v)) return `{${[...v].map(([k, x]) => `${reprString(k)}: ${pyRepr(x)}`).join(", ")}}`;
  return pyStr(v);
}

/**
 * Python's `str(v)` (how MLflow stringifies an `experiment_id` of any JSON type).
 *
 * @example
 * ```ts
 * pyStr(true); // "True"
 * pyStr({ a: "b" } as never); // for a Map: "{'a': 'b'}"
 * ```
 */
export function pyStr(v: PyValue): string {
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string") return v;
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  return pyRepr(v);
}

/**
 * Python's `type(v).__name__`.
 *
 * @example
 * ```ts
 * pyTypeName(1n); // "int"
 * ```
 */
export function pyTypeName(v: PyValue): string {
  if (v === null) return "NoneType";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "bigint") return "int";
  if (typeof v === "string") return "str";
  if (v instanceof PyFloat) return "float";
  return Array.isArray(v) ? "list" : "dict";
}

/** What a Python conversion did: a value, or the exception it raised. */
export type PyConversion<T> = { ok: T } | { raises: "ValueError" | "TypeError" | "OverflowError" };

// Python's str.strip() whitespace, and int()/float() literals with optional single underscores.
// deno-lint-ignore no-control-regex -- Python's str.strip() also strips the separators \x1c-\x1f
const PY_WS = /^[\s\u001c-\u001f]+|[\s\u001c-\u001f]+$/g;
const PY_INT = /^[+-]?\d+(?:_\d+)*$/;
const DIGITS = String.raw`\d+(?:_\d+)*`;
const PY_FLOAT = new RegExp(
  String
    .raw`^[+-]?(?:(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?|inf|infinity|nan)$`,
  "i",
);

/**
 * Python's `int(v)`.
 *
 * @example
 * ```ts
 * pyInt(new PyFloat(1.5)); // { ok: 1n }
 * pyInt("abc"); // { raises: "ValueError" }
 * ```
 */
export function pyInt(v: PyValue): PyConversion<bigint> {
  if (typeof v === "boolean") return { ok: v ? 1n : 0n };
  if (typeof v === "bigint") return { ok: v };
  if (v instanceof PyFloat) {
    if (Number.isNaN(v.value)) return { raises: "ValueError" };
    if (!Number.isFinite(v.value)) return { raises: "OverflowError" };
    return { ok: BigInt(Math.trunc(v.value)) };
  }
  if (typeof v === "string") {
    const s = v.replace(PY_WS, "");
    return PY_INT.test(s) ? { ok: BigInt(s.replaceAll("_", "")) } : { raises: "ValueError" };
  }
  return { raises: "TypeError" };
}

/**
 * Python's `float(v)`.
 *
 * @example
 * ```ts
 * pyFloat("inf"); // { ok: Infinity }
 * pyFloat([]); // { raises: "TypeError" }
 * ```
 */
export function pyFloat(v: PyValue): PyConversion<number> {
  if (typeof v === "boolean") return { ok: v ? 1 : 0 };
  if (typeof v === "bigint") {
    const n = Number(v);
    return Number.isFinite(n) ? { ok: n } : { raises: "OverflowError" };
  }
  if (v instanceof PyFloat) return { ok: v.value };
  if (typeof v === "string") {
    const s = v.replace(PY_WS, "");
    if (!PY_FLOAT.test(s)) return { raises: "ValueError" };
    const lower = s.toLowerCase().replace(/^\+/, "");
    if (/^-?inf(inity)?$/.test(lower)) return { ok: lower.startsWith("-") ? -Infinity : Infinity };
    if (/^-?nan$/.test(lower)) return { ok: NaN };
    return { ok: Number(s.replaceAll("_", "")) };
  }
  return { raises: "TypeError" };
}

/**
 * A plain JSON value (as `JSON.parse` gives) converted to the Python model; numbers become ints
 * when integral and written without a fraction. For building requests in tests and for query values.
 *
 * @example
 * ```ts
 * toPy({ a: [1, 1.5] }); // Map { "a" => [1n, PyFloat(1.5)] }
 * ```
 */
export function toPy(v: unknown): PyValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "boolean" || typeof v === "string" || typeof v === "bigint") return v;
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v) : new PyFloat(v);
  if (Array.isArray(v)) return v.map(toPy);
  if (v instanceof Map) return v as PyDict;
  return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toPy(x)]));
}

/**
 * A Python-model value back as plain JSON (as `JSON.parse` would give it): ints and floats become
 * numbers, dicts objects. For handlers that read fields from plain objects.
 *
 * @example
 * ```ts
 * fromPy(new Map([["a", [1n, new PyFloat(1.5)]]])); // { a: [1, 1.5] }
 * ```
 */
export function fromPy(v: PyValue): unknown {
  if (typeof v === "bigint") return Number(v);
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(fromPy);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, fromPy(x)]));
  return v;
}
