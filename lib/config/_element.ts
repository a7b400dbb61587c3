/**
 * OmegaConf's grammar for a resolver's arguments and `oc.decode`'s text (`element` in OmegaConf 2.x's
 * `OmegaConfGrammarParser.g4`): a quoted string, a `[list]`, a `{dict: …}`, or a primitive. A primitive
 * that is one token is typed (`null`, `true`, `1_000`, `1e3`, `.5`, `inf`, case-insensitive keywords);
 * anything else is text (`007`, `0x10`, `yes`, `2024-01-01`), with `\,`-style escapes taken out and
 * interpolations written in as Python's `str()` of their value.
 */
import { HeldFloat, plainOf, settleFloats, textOf } from "./_held_float.ts";
import { scanInterpolations, splitArgs } from "./_syntax.ts";

/** How an element reaches the rest of the config. */
export interface ElementContext {
  /** The value of one `${…}` (its body, without the braces). */
  interpolate(expr: string): unknown;
  /** Throws the caller's error for text that is not an element. */
  fail(message: string): never;
}

const UNSIGNED = "(?:0|[1-9](?:_?[0-9])*)";
const DIGITS = "[0-9](?:_?[0-9])*";
const POINT_FLOAT = `(?:${UNSIGNED}?\\.${DIGITS}|${UNSIGNED}\\.)`;
const INT = new RegExp(`^[+-]?${UNSIGNED}$`);
const FLOAT = new RegExp(
  `^[+-]?(?:${POINT_FLOAT}|(?:${UNSIGNED}|${POINT_FLOAT})[eE][+-]?${DIGITS}|[iI][nN][fF]|[nN][aA][nN])$`,
);
// OmegaConf's escapes in unquoted text (`ESC`): a backslash before one of these characters.
const ESCAPED = new Set(["\\", "(", ")", "[", "]", "{", "}", ":", "=", ",", " ", "\t"]);

/**
 * The value of one element's text. A float without a fraction (`1e3`, `1.0`) is a {@link HeldFloat} at
 * the top, and marked a float (lib/source_keys.ts) inside a list or dict.
 *
 * @example
 * ```ts
 * const ctx = { interpolate: () => 1, fail: (m: string): never => { throw new Error(m); } };
 * parseElement("[a, 'b c', 1e3, ${x}]", ctx); // ["a", "b c", 1000, 1], 1000 marked a float
 * parseElement("007", ctx); // "007"
 * ```
 */
export function parseElement(t: string, ctx: ElementContext): unknown {
  if (t === "") return ""; // a missing item of a sequence (`[1,,2]`, `${r:a,}`), as OmegaConf reads it
  const last = t[t.length - 1];
  if ((t[0] === "'" || t[0] === '"') && last === t[0] && t.length > 1 && closingQuote(t) === t.length - 1) {
    return quotedText(t.slice(1, -1), t[0], ctx);
  }
  if (t[0] === "[" && last === "]" && closingBracket(t) === t.length - 1) {
    const inner = t.slice(1, -1);
    if (inner.trim() === "") return [];
    const items = splitArgs(inner).map((item, i) => [String(i), parseElement(item, ctx)] as const);
    const list = items.map(([, item]) => plainOf(item));
    settleFloats(list, items);
    return list;
  }
  if (t[0] === "{" && last === "}" && closingBracket(t) === t.length - 1) {
    const inner = t.slice(1, -1);
    const dict: Record<string, unknown> = {};
    if (inner.trim() === "") return dict;
    const items = new Map<string, unknown>(); // the last of a key wins
    for (const entry of splitArgs(inner)) {
      const colon = topLevelColon(entry);
      if (colon < 0) ctx.fail(`"${entry}" in {…} is not a key: value pair`);
      const key = unescapePlain(entry.slice(0, colon).trim());
      const value = parseElement(entry.slice(colon + 1).trim(), ctx);
      items.delete(key);
      items.set(key, value);
      Object.defineProperty(dict, key, {
        value: plainOf(value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    settleFloats(dict, [...items]);
    return dict;
  }
  return primitive(t, ctx);
}

function primitive(t: string, ctx: ElementContext): unknown {
  const pieces = scanInterpolations(t, ctx.fail, "value");
  for (const piece of pieces) {
    if (typeof piece === "string") {
      const bad = unescapedStructure(piece);
      if (bad !== undefined) {
        ctx.fail(
          `${JSON.stringify(bad)} in ${JSON.stringify(t)} must be escaped (\\${bad}) or the value quoted`,
        );
      }
    }
  }
  if (pieces.length === 1 && typeof pieces[0] !== "string") return ctx.interpolate(pieces[0].expr);
  if (pieces.length === 1 && typeof pieces[0] === "string" && !t.includes("\\")) {
    if (/^null$/i.test(t)) return null;
    if (/^(true|false)$/i.test(t)) return t.toLowerCase() === "true";
    if (INT.test(t)) {
      const n = Number(t.replaceAll("_", "")) + 0; // + 0: Python has no integer -0
      if (!Number.isSafeInteger(n)) ctx.fail(`the integer ${t} is beyond what kmlf holds exactly; quote it`);
      return n;
    }
    if (FLOAT.test(t)) {
      const x = Number(t.replaceAll("_", "").replace(/^([+-]?)nan$/i, "NaN").replace(/inf$/i, "Infinity"));
      return Number.isInteger(x) ? new HeldFloat(x) : x; // `1.0`, `1e3` stay floats (written 1.0, 1000.0)
    }
  }
  return pieces.map((p) => (typeof p === "string" ? unescapePlain(p) : textOf(ctx.interpolate(p.expr)))).join(
    "",
  );
}

// A quoted string: its escapes taken out, interpolations written in as text.
function quotedText(body: string, quote: string, ctx: ElementContext): string {
  return scanInterpolations(body, ctx.fail, { quote })
    .map((p) => (typeof p === "string" ? p : textOf(ctx.interpolate(p.expr))))
    .join("");
}

// A character that is structure in OmegaConf's grammar (a list, dict, separator or quote) and cannot be
// part of unquoted text.
function unescapedStructure(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if ("[]{},'\"".includes(text[i])) return text[i];
  }
  return undefined;
}

function unescapePlain(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\" && i + 1 < text.length && ESCAPED.has(text[i + 1])) out += text[++i];
    else out += text[i];
  }
  return out;
}

// Where the quote opened at 0 closes (a backslash escapes the next character).
function closingQuote(t: string): number {
  for (let i = 1; i < t.length; i++) {
    if (t[i] === "\\") i++;
    else if (t[i] === t[0]) return i;
  }
  return -1;
}

// Where the bracket or brace opened at 0 closes, skipping quoted text, escapes and nested ones.
function closingBracket(t: string): number {
  return findOutsideQuotes(t, (ch, depth) => (ch === "]" || ch === "}") && depth === 0);
}

// The first `:` of a dict entry outside interpolations, brackets and quotes.
function topLevelColon(entry: string): number {
  return findOutsideQuotes(entry, (ch, depth) => ch === ":" && depth === 0);
}

// The first position outside quotes and escapes where `found(char, depth after it)` holds; brackets and
// braces (a `${` too) count for depth.
function findOutsideQuotes(text: string, found: (ch: string, depth: number) => boolean): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") i++;
    else if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else {
      if (ch === "[" || ch === "{") depth++;
      else if (ch === "]" || ch === "}") depth--;
      if (found(ch, depth)) return i;
    }
  }
  return -1;
}
