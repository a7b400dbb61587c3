/**
 * Reading and rewriting a module's import specifiers from its source text (static imports and re-exports,
 * `import("literal")`, `import type`; comments and string contents never count). Shared by the mlflow
 * layer, which follows a model's imports to bundle its code and points import-map aliases at the copied
 * files, and by lib/models, which points a model's bare imports at the versions its `code/deno.json` pins.
 *
 * @module
 */

/** One import specifier in a source text: `index` is the offset of its opening quote. */
export interface ImportSite {
  index: number;
  specifier: string;
}

/**
 * Every import specifier of `source` with its position, plus `import(...)` calls whose argument is not a
 * literal (as their text).
 *
 * @example
 * ```ts
 * importSites('import { a } from "./a.ts";').sites; // [{ index: 18, specifier: "./a.ts" }]
 * ```
 */
export function importSites(source: string): { sites: ImportSite[]; computed: string[] } {
  const code = blankCommentsAndStrings(source);
  const sites: ImportSite[] = [];
  const computed: string[] = [];
  // Positions come from the blanked text; the specifier itself is read from the original.
  const take = (index: number) => {
    const quote = source[index];
    const end = source.indexOf(quote, index + 1);
    if (end > index) sites.push({ index, specifier: source.slice(index + 1, end) });
  };
  const statics = /(?:^|[;\s}])(?:import|export)\b[^;'"`()]*?\bfrom\s*(['"])|(?:^|[;\s}])import\s*(['"])/g;
  for (const m of code.matchAll(statics)) take(m.index! + m[0].length - 1);
  for (const m of code.matchAll(/(?<![\w$.])import\s*\(\s*/g)) {
    const at = m.index! + m[0].length;
    if (source[at] === '"' || source[at] === "'") take(at);
    else if (source[at] === "`" && !source.slice(at, source.indexOf("`", at + 1)).includes("${")) take(at);
    else computed.push(source.slice(m.index!, Math.min(source.length, at + 40)).split("\n")[0]);
  }
  return { sites, computed };
}

/**
 * Import specifiers of one module's source text, plus `import(...)` calls whose argument is not a literal.
 *
 * @example
 * ```ts
 * scanImports('import { a } from "./a.ts"; // import "./b.ts"').specifiers; // ["./a.ts"]
 * ```
 */
export function scanImports(source: string): { specifiers: string[]; computed: string[] } {
  const { sites, computed } = importSites(source);
  return { specifiers: [...new Set(sites.map((s) => s.specifier))], computed };
}

/**
 * `source` with each import specifier `replace` answers for replaced (a specifier it answers undefined
 * for is kept); everything else, comments and strings included, stays as it was.
 *
 * @example
 * ```ts
 * rewriteImports('import { z } from "zod";', (s) => s === "zod" ? "npm:zod@4.6.7" : undefined);
 * // 'import { z } from "npm:zod@4.6.7";'
 * ```
 */
export function rewriteImports(source: string, replace: (specifier: string) => string | undefined): string {
  let out = "";
  let at = 0;
  const sites = importSites(source).sites.sort((a, b) => a.index - b.index);
  for (const { index, specifier } of sites) {
    const next = replace(specifier);
    if (next === undefined || next === specifier) continue;
    // The quote character is kept; the new text is a plain specifier (no quotes or backslashes to escape).
    out += source.slice(at, index + 1) + next;
    at = index + 1 + specifier.length;
  }
  return out + source.slice(at);
}

// Comments become spaces; string and template contents become spaces but keep their quotes, so the
// statement regexes see `from "    "` with the quote at the right offset. Line breaks always stay. One
// regex pass (native) rather than a loop over characters, which V8 runs cold once per logged model.
// A quoted string ends at its closing quote, an unescaped line break or the end of the text; a template
// only at its closing backtick or the end.
const COMMENTS_AND_STRINGS =
  /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|"(?:\\[\s\S]?|[^"\\\n])*("?)|'(?:\\[\s\S]?|[^'\\\n])*('?)|`(?:\\[\s\S]?|[^`\\])*(`?)/g;

/**
 * `src` with comments and string contents blanked (same length, line breaks kept).
 *
 * @example
 * ```ts
 * blankCommentsAndStrings('import "./a.ts"; // b'); // 'import "      ";     '
 * ```
 */
export function blankCommentsAndStrings(src: string): string {
  const blank = (text: string) => text.replace(/[^\n]/g, " ");
  return src.replace(COMMENTS_AND_STRINGS, (token, double = "", single = "", backtick = "") => {
    if (token[0] === "/") return blank(token);
    const closing = double || single || backtick;
    return token[0] + blank(token.slice(1, token.length - closing.length)) + closing;
  });
}
