/**
 * Reading a project's `deno.json`/`deno.jsonc` (and the import map file it may name) the way Deno reads
 * them: both are JSONC, so comments and trailing commas are allowed in either, and strings are left as they
 * are. Small and dependency-free because every kmlf command that looks at a project reads it before start.
 *
 * @module
 */

/**
 * Parses JSONC text (JSON with `//` and `/* *\/` comments and trailing commas), as Deno parses deno.json.
 *
 * @example
 * ```ts
 * parseJsonc('{ "imports": { "a": "npm:a@1", }, // mine\n }'); // { imports: { a: "npm:a@1" } }
 * ```
 */
export function parseJsonc(text: string): unknown {
  // Most deno.json files are plain JSON, which JSON.parse reads alone; the two regex passes cost every
  // command that reads one ~0.5 ms.
  try {
    return JSON.parse(text);
  } catch {
    // JSONC: strip comments and trailing commas below
  }
  const strings = /("(?:\\.|[^"\\])*")/.source;
  const noComments = text.replace(
    new RegExp(`${strings}|\\/\\/[^\\n]*|\\/\\*[\\s\\S]*?\\*\\/`, "g"),
    (_m, str) => str ?? "",
  );
  const noTrailingCommas = noComments.replace(
    new RegExp(`${strings}|,(\\s*[}\\]])`, "g"),
    (_m, str, closing) => str ?? closing,
  );
  return JSON.parse(noTrailingCommas);
}

/**
 * The object a Deno configuration or import map file holds, or `{}` with a note in `notes` when it cannot
 * be read or is not an object (the command itself then runs with kmlf's own imports).
 *
 * @example
 * ```ts
 * const notes: string[] = [];
 * readDenoConfig("/p/deno.json", notes).imports;
 * ```
 */
export function readDenoConfig(path: string, notes: string[]): Record<string, unknown> {
  try {
    const value = parseJsonc(Deno.readTextFileSync(path));
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    notes.push(`note: ${path} holds no JSON object; kmlf's own imports are used`);
  } catch (error) {
    notes.push(`note: cannot read ${path} (${(error as Error).message}); kmlf's own imports are used`);
  }
  return {};
}

/**
 * A deno.json's `imports` as Deno applies them: an `npm:` or `jsr:` package mapped without a subpath maps
 * its subpaths too (`"zod": "npm:zod@4.6.7"` also gives `"zod/": "npm:/zod@4.6.7/"`, so `"zod/v4"`
 * resolves), unless the file maps that prefix itself. A separate import map file (deno.json's
 * `"importMap"`, `--import-map`) gets no such entries: only what it says.
 *
 * @example
 * ```ts
 * withPackageSubpaths({ zod: "npm:zod@4.6.7" }); // { zod: "npm:zod@4.6.7", "zod/": "npm:/zod@4.6.7/" }
 * ```
 */
export function withPackageSubpaths(imports: Readonly<Record<string, string>>): Record<string, string> {
  const expanded: Record<string, string> = { ...imports };
  for (const [name, target] of Object.entries(imports)) {
    const pkg = /^(npm|jsr):((?:@[^/@\s]+\/)?[^/@\s]+(?:@[^/\s]+)?)$/.exec(target);
    if (pkg && !name.endsWith("/") && !Object.hasOwn(imports, `${name}/`)) {
      expanded[`${name}/`] = `${pkg[1]}:/${pkg[2]}/`;
    }
  }
  return expanded;
}
