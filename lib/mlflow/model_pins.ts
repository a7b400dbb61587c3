/**
 * The npm (and other remote) imports a logged model's code pins in `code/deno.json`: each bare specifier
 * its modules import, mapped as the project maps it — the project's deno.json (or the import map file it
 * names) first, as a run resolves project code, then kmlf's own packages. A model whose node imports a
 * package the project added (`deno add npm:argparse`) thus names that package and version, not only the
 * ones kmlf ships, and a project pinning another version of a kmlf package pins that version.
 *
 * @module
 */
import { withPackageSubpaths } from "../deno_config_file.ts";
import { importMapLookup as lookup, projectImports } from "../project_aliases.ts";

export { type ProjectAlias, projectAliases } from "../project_aliases.ts";

/**
 * The pins for `specifiers` (bare imports found in the model's modules): `{specifier or mapped prefix:
 * target}` (`"kmlf"` is not a pin); and `aliased`, the specifiers the project maps to something that is
 * neither a package nor one of its files. The bundle follows the project's aliases to its files
 * (`projectAliases`) itself, so they do not reach this function; one that does is listed here.
 *
 * @example
 * ```ts
 * modelImports(["argparse", "zod", "@/util.ts"], "/p", { zod: "npm:zod@4.6.7" });
 * // { pins: { argparse: "npm:argparse@2.0.1", zod: "npm:zod@4.6.7" }, aliased: ["@/util.ts"] }
 * // with argparse and "@/" mapped in /p/deno.json
 * ```
 */
export function modelImports(
  specifiers: readonly string[],
  projectRoot: string,
  kmlfImports: Readonly<Record<string, string>>,
): { pins: Record<string, string>; aliased: string[] } {
  const project = projectImports(projectRoot).imports;
  // kmlf's deno.json maps its packages' subpaths too ("zod/v4"), unless the project maps that package.
  const kmlf = withPackageSubpaths(kmlfImports);
  for (const name of Object.keys(project)) {
    if (!Object.hasOwn(kmlfImports, `${name}/`)) delete kmlf[`${name}/`];
  }
  const pins: Record<string, string> = {};
  const aliased: string[] = [];
  for (const spec of specifiers) {
    if (spec === "kmlf" || spec.startsWith("kmlf/") || /^[a-z][a-z0-9+.-]*:/i.test(spec)) continue;
    const hit = lookup(project, spec) ?? lookup(kmlf, spec);
    if (hit && REMOTE.test(hit[1])) pins[hit[0]] = hit[1];
    else if (hit && lookup(project, spec)) aliased.push(spec);
  }
  return { pins, aliased };
}

// npm:, jsr:, node:, http(s): targets; a relative or file: target is the project's own code.
const REMOTE = /^(npm|jsr|node|https?):/;
