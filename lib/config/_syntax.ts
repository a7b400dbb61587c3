/** The `${…}` grammar: finding interpolations in a string and splitting resolver arguments. */
import type { KeyPath } from "../yaml/parse_yaml.ts";

/** A literal piece of text or one `${…}` expression (without the braces). */
export type Piece = string | { expr: string };

/**
 * Where backslashes escape, as OmegaConf's lexer modes have it: `top` (a config value) and `quoted` (a
 * quoted resolver argument, whose quote is given) halve a run of backslashes before `${` (and, quoted,
 * before the quote or the end), an odd run making the `${` literal; `value` (an unquoted argument) keeps
 * backslashes for the caller.
 */
export type EscapeMode = "top" | "value" | { quote: string };

/**
 * Splits text into literals and `${…}` expressions, honouring nesting (dict braces inside resolver
 * arguments too), quoted arguments and backslash escapes.
 *
 * @example
 * ```ts
 * scanInterpolations("run-${a}-${b:${c}}", fail); // ["run-", {expr: "a"}, "-", {expr: "b:${c}"}]
 * scanInterpolations("\\${a}", fail); // ["${a}"] (an escaped `${` is text)
 * ```
 */
export function scanInterpolations(
  text: string,
  fail: (message: string) => never,
  mode: EscapeMode = "top",
): Piece[] {
  const parts: Piece[] = [];
  let literal = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\" && mode !== "value") {
      let n = 1;
      while (text[i + n] === "\\") n++;
      const next = i + n;
      const quote = typeof mode === "object" ? mode.quote : undefined;
      const beforeInterpolation = text.startsWith("${", next);
      const beforeQuote = quote !== undefined && (next === text.length || text[next] === quote);
      if (!beforeInterpolation && !beforeQuote) {
        literal += text.slice(i, next); // backslashes elsewhere are text
        i = next - 1;
        continue;
      }
      literal += "\\".repeat(n >> 1);
      i = next - 1;
      if (n % 2 === 1 && beforeInterpolation) { // the odd backslash makes what follows text
        literal += "${";
        i += 2;
      } else if (n % 2 === 1 && next < text.length) {
        literal += quote;
        i += 1;
      }
      continue;
    }
    if (!text.startsWith("${", i)) {
      literal += text[i];
      continue;
    }
    const j = closingBrace(text, i);
    if (j < 0) fail("unclosed ${");
    const expr = text.slice(i + 2, j);
    if (expr.trim() === "") fail("empty ${}");
    if (literal) parts.push(literal);
    literal = "";
    parts.push({ expr });
    i = j;
  }
  if (literal) parts.push(literal);
  return parts;
}

// Where the `${` at `start` closes: nested `${…}` and dict braces counted, quoted text and
// backslash-escaped characters skipped.
function closingBrace(text: string, start: number): number {
  let depth = 0;
  let quote: string | undefined; // braces in a quoted argument are text: ${oc.create:'{k: v}'}
  for (let j = start; j < text.length; j++) {
    const ch = text[j];
    if (ch === "\\" && j > start) j++;
    else if (quote) {
      if (ch === quote) quote = undefined;
    } else if (text.startsWith("${", j)) {
      depth++;
      j++;
    } else if (j > start + 1 && (ch === "'" || ch === '"')) quote = ch;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return j;
  }
  return -1;
}

/**
 * Splits resolver arguments (or a list's items) on top-level commas: not inside a nested `${…}`, a
 * `[list]` or a `{dict}`, quotes, nor after a backslash.
 * Each argument is trimmed; quotes are kept (the caller parses arguments as YAML scalars).
 *
 * @example
 * ```ts
 * splitArgs(" x, ${globals:y, 2}, 'a,b'"); // ["x", "${globals:y, 2}", "'a,b'"]
 * ```
 */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = "";
  let previous = ","; // the last character that is not a space: quotes open only where a value starts
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\" && i + 1 < text.length) {
      current += ch + text[++i]; // `\,` is a comma of the argument
      previous = text[i];
      continue;
    }
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if ((ch === "'" || ch === '"') && ",[{:".includes(previous)) quote = ch;
    else if (ch === "{" || ch === "[") depth++; // `${` counts here as its brace
    else if (ch === "}" || ch === "]") depth--;
    else if (ch === "," && depth === 0) {
      args.push(current.trim());
      current = "";
      previous = ",";
      continue;
    }
    current += ch;
    if (ch !== " " && ch !== "\t") previous = quote === undefined ? ch : "";
  }
  args.push(current.trim());
  return args;
}

/**
 * The key path a reference names: `a.b[0]` → `["a", "b", "0"]`; leading dots are relative to `at`, the
 * path of the node holding the interpolation. Undefined when the text is not a key path.
 *
 * @example
 * ```ts
 * referencePath("..x", ["group", "y"]); // ["x"]
 * ```
 */
export function referencePath(ref: string, at: KeyPath): (string | number)[] | undefined {
  const text = ref.trim();
  const dots = text.match(/^\.*/)![0].length;
  const rest = text.slice(dots).replace(/\[(\d+)\]/g, ".$1");
  const segments = rest === "" ? [] : rest.split(".");
  if (segments.some((s) => s === "") || (dots === 0 && segments.length === 0)) return undefined;
  if (dots === 0) return segments;
  if (dots > at.length) return undefined;
  return [...at.slice(0, at.length - dots), ...segments];
}
