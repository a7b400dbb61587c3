/**
 * The npm (and other remote) imports a logged model's code pins in `code/deno.json`: each bare specifier
 * its modules import, mapped as the project maps it — the project's deno.json (or the import map file it
 * names) first, as a run resolves project code, then kmlf's own packages. A model whose node imports a
 * package the project added (`deno add npm:argparse`) thus names that package and version, not only the
 * ones kmlf ships, and a project pinning another version of a kmlf package pins that version.
 *
 * @module
 */
import { dirname, fileURLToPath, join, resolve } from "../path.ts";
import { readDenoConfig, withPackageSubpaths } from "../deno_config_file.ts";
import { isRecord } from "../is_record.ts";
import { isFile } from "../fs_utils.ts";

/**
 * The pins for `specifiers` (bare imports found in the model's modules): `{specifier or mapped prefix:
 * target}` (`"kmlf"` is not a pin); and `aliased`, the specifiers the project maps to something that is
 * neither a package nor one of its files. The bundle follows the project's aliases to its files
 * ({@link projectAliases}) itself, so they do not reach this function; one that does is listed here.
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

// An import map's match for `spec`: its own key, else the longest key ending in "/" that prefixes it.
function lookup(map: Readonly<Record<string, string>>, spec: string): [string, string] | undefined {
  if (Object.hasOwn(map, spec)) return [spec, map[spec]];
  const prefix = Object.keys(map).filter((k) => k.endsWith("/") && spec.startsWith(k))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? undefined : [prefix, map[prefix]];
}

/** A project's import-map alias to one of its files, as a logged model carries it. */
export interface ProjectAlias {
  /** The file the specifier names. */
  file: string;
  /** The import map's key that matched (`"@/"`, or the specifier itself). */
  key: string;
  /** What the key maps to, as a path: the folder of a `/`-ending key, else the file. */
  target: string;
}

/**
 * How the project's deno.json (or the import map file it names) maps `specifier` to one of its own files
 * (`"@/": "./src/"` makes `@/util.ts` `<root>/src/util.ts`), or undefined for a package or an unmapped name.
 *
 * @example
 * ```ts
 * const alias = projectAliases("/p"); // "@/": "./src/" in /p/deno.json
 * alias("@/util.ts"); // { file: "/p/src/util.ts", key: "@/", target: "/p/src/" }
 * ```
 */
export function projectAliases(projectRoot: string): (specifier: string) => ProjectAlias | undefined {
  const { imports, base } = projectImports(projectRoot);
  const local = Object.fromEntries(Object.entries(imports).filter(([, t]) => LOCAL.test(t)));
  return (specifier) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(specifier) || LOCAL.test(specifier)) return undefined;
    const hit = lookup(local, specifier);
    if (!hit) return undefined;
    const [key, mapped] = hit;
    const target = mapped.startsWith("file:") ? fileURLToPath(mapped) : resolve(base, mapped);
    const file = key === specifier ? target : resolve(target, specifier.slice(key.length));
    return { file, key, target: mapped.endsWith("/") ? `${target}/` : target };
  };
}

// A target that is one of the project's files: relative, absolute or a file: URL.
const LOCAL = /^(\.{0,2}\/|file:)/;

// The project's imports, as Deno reads them for a run (deno.json or deno.jsonc, or the map file it names),
// and the folder their relative targets are relative to.
function projectImports(projectRoot: string): { imports: Record<string, string>; base: string } {
  const notes: string[] = [];
  const configPath = ["deno.json", "deno.jsonc"].map((f) => join(projectRoot, f)).find(isFile);
  if (!configPath) return { imports: {}, base: projectRoot };
  const config = readDenoConfig(configPath, notes);
  const mapFile = typeof config.importMap === "string";
  const mapPath = mapFile ? resolve(projectRoot, config.importMap as string) : configPath;
  const map = mapFile ? readDenoConfig(mapPath, notes) : config;
  const imports = Object.fromEntries(
    Object.entries(isRecord(map.imports) ? map.imports : {}).filter((e): e is [string, string] =>
      typeof e[1] === "string"
    ),
  );
  // deno.json's own imports map a package's subpaths as Deno does; an import map file only what it says.
  return { imports: mapFile ? imports : withPackageSubpaths(imports), base: dirname(mapPath) };
}
