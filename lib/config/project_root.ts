/** Finding a kmlf project's root: the nearest folder holding kmlf.yml, and what to do when there is none. */
import { dirname, join, resolve } from "../path.ts";
import { ConfigError } from "../errors.ts";
import { realPathOrUndefined, statIfAny } from "../fs_utils.ts";

/**
 * The settings file name that marks a project root.
 *
 * @example
 * ```ts
 * join(root, SETTINGS_FILE); // "/home/me/project/kmlf.yml"
 * ```
 */
export const SETTINGS_FILE = "kmlf.yml";

/**
 * Walks up from `start` to the first directory holding kmlf.yml. Symbolic links in `start` are resolved
 * first, as Kedro resolves the project path (`Path(project_path).resolve()`) and as the working directory
 * already is: `--project <link>` is the folder the link names, and paths relative to the root (`../x`) are
 * taken from there.
 *
 * @example
 * ```ts
 * const root = findProjectRoot(Deno.cwd()); // "/home/me/project" or undefined
 * ```
 */
export function findProjectRoot(start: string): string | undefined {
  let dir = realPathOrUndefined(resolve(start)) ?? resolve(start);
  for (;;) {
    const stat = statIfAny(join(dir, SETTINGS_FILE));
    if (stat?.isFile) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Like {@link findProjectRoot}, but outside a project throws `project/not-found` naming the folder.
 *
 * @example
 * ```ts
 * const root = requireProjectRoot(Deno.cwd());
 * ```
 */
export function requireProjectRoot(start: string): string {
  const root = findProjectRoot(start);
  if (root !== undefined) return root;
  const dir = resolve(start);
  // A kmlf.yml that is a folder marks no project; saying so beats "create kmlf.yml" where one is.
  for (let at = dir;; at = dirname(at)) {
    if (statIfAny(join(at, SETTINGS_FILE))?.isDirectory) {
      throw new ConfigError(
        "project/not-found",
        `No kmlf project found in ${dir} or its parents: ${join(at, SETTINGS_FILE)} is a folder, not a file`,
        { source: { file: join(at, SETTINGS_FILE) }, hint: folderHint(join(at, SETTINGS_FILE)) },
      );
    }
    if (dirname(at) === at) break;
  }
  throw new ConfigError(
    "project/not-found",
    `No kmlf project found in ${dir} or its parents (no ${SETTINGS_FILE})`,
    { hint: createHint(dir) },
  );
}

/**
 * The fix for a kmlf.yml that is a folder.
 *
 * @example
 * ```ts
 * folderHint("/p/kmlf.yml"); // 'move that folder away and write /p/kmlf.yml containing "name: my_project"'
 * ```
 */
export function folderHint(file: string): string {
  return `move that folder away and write ${file} containing "name: my_project"`;
}

/**
 * How to make `dir` a project: from a Kedro project's pyproject.toml, else `kmlf new` or a kmlf.yml.
 *
 * @example
 * ```ts
 * throw new ConfigError("project/not-found", `No kmlf.yml found in ${dir}`, { hint: createHint(dir) });
 * ```
 */
export function createHint(dir: string): string {
  const kedro = kedroProjectName(dir);
  if (kedro !== undefined) {
    // A Kedro project (pyproject.toml's [tool.kedro]): its conf/ works as is; kmlf.yml marks the root.
    return `this is a Kedro project: create ${
      join(kedro.root, SETTINGS_FILE)
    } containing "name: ${kedro.name}" ` +
      "(conf/ is used as is), then declare the pipelines in pipelines/<name>.yml; see the README's " +
      '"Moving a Kedro project over"';
  }
  return `run kmlf inside a project (or pass --project <dir>), create one with \`kmlf new <dir>\`, or create ${
    join(dir, SETTINGS_FILE)
  } containing "name: my_project"`;
}

// The nearest pyproject.toml with a [tool.kedro] table, from `dir` up, and its project_name.
function kedroProjectName(dir: string): { root: string; name: string } | undefined {
  for (let at = dir;; at = dirname(at)) {
    let text: string | undefined;
    try {
      text = Deno.readTextFileSync(join(at, "pyproject.toml"));
    } catch {
      text = undefined;
    }
    if (text !== undefined && /^\[tool\.kedro\]\s*$/m.test(text)) {
      const table = text.slice(text.search(/^\[tool\.kedro\]/m)).split(/^\[(?!tool\.kedro\])/m)[0];
      const value = (key: string) => new RegExp(`^${key}\\s*=\\s*["']([^"']+)["']`, "m").exec(table)?.[1];
      const name = value("package_name") ?? value("project_name");
      return { root: at, name: name?.replace(/[^A-Za-z0-9_.-]+/g, "_") ?? "my_project" };
    }
    if (dirname(at) === at) return undefined;
  }
}
