/**
 * `tracking.log_files.before/after` in mlflow.yml: paths or globs (`logs/*.log`, `reports/**\/*.html`)
 * relative to the project root, expanded to the files to log under `kmlf/files/`.
 */
import { dirname, join, relative, resolve, sep } from "../path.ts";
import { isFile } from "../fs_utils.ts";

/** One file to log, and the artifact folder it goes to. */
export interface FileToLog {
  path: string;
  artifactPath: string;
}

/**
 * Whether `path` (relative to the project) is a credentials file as Kedro's config loader finds them
 * (`credentials*`, `credentials*\/**`, `**\/credentials*`, as YAML or JSON): `log_files` never logs one,
 * since a run's artifacts are readable by everyone who can read the run.
 *
 * @example
 * ```ts
 * isCredentialsFile("conf/local/credentials.yml"); // true
 * isCredentialsFile("logs/credentials_audit.log"); // false
 * ```
 */
export function isCredentialsFile(path: string): boolean {
  return /\.(ya?ml|json)$/i.test(path) && path.split(/[\\/]/).some((part) => part.startsWith("credentials"));
}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Expands one `log_files` entry. A plain path gives itself (if it is a file); a glob gives the files it
 * matches, sorted, each keeping its folders below the glob's fixed part (`logs/**\/*.log` logs
 * `logs/a/x.log` as `kmlf/files/a/x.log`). An empty result means nothing matched. Credentials files
 * ({@link isCredentialsFile}) are left out, each with a line in `notes`.
 *
 * @example
 * ```ts
 * await filesToLog("logs/*.log", "/project"); // [{ path: "/project/logs/info.log", artifactPath: "kmlf/files" }]
 * ```
 */
export async function filesToLog(
  entry: string,
  projectRoot: string,
  notes: string[] = [],
): Promise<FileToLog[]> {
  const pattern = resolve(projectRoot, entry);
  const secret = (path: string) => {
    if (!isCredentialsFile(relative(projectRoot, path))) return false;
    notes.push(
      `mlflow.yml log_files: ${relative(projectRoot, path)} is a credentials file; not logged ` +
        "(everyone who can read the run could read it)",
    );
    return true;
  };
  if (!GLOB_CHARS.test(entry)) {
    return isFile(pattern) && !secret(pattern) ? [{ path: pattern, artifactPath: "kmlf/files" }] : [];
  }
  const parts = pattern.split(sep);
  const firstGlob = parts.findIndex((p) => GLOB_CHARS.test(p));
  const base = parts.slice(0, firstGlob).join(sep) || sep;
  const matches: string[] = [];
  // node:fs is loaded only for a glob: importing it costs every tracked run ~10 ms otherwise.
  const { glob } = await import("node:fs/promises");
  for await (const path of glob(pattern)) matches.push(path);
  const files: FileToLog[] = [];
  for (const path of matches.sort()) {
    if (!isFile(path) || secret(path)) continue;
    const folder = dirname(relative(base, path));
    files.push({ path, artifactPath: folder === "." ? "kmlf/files" : join("kmlf/files", folder) });
  }
  return files;
}
