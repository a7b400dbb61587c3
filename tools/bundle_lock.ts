/**
 * The lockfile the bundle ships: the repository's `deno.lock` cut to the packages the bundle's import map
 * names (kmlf's own dependencies, which a project's modules may import too) and what those depend on.
 * The repository's lock also pins its tests' packages (a browser driver, an S3 server and ~80 of their
 * dependencies), which every kmlf command would otherwise read and resolve at start (bench/README.md), and
 * what deno.json maps for its tools only (`scopes["./tools/"]`: semver, which kmlf runs vendored).
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
 * `lock` with only the workspace's dependencies `imports` (the bundle's import map) names, their resolved
 * versions and their npm dependency closure.
 *
 * @example
 * ```ts
 * const lock = JSON.parse(Deno.readTextFileSync("deno.lock"));
 * const { imports } = JSON.parse(Deno.readTextFileSync("deno.json"));
 * Object.keys(bundleLock(lock, imports).npm ?? {}); // ["@e965/xlsx@0.20.3", "argparse@2.0.1", …]
 * ```
 */
export function bundleLock(lock: Lockfile, imports: Record<string, string>): Lockfile {
  if (lock.version !== "5") {
    throw new Error(`deno.lock version ${lock.version}: tools/bundle_lock.ts reads 5`);
  }
  // `npm:csv-parse@7.0.3/sync` is the dependency `npm:csv-parse@7.0.3`.
  const mapped = new Set(
    Object.values(imports).map((target) => target.replace(/^(npm:\/?(?:@[^/]+\/)?[^/@]+@[^/]+).*$/, "$1")),
  );
  const roots = (lock.workspace?.dependencies ?? []).filter((dep) => mapped.has(dep));
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
    else if (field === "workspace") pruned.workspace = { ...lock.workspace, dependencies: roots };
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
