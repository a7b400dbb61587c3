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
import { scanImports } from "../import_scan.ts";

/** What {@link moduleGraph} found. */
export interface ModuleGraph {
  /** Local module files (absolute), entries included, sorted. */
  local: string[];
  /** Non-relative specifiers (`zod`, `npm:…`, `node:…`, `https://…`), sorted. */
  external: string[];
  /** Imports the scan cannot follow (computed `import()`), as `file: text`. */
  unresolved: string[];
  /** Specifiers `alias` mapped to a project file (`@/util.ts` → its path): followed like relative ones. */
  aliased: Map<string, string>;
}

/**
 * Follows relative imports from `entries` (absolute paths), and the bare ones `alias` maps to a file (the
 * project's import-map aliases, `"@/": "./src/"`).
 *
 * @example
 * ```ts
 * const { local, external } = await moduleGraph(["/project/pipelines/iris/nodes.ts"]);
 * ```
 */
export async function moduleGraph(
  entries: readonly string[],
  alias: (specifier: string) => string | undefined = () => undefined,
): Promise<ModuleGraph> {
  const local = new Set<string>();
  const external = new Set<string>();
  const aliased = new Map<string, string>();
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
      else if (alias(spec) !== undefined) {
        aliased.set(spec, alias(spec)!);
        queue.push(alias(spec)!);
      } else external.add(spec);
    }
  }
  return { local: [...local].sort(), external: [...external].sort(), unresolved, aliased };
}

export { blankCommentsAndStrings, scanImports } from "../import_scan.ts";
