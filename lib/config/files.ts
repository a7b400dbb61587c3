/** Finding the config files of one type inside one environment folder. */
import { join, relative } from "../path.ts";
import { statIfAny } from "../fs_utils.ts";
import { readYamlFile, type YamlSource } from "../yaml/parse_yaml.ts";

/**
 * Default config types and their glob patterns, relative to each env folder (Kedro's `catalog*`,
 * `catalog*\/**`, `**\/catalog*`). A type not listed here uses the same convention with its own name.
 *
 * @example
 * ```ts
 * DEFAULT_PATTERNS.globals; // ["globals.yml"]
 * ```
 */
export const DEFAULT_PATTERNS: Record<string, string[]> = {
  catalog: ["catalog*", "catalog*/**", "**/catalog*"],
  parameters: ["parameters*", "parameters*/**", "**/parameters*"],
  credentials: ["credentials*", "credentials*/**", "**/credentials*"],
  mlflow: ["mlflow*", "mlflow*/**", "**/mlflow*"],
  globals: ["globals.yml"],
};

const EXTENSIONS = [".yml", ".yaml", ".json"];

/**
 * The patterns of a config type: `patterns[type]`, else the defaults, else Kedro's convention
 * `<type>*`, `<type>*\/**`, `**\/<type>*` (so plugins can read their own `airflow*` files).
 *
 * @example
 * ```ts
 * patternsFor("spark", {}); // ["spark*", "spark*\/**", "**\/spark*"]
 * ```
 */
export function patternsFor(type: string, patterns: Record<string, string[]> = {}): string[] {
  return patterns[type] ?? DEFAULT_PATTERNS[type] ?? [`${type}*`, `${type}*/**`, `**/${type}*`];
}

/**
 * Lists every non-hidden config file under `dir` (recursively, following symlinks), relative paths, sorted.
 *
 * @example
 * ```ts
 * const files = await listConfigFiles("/project/conf/base"); // ["catalog.yml", "sub/parameters_x.yml"]
 * ```
 */
export async function listConfigFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = async (current: string) => {
    for (const entry of Deno.readDirSync(current)) {
      if (entry.name.startsWith(".")) continue;
      const path = join(current, entry.name);
      if (entry.isSymlink) {
        // A symlinked credentials.yml or folder is common (secrets kept elsewhere): follow it, once.
        const stat = statIfAny(path);
        if (stat?.isDirectory) {
          const real = Deno.realPathSync(path);
          if (!seen.has(real)) {
            seen.add(real);
            await walk(path);
          }
          continue;
        }
        if (!stat?.isFile) continue;
      } else if (entry.isDirectory) {
        await walk(path);
        continue;
      }
      if (EXTENSIONS.some((ext) => entry.name.endsWith(ext))) found.push(relative(dir, path));
    }
  };
  await walk(dir);
  return found.sort();
}

/**
 * Whether a relative file path matches one of the glob patterns (`*` within a segment, `**` across).
 *
 * @example
 * ```ts
 * matchesPatterns("nested/catalog_extra.yml", ["catalog*", "**\/catalog*"]); // true
 * ```
 */
export function matchesPatterns(relPath: string, patterns: readonly string[]): boolean {
  const withoutExt = relPath.replace(/\.(ya?ml|json)$/, "");
  return patterns.some((p) => globToRegExp(p).test(relPath) || globToRegExp(p).test(withoutExt));
}

const cache = new Map<string, RegExp>();

function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re) return re;
  let src = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === "*" && glob[i + 1] === "*") {
      src += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (ch === "*") src += "[^/]*";
    else src += ch.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  }
  re = new RegExp(`^${src}$`);
  cache.set(glob, re);
  return re;
}

/**
 * Where the conf folder's env folders and files are read from: the disk, or an archive
 * (`conf_archive.ts`). Paths given and returned are display paths under `root`.
 *
 * @example
 * ```ts
 * const tree = diskTree("/p/conf");
 * tree.kind("/p/conf/base"); // "dir"
 * ```
 */
export interface ConfTree {
  root: string;
  kind(path: string): "dir" | "file" | undefined;
  /** Config files under `dir`, relative, sorted. */
  list(dir: string): Promise<string[]>;
  /** The folder names directly under the root (env candidates, for hints). */
  envs(): string[];
  read(file: string): Promise<YamlSource>;
}

/**
 * The conf folder on disk.
 *
 * @example
 * ```ts
 * const catalog = await diskTree("/p/conf").read("/p/conf/base/catalog.yml");
 * ```
 */
export function diskTree(root: string): ConfTree {
  return {
    root,
    kind(path) {
      const stat = statIfAny(path);
      return stat?.isDirectory ? "dir" : stat ? "file" : undefined;
    },
    list: listConfigFiles,
    envs() {
      try {
        return [...Deno.readDirSync(root)].filter((e) => e.isDirectory).map((e) => e.name);
      } catch {
        return [];
      }
    },
    read: (file) => readYamlFile(file, { sourceKeys: true }),
  };
}

/**
 * Whether a conf source names an archive Kedro would open (`.zip`, `.tar`, `.tar.gz`, `.tgz`).
 *
 * @example
 * ```ts
 * isArchivePath("dist/conf-iris.tar.gz"); // true
 * ```
 */
export function isArchivePath(path: string): boolean {
  return /\.(zip|tar|tar\.gz|tgz)$/i.test(path);
}
