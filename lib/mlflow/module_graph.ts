/**
 * The local TypeScript/JavaScript modules a set of entry modules needs, transitively, found by reading
 * their import statements (static imports and re-exports, `import("literal")`, `import type`), so a
 * logged model carries its code. Comments and string contents never count as imports.
 *
 * @module
 */
import { dirname, fileURLToPath, resolve } from "../path.ts";
import { KmlfError } from "../errors.ts";
import { readTextFile } from "../file_io.ts";

/** What {@link moduleGraph} found. */
export interface ModuleGraph {
  /** Local module files (absolute), entries included, sorted. */
  local: string[];
  /** Non-relative specifiers (`zod`, `npm:…`, `node:…`, `https://…`), sorted. */
  external: string[];
  /** Imports the scan cannot follow (computed `import()`), as `file: text`. */
  unresolved: string[];
}

/**
 * Follows relative imports from `entries` (absolute paths).
 *
 * @example
 * ```ts
 * const { local, external } = await moduleGraph(["/project/pipelines/iris/nodes.ts"]);
 * ```
 */
export async function moduleGraph(entries: readonly string[]): Promise<ModuleGraph> {
  const local = new Set<string>();
  const external = new Set<string>();
  const unresolved: string[] = [];
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (local.has(file)) continue;
    let text: string;
    try {
      text = await readTextFile(file);
    } catch (cause) {
      throw new KmlfError(
        "model/module-unreadable",
        `Cannot read module ${file} to bundle it with the model`,
        {
          hint:
            "check that every relative import of the inference pipeline's modules points at an existing file",
          cause,
        },
      );
    }
    local.add(file);
    const { specifiers, computed } = scanImports(text);
    for (const c of computed) unresolved.push(`${file}: ${c}`);
    for (const spec of specifiers) {
      if (/^\.{1,2}\//.test(spec) || spec.startsWith("/")) queue.push(resolve(dirname(file), spec));
      else if (/^file:/.test(spec)) queue.push(fileURLToPath(spec));
      else external.add(spec);
    }
  }
  return { local: [...local].sort(), external: [...external].sort(), unresolved };
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
  const code = blankCommentsAndStrings(source);
  const specifiers: string[] = [];
  const computed: string[] = [];
  // Positions come from the blanked text; the specifier itself is read from the original.
  const take = (index: number) => {
    const quote = source[index];
    const end = source.indexOf(quote, index + 1);
    if (end > index) specifiers.push(source.slice(index + 1, end));
  };
  const statics = /(?:^|[;\s}])(?:import|export)\b[^;'"`()]*?\bfrom\s*(['"])|(?:^|[;\s}])import\s*(['"])/g;
  for (const m of code.matchAll(statics)) take(m.index! + m[0].length - 1);
  for (const m of code.matchAll(/(?<![\w$.])import\s*\(\s*/g)) {
    const at = m.index! + m[0].length;
    if (source[at] === '"' || source[at] === "'") take(at);
    else if (source[at] === "`" && !source.slice(at, source.indexOf("`", at + 1)).includes("${")) {
      specifiers.push(source.slice(at + 1, source.indexOf("`", at + 1)));
    } else computed.push(source.slice(m.index!, Math.min(source.length, at + 40)).split("\n")[0]);
  }
  return { specifiers: [...new Set(specifiers)], computed };
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
