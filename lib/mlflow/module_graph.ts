/**
 * The local TypeScript/JavaScript modules a set of entry modules needs, transitively, found by reading
 * their import statements (static imports and re-exports, `import("literal")`, `import type`), so a
 * logged model carries its code. Comments and string contents never count as imports.
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { KmlfError } from "../errors.ts";

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
      text = await Deno.readTextFile(file);
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
// statement regexes see `from "    "` with the quote at the right offset.
function blankCommentsAndStrings(src: string): string {
  const out = src.split("");
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === "/" && next === "/") {
      const end = src.indexOf("\n", i);
      const stop = end < 0 ? src.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end < 0 ? src.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\") j++;
        else if (c !== "`" && src[j] === "\n") break;
        j++;
      }
      blank(i + 1, j);
      i = j + 1;
    } else i++;
  }
  return out.join("");
}
