/**
 * YAML written byte for byte as PyYAML 6 writes it with `default_flow_style=False`: how MLflow writes its
 * files (meta.yaml through `CSafeDumper`, MLmodel through `yaml.safe_dump`, `log_dict` through `yaml.dump`),
 * so real MLflow — and a diff — sees the same files whichever tool wrote them; and how Kedro's CLI prints
 * its listings (`kedro catalog describe-datasets`, `kedro registry list`: `yaml.dump`). Long texts fold at
 * column 80, texts PyYAML's resolver would read as another type are quoted, floats are spelled as Python's
 * `repr`.
 *
 * @module
 */
import {
  analyzeScalar,
  escapeChar,
  isBreak,
  needsEscape,
  type PyYamlEmitter,
  type ScalarAnalysis,
} from "./pyyaml_scalar.ts";
import { pyFloatRepr } from "../py_float.ts";
import { plainIsString, pythonTimestampText } from "./yaml11.ts";
import { compareCodePoints, pyLength } from "../code_points.ts";
import { sourceFloats, sourceKey, sourceKeyOrder } from "../source_keys.ts";

export type { PyYamlEmitter } from "./pyyaml_scalar.ts";

/** Options of {@link pyyamlDump}; the defaults are `yaml.safe_dump(value, default_flow_style=False)`'s. */
export interface PyYamlDumpOptions {
  /** `libyaml` for PyYAML's `CSafeDumper` (MLflow's write_yaml), `python` for `safe_dump`/`dump`. */
  emitter?: PyYamlEmitter;
  /** PyYAML's `allow_unicode`: write non-ASCII text as it is rather than as escapes. */
  allowUnicode?: boolean;
  /** PyYAML's `sort_keys` (default true); false keeps the order the object holds its keys in. */
  sortKeys?: boolean;
  /** PyYAML's `indent`: spaces per level, 2 to 9 (anything else is PyYAML's default, 2). */
  indent?: number;
  /** PyYAML's `width`: the column past which long texts fold (default 80; at most 2 × indent is ignored). */
  width?: number;
  /**
   * Texts to quote though PyYAML would write them plain: those another reader of the file types (Kubernetes'
   * go-yaml reads `y` as a bool). PyYAML has no such option; without it the output is PyYAML's.
   */
  quote?: (text: string) => boolean;
}

type Node =
  | { kind: "scalar"; text: string; str: boolean }
  | { kind: "seq"; items: Node[] }
  | { kind: "map"; entries: [Node, Node][] };

/**
 * Writes `value` (plain objects, arrays, strings, numbers, booleans, null, Dates) as PyYAML would write
 * the matching Python value: keys sorted, block style, an integral number as an int. Throws a TypeError
 * for what YAML cannot hold (a function, a cycle).
 *
 * @example
 * ```ts
 * pyyamlDump({ b: "yes", a: 0.5 }); // "a: 0.5\nb: 'yes'\n"
 * ```
 */
export function pyyamlDump(value: unknown, options: PyYamlDumpOptions = {}): string {
  const indent = options.indent !== undefined && options.indent > 1 && options.indent < 10
    ? options.indent
    : 2;
  const width = options.width !== undefined && options.width > indent * 2 ? options.width : 80;
  const emitter = new Emitter(options.emitter ?? "python", options.allowUnicode ?? false, indent, width);
  emitter.quote = options.quote;
  emitter.node(represent(value, new Set(), options.sortKeys ?? true), { root: true });
  emitter.writeIndent();
  if (emitter.openEnded && emitter.kind === "python") {
    emitter.writeIndicator("...", true);
    emitter.writeIndent();
  }
  return emitter.out;
}

// `float`: the value is the float without a fraction a file held there (source_keys.ts), written `1.0`.
function represent(value: unknown, seen: Set<object>, sortKeys: boolean, float = false): Node {
  if (value === null || value === undefined) return { kind: "scalar", text: "null", str: false };
  if (typeof value === "string") return { kind: "scalar", text: value, str: true };
  if (typeof value === "boolean") return { kind: "scalar", text: String(value), str: false };
  if (typeof value === "bigint") return { kind: "scalar", text: String(value), str: false };
  if (typeof value === "number") return { kind: "scalar", text: representNumber(value, float), str: false };
  if (value instanceof Date) return { kind: "scalar", text: representDate(value), str: false };
  if (typeof value !== "object") throw new TypeError(`Cannot write a ${typeof value} as YAML`);
  if (seen.has(value)) throw new TypeError("Cannot write a value that contains itself as YAML");
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const floats = sourceFloats(value);
      const items = value.map((v, i) =>
        represent(v, seen, sortKeys, floats !== undefined && floats.get(String(i)) === v)
      );
      return { kind: "seq", items };
    }
    const record = value as Record<string, unknown>;
    const floats = sourceFloats(value);
    // The keys as PyYAML read them from the file, if it was one (an int for `1:`), in the file's order.
    let keys = sourceKeyOrder(value).filter((k) => record[k] !== undefined)
      .map((k): [string, unknown] => [k, sourceKey(value, k)]);
    if (sortKeys) keys = pythonSorted(keys);
    const entries = keys.map(([k, key]): [Node, Node] => [
      typeof key === "string" ? { kind: "scalar", text: k, str: true } : represent(key, seen, sortKeys),
      represent(record[k], seen, sortKeys, floats !== undefined && floats.get(k) === record[k]),
    ]);
    return { kind: "map", entries };
  } finally {
    seen.delete(value);
  }
}

/** SafeRepresenter: an int's digits, a float's `repr` lowered (`.0` added before a bare exponent). */
/**
 * `sorted(mapping)` as PyYAML's representer tries it: texts by code point, numbers (and bools) by value,
 * dates by time; keys Python cannot compare (an int and a text, a date and a datetime) stay in order, as
 * PyYAML leaves them when sorted() raises a TypeError.
 */
function pythonSorted(keys: [string, unknown][]): [string, unknown][] {
  const kinds = new Set(keys.map(([, key]) => pythonKind(key)));
  if (kinds.size !== 1 || (kinds.has("none") && keys.length > 1)) return keys;
  const rank = (key: unknown) => key instanceof Date ? key.getTime() : Number(key);
  return [...keys].sort(([a, keyA], [b, keyB]) =>
    typeof keyA === "string" ? compareCodePoints(a, b) : rank(keyA) - rank(keyB)
  );
}

function pythonKind(key: unknown): string {
  if (typeof key === "string") return "str";
  if (typeof key === "number" || typeof key === "boolean") return "number";
  if (!(key instanceof Date)) return "none";
  const text = pythonTimestampText(key);
  if (text === undefined) return "aware"; // written as the aware UTC datetime
  return text.length === 10 ? "date" : /[+-]\d\d:\d\d$/.test(text) ? "aware" : "naive";
}

function representNumber(n: number, float: boolean): string {
  if (Number.isSafeInteger(n) && !Object.is(n, -0) && !float) return String(n);
  if (Number.isNaN(n)) return ".nan";
  if (!Number.isFinite(n)) return n > 0 ? ".inf" : "-.inf";
  const repr = pyFloatRepr(n).toLowerCase();
  return !repr.includes(".") && repr.includes("e") ? repr.replace("e", ".0e") : repr;
}

/**
 * SafeRepresenter's date and datetime: a timestamp read from YAML as PyYAML read it (a date stays a date, a
 * naive datetime naive, the zone and microseconds as written); any other Date as the aware UTC datetime's
 * `isoformat(" ")`.
 */
function representDate(date: Date): string {
  const read = pythonTimestampText(date);
  if (read !== undefined) return read;
  const iso = date.toISOString();
  const ms = iso.slice(20, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms === "000" ? "" : `.${ms}000`}+00:00`;
}

interface Context {
  root?: boolean;
  sequence?: boolean;
  mapping?: boolean;
  simpleKey?: boolean;
}

/** PyYAML's Emitter state (column, whitespace, indention, indents), driven by a walk of the node tree. */
class Emitter {
  out = "";
  column = 0;
  whitespace = true;
  indention = true;
  openEnded = false;
  #indent: number | null = null;
  #indents: (number | null)[] = [];
  #flowLevel = 0;
  quote?: (text: string) => boolean;

  constructor(
    readonly kind: PyYamlEmitter,
    readonly allowUnicode: boolean,
    readonly bestIndent: number,
    readonly bestWidth: number,
  ) {}

  node(node: Node, ctx: Context): void {
    if (node.kind === "scalar") return this.#scalar(node, ctx);
    const empty = node.kind === "seq" ? node.items.length === 0 : node.entries.length === 0;
    if (empty) {
      this.writeIndicator(node.kind === "seq" ? "[" : "{", true, { whitespace: true });
      this.writeIndicator(node.kind === "seq" ? "]" : "}", false);
      return;
    }
    if (node.kind === "seq") {
      this.#increaseIndent(false, !!ctx.mapping && !this.indention);
      for (const item of node.items) {
        this.writeIndent();
        this.writeIndicator("-", true, { indention: true });
        this.node(item, { sequence: true });
      }
    } else {
      this.#increaseIndent(false, false);
      for (const [key, value] of node.entries) {
        this.writeIndent();
        if (this.#simpleKey(key)) {
          this.node(key, { mapping: true, simpleKey: true });
          this.writeIndicator(":", false);
        } else {
          this.writeIndicator("?", true, { indention: true });
          this.node(key, { mapping: true });
          this.writeIndent();
          this.writeIndicator(":", true, { indention: true });
        }
        this.node(value, { mapping: true });
      }
    }
    this.#indent = this.#indents.pop()!;
  }

  #simpleKey(key: Node): boolean {
    if (key.kind !== "scalar") return false;
    const analysis = analyzeScalar(key.text, this.kind, this.allowUnicode);
    if (analysis.multiline) return false;
    // libyaml counts UTF-8 bytes and takes an empty key as simple; PyYAML counts characters, the key's
    // `!!str` tag included (5), and does not.
    if (this.kind === "libyaml") {
      return key.text.length <= 42 || new TextEncoder().encode(key.text).length <= 128;
    }
    return !analysis.empty && pyLength(key.text) + "!!str".length < 128;
  }

  #increaseIndent(flow: boolean, indentless: boolean): void {
    this.#indents.push(this.#indent);
    if (this.#indent === null) this.#indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.#indent += this.bestIndent;
  }

  #scalar(node: Extract<Node, { kind: "scalar" }>, ctx: Context): void {
    this.#increaseIndent(true, false);
    const analysis = analyzeScalar(node.text, this.kind, this.allowUnicode);
    const style = this.#style(node, analysis, ctx);
    if (!node.str && style !== "") {
      throw new TypeError(`Cannot write ${node.text} as YAML without a tag`);
    }
    const split = !ctx.simpleKey;
    if (style === '"') this.#doubleQuoted([...node.text], split);
    else if (style === "'") this.#singleQuoted(node.text, split, analysis.multiline);
    else this.#plain(node.text, split, !!ctx.root);
    this.#indent = this.#indents.pop()!;
  }

  /** choose_scalar_style (libyaml's select_scalar_style): "" plain, `'` or `"`. */
  #style(node: { text: string; str: boolean }, a: ScalarAnalysis, ctx: Context): string {
    const implicitPlain = !node.str || (plainIsString(node.text) && !this.quote?.(node.text));
    const plainAllowed = this.#flowLevel ? a.allowFlowPlain : a.allowBlockPlain;
    if (implicitPlain && plainAllowed && !(ctx.simpleKey && (a.empty || a.multiline))) return "";
    if (a.allowSingleQuoted && !(ctx.simpleKey && a.multiline)) return "'";
    return '"';
  }

  writeIndicator(
    indicator: string,
    needWhitespace: boolean,
    flags: { whitespace?: boolean; indention?: boolean } = {},
  ) {
    const data = this.whitespace || !needWhitespace ? indicator : ` ${indicator}`;
    this.whitespace = !!flags.whitespace;
    this.indention = this.indention && !!flags.indention;
    this.#write(data);
    this.openEnded = false;
  }

  writeIndent(): void {
    const indent = this.#indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) {
      this.#lineBreak();
    }
    if (this.column < indent) {
      this.whitespace = true;
      this.#write(" ".repeat(indent - this.column));
    }
    if (this.kind === "libyaml") this.whitespace = this.indention = true;
  }

  #write(data: string): void {
    this.out += data;
    this.column += data.length === 1 ? 1 : pyLength(data);
  }

  // Whether writing `text` (no breaks) from the current column can reach a folding point: a space past the
  // width. Most texts cannot, and are written whole instead of character by character.
  #mayFold(text: string, split: boolean): boolean {
    return split && this.column + text.length > this.bestWidth && text.includes(" ");
  }

  #lineBreak(data = "\n"): void {
    this.whitespace = this.indention = true;
    this.out += data;
    this.column = 0;
  }

  #plain(text: string, split: boolean, root: boolean): void {
    if (root) this.openEnded = true;
    if (text === "") return;
    if (!this.whitespace) this.#write(" ");
    this.whitespace = this.indention = false;
    if (!this.#mayFold(text, split)) return this.#write(text);
    const chars = [...text];
    // Plain texts never hold breaks (the analysis refuses them): only the folding at spaces remains.
    for (let i = 0; i < chars.length; i++) {
      if (
        chars[i] === " " && split && chars[i - 1] !== " " && this.column > this.bestWidth &&
        chars[i + 1] !== " "
      ) {
        this.writeIndent();
        this.whitespace = this.indention = false;
      } else this.#write(chars[i]);
    }
  }

  #singleQuoted(text: string, split: boolean, multiline: boolean): void {
    this.writeIndicator("'", true);
    const quoted = text.replaceAll("'", "''");
    if (!multiline && !this.#mayFold(quoted, split)) {
      this.#write(quoted);
      return this.writeIndicator("'", false);
    }
    const chars = [...text];
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i];
      if (ch === " ") {
        const fold = split && chars[i - 1] !== " " && this.column > this.bestWidth && i !== 0 &&
          i !== chars.length - 1 && chars[i + 1] !== " ";
        if (fold) this.writeIndent();
        else this.#write(ch);
      } else if (isBreak(ch, this.kind)) {
        if (!breaks && ch === "\n") this.#lineBreak();
        this.#lineBreak(ch);
        breaks = true;
        continue;
      } else {
        if (breaks) this.writeIndent();
        this.#write(ch === "'" ? "''" : ch);
      }
      breaks = false;
    }
    if (breaks) this.writeIndent();
    this.writeIndicator("'", false);
  }

  #doubleQuoted(chars: string[], split: boolean): void {
    if (this.kind === "libyaml") return this.#doubleQuotedLibyaml(chars, split);
    this.writeIndicator('"', true);
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end] : undefined;
      if (ch === undefined || needsEscape(ch, "python", this.allowUnicode)) {
        if (start < end) {
          this.#write(chars.slice(start, end).join(""));
          start = end;
        }
        if (ch !== undefined) {
          this.#write(escapeChar(ch));
          start = end + 1;
        }
      }
      if (
        end > 0 && end < chars.length - 1 && (ch === " " || start >= end) &&
        this.column + (end - start) > this.bestWidth && split
      ) {
        this.#write(chars.slice(start, end).join("") + "\\");
        if (start < end) start = end;
        this.writeIndent();
        this.whitespace = this.indention = false;
        if (chars[start] === " ") this.#write("\\");
      }
    }
    this.writeIndicator('"', false);
  }

  #doubleQuotedLibyaml(chars: string[], split: boolean): void {
    this.writeIndicator('"', true);
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i];
      if (needsEscape(ch, "libyaml", this.allowUnicode)) {
        this.#write(escapeChar(ch));
        spaces = false;
      } else if (ch === " ") {
        if (split && !spaces && this.column > this.bestWidth && i !== 0 && i !== chars.length - 1) {
          this.writeIndent();
          if (chars[i + 1] === " ") this.#write("\\");
        } else this.#write(ch);
        spaces = true;
      } else {
        this.#write(ch);
        spaces = false;
      }
    }
    this.writeIndicator('"', false);
  }
}
