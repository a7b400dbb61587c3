/** Finding the config files of one type inside one environment folder. */
import { join, relative } from "node:path";

/** Default config types and the file-name prefix that selects them (Kedro's `catalog*`, `**\/catalog*`, ...). */
export const DEFAULT_PATTERNS: Record<string, string[]> = {
  catalog: ["catalog*", "catalog*/**", "**/catalog*"],
  parameters: ["parameters*", "parameters*/**", "**/parameters*"],
  credentials: ["credentials*", "credentials*/**", "**/credentials*"],
  mlflow: ["mlflow*", "mlflow*/**", "**/mlflow*"],
  globals: ["globals.yml"],
};

const EXTENSIONS = [".yml", ".yaml", ".json"];

/**
 * Lists every non-hidden config file under `dir` (recursively), relative paths, sorted.
 *
 * @example
 * ```ts
 * const files = await listConfigFiles("/project/conf/base"); // ["catalog.yml", "sub/parameters_x.yml"]
 * ```
 */
export async function listConfigFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string) => {
    for await (const entry of Deno.readDir(current)) {
      if (entry.name.startsWith(".")) continue;
      const path = join(current, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (EXTENSIONS.some((ext) => entry.name.endsWith(ext))) found.push(relative(dir, path));
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
