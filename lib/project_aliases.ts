/**
 * A project's import-map aliases to its own files (`"@/": "./src/"` in deno.json), read as Deno reads them
 * for a run: a logged model carries the files they name (`lib/mlflow/model_bundle.ts`), and a catalog
 * `type:` written through one (`@/datasets.ts#MyDataset`) imports the file the project's code would.
 *
 * @module
 */
import { dirname, fileURLToPath, join, resolve } from "./path.ts";
import { readDenoConfig, withPackageSubpaths } from "./deno_config_file.ts";
import { isRecord } from "./is_record.ts";
import { isFile } from "./fs_utils.ts";

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
    const hit = importMapLookup(local, specifier);
    if (!hit) return undefined;
    const [key, mapped] = hit;
    const target = mapped.startsWith("file:") ? fileURLToPath(mapped) : resolve(base, mapped);
    const file = key === specifier ? target : resolve(target, specifier.slice(key.length));
    return { file, key, target: mapped.endsWith("/") ? `${target}/` : target };
  };
}

/**
 * The file a project reference's module names (`./src/x.ts`, `src/x.ts`, or `@/x.ts` through the project's
 * import map): the aliased file, else the path relative to the project root.
 *
 * @example
 * ```ts
 * projectModuleFile("/p")("@/datasets.ts"); // "/p/src/datasets.ts" with "@/": "./src/"
 * ```
 */
export function projectModuleFile(projectRoot: string): (spec: string) => string {
  const aliasOf = projectAliases(projectRoot);
  return (spec) => aliasOf(spec)?.file ?? resolve(projectRoot, spec);
}

// A target that is one of the project's files: relative, absolute or a file: URL.
const LOCAL = /^(\.{0,2}\/|file:)/;

/**
 * An import map's match for `spec`: its own key, else the longest key ending in "/" that prefixes it.
 *
 * @example
 * ```ts
 * importMapLookup({ "@/": "./src/" }, "@/util.ts"); // ["@/", "./src/"]
 * ```
 */
export function importMapLookup(
  map: Readonly<Record<string, string>>,
  spec: string,
): [string, string] | undefined {
  if (Object.hasOwn(map, spec)) return [spec, map[spec]];
  const prefix = Object.keys(map).filter((k) => k.endsWith("/") && spec.startsWith(k))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? undefined : [prefix, map[prefix]];
}

/**
 * The project's imports, as Deno reads them for a run (deno.json or deno.jsonc, or the map file it names),
 * the folder their relative targets are relative to, and the file that maps them (undefined: none).
 *
 * @example
 * ```ts
 * projectImports("/p"); // { imports: { "@/": "./src/" }, base: "/p", file: "/p/deno.json" }
 * ```
 */
export function projectImports(
  projectRoot: string,
): { imports: Record<string, string>; base: string; file?: string } {
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
  return {
    imports: mapFile ? imports : withPackageSubpaths(imports),
    base: dirname(mapPath),
    file: mapPath,
  };
}
