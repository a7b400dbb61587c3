/**
 * The lockfile the bundle ships: the repository's `deno.lock` cut to the packages the bundle's import map
 * names (kmlf's own dependencies, which a project's modules may import too) and what those depend on.
 * The repository's lock also pins its tests' packages (a browser driver, an S3 server and ~80 of their
 * dependencies), which every kmlf command would otherwise read and resolve at start (bench/README.md).
 */

/** The parts of a version-5 `deno.lock` this module reads; the rest is kept as it is. */
export interface Lockfile {
  version: string;
  specifiers?: Record<string, string>;
  npm?: Record<string, { dependencies?: string[] } & Record<string, unknown>>;
  workspace?: { dependencies?: string[] } & Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * `lock` with only the workspace's dependencies, their resolved versions and their npm dependency closure.
 *
 * @example
 * ```ts
 * const lock = JSON.parse(Deno.readTextFileSync("deno.lock"));
 * Object.keys(bundleLock(lock).npm ?? {}); // ["@e965/xlsx@0.20.3", "argparse@2.0.1", …]
 * ```
 */
export function bundleLock(lock: Lockfile): Lockfile {
  if (lock.version !== "5") {
    throw new Error(`deno.lock version ${lock.version}: tools/bundle_lock.ts reads 5`);
  }
  const roots = lock.workspace?.dependencies ?? [];
  const npm = lock.npm ?? {};
  const specifiers: Record<string, string> = {};
  const pending: string[] = [];
  for (const root of roots) {
    const version = lock.specifiers?.[root];
    if (version === undefined) {
      throw new Error(`deno.lock names ${root} as a dependency but does not resolve it`);
    }
    specifiers[root] = version;
    if (root.startsWith("npm:")) pending.push(`${packageName(root.slice(4))}@${version}`);
  }
  const kept = new Set<string>();
  while (pending.length > 0) {
    const key = pending.pop()!;
    if (kept.has(key)) continue;
    if (!npm[key]) throw new Error(`deno.lock has no npm entry ${key}`);
    kept.add(key);
    for (const dep of npm[key].dependencies ?? []) pending.push(npmKey(npm, dep));
  }
  const pruned: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(lock)) {
    if (field === "specifiers") pruned.specifiers = specifiers;
    else if (field === "npm") pruned.npm = Object.fromEntries([...kept].sort().map((k) => [k, npm[k]]));
    else pruned[field] = value;
  }
  return pruned as Lockfile;
}

// `zod@4.6.7` → `zod`, `@e965/xlsx@0.20.3` → `@e965/xlsx`.
function packageName(nameAndVersion: string): string {
  const at = nameAndVersion.indexOf("@", 1);
  return at < 0 ? nameAndVersion : nameAndVersion.slice(0, at);
}

// A dependency is listed by its entry's key (`name@version`, with a peer suffix) or, when the lock holds one
// version of the package, by its bare name.
function npmKey(npm: Record<string, unknown>, dep: string): string {
  if (dep in npm) return dep;
  const matches = Object.keys(npm).filter((key) => packageName(key) === dep);
  if (matches.length !== 1) throw new Error(`deno.lock: cannot tell which entry the dependency ${dep} is`);
  return matches[0];
}
