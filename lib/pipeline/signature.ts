/**
 * Reads a function's declared parameters from its source text (`fn.toString()`), since JavaScript has
 * no signature introspection: `fn.length` stops at the first default and cannot see rest parameters.
 * Deno strips TypeScript types before a module runs, so the text is plain JavaScript.
 */

/** What a function declares: how many top-level parameters, and whether the last is `...rest`. */
export interface DeclaredParams {
  count: number;
  rest: boolean;
  /**
   * The keys the first parameter destructures (`{ features, labels }` → ["features", "labels"]); undefined
   * when it is not a plain object pattern (a name, `...rest` inside, computed keys).
   */
  firstKeys?: string[];
}

/**
 * Counts a function's top-level parameters; `undefined` when the source is not available (native or
 * bound functions).
 *
 * @example
 * ```ts
 * declaredParams((a, b = ",", ...c) => 0); // { count: 3, rest: true }
 * ```
 */
// deno-lint-ignore no-explicit-any
export function declaredParams(fn: (...args: any[]) => unknown): DeclaredParams | undefined {
  const src = Function.prototype.toString.call(fn);
  if (src.includes("[native code]")) return undefined;
  const single = src.match(/^(?:async\s*)?([A-Za-z_$][\w$]*)\s*=>/);
  if (single) return { count: 1, rest: false };
  const open = src.indexOf("(");
  if (open < 0) return undefined;
  const parts = splitTopLevel(src, open + 1);
  if (!parts) return undefined;
  const params = parts.map((p) => p.trim()).filter((p) => p.length > 0);
  const firstKeys = params[0]?.startsWith("{") ? patternKeys(params[0]) : undefined;
  return {
    count: params.length,
    rest: params.some((p) => p.startsWith("...")),
    ...(firstKeys && { firstKeys }),
  };
}

// `{ a, b = 1, c: alias, "d": e }` → ["a", "b", "c", "d"]; undefined for `...rest` or `[computed]` keys.
function patternKeys(param: string): string[] | undefined {
  const parts = splitTopLevel(param, 1);
  if (!parts) return undefined;
  const keys: string[] = [];
  for (const part of parts.map((p) => p.trim()).filter((p) => p.length > 0)) {
    const key = part.match(/^([A-Za-z_$][\w$]*)/)?.[1] ?? part.match(/^(["'])(.*?)\1/)?.[2];
    if (key === undefined || part.startsWith("...")) return undefined;
    keys.push(key);
  }
  return keys;
}

// Splits `a, b = f(1, 2), {c, d}` at top-level commas up to the closing parenthesis, skipping strings,
// template literals and comments. Returns undefined if the list never closes.
function splitTopLevel(src: string, start: number): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let from = start;
  for (let i = start; i < src.length; i++) {
    const ch = src[i];
    if (ch === '"' || ch === "'" || ch === "`") {
      i = skipQuoted(src, i, ch);
    } else if (ch === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      i = end < 0 ? src.length : end + 1;
    } else if (ch === "/" && src[i + 1] === "/") {
      const end = src.indexOf("\n", i);
      i = end < 0 ? src.length : end;
    } else if (ch === "(" || ch === "[" || ch === "{") {
      depth++;
    } else if (ch === ")" || ch === "]" || ch === "}") {
      if (depth === 0) {
        parts.push(stripComments(src.slice(from, i)));
        return parts;
      }
      depth--;
    } else if (ch === "," && depth === 0) {
      parts.push(stripComments(src.slice(from, i)));
      from = i + 1;
    }
  }
  return undefined;
}

function skipQuoted(src: string, start: number, quote: string): number {
  for (let i = start + 1; i < src.length; i++) {
    if (src[i] === "\\") i++;
    else if (src[i] === quote) return i;
  }
  return src.length;
}

// A parameter that is only a comment (`a, /* b */`) does not count.
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");
}
