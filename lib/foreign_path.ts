/**
 * Paths written for another machine, wherever a user writes a local path (catalog entries, kmlf.yml,
 * mlflow.yml, logging.yml, pipeline files, command-line arguments). Kedro and MLflow keep a path with a
 * Windows drive (`C:\data\x.csv`, `C:/x`, `C:`, a UNC share `\\server\share\x`) as written, and join every
 * other relative string to a folder (`~/x` and `data\x.csv` too). Off Windows none of these can mean what its
 * writer meant: a drive path is read relative to the current folder (`<cwd>/C:/data/x.csv`), `~` becomes a
 * folder named `~`, and `\` is a letter of a file name. kmlf refuses them where they are written instead.
 *
 * @module
 */
import { readLocalUri } from "./local_uri_reading.ts";

/** Why a path cannot mean here what its writer meant, and the fix. */
export interface ForeignPath {
  /** What the path is ("it is a Windows path (drive C:), …"), for `Cannot use <what> "…": <problem>`. */
  problem: string;
  /** What to write instead. */
  hint: string;
}

/** How to word the problem for the place the path is written. */
export interface ForeignPathWording {
  /** Why `~` is not expanded there, after "~ is not expanded " (default: "here"). */
  tilde?: string;
  /** The relative path to suggest, for the hints (default: "one relative to the project (data/01_raw/…)"). */
  relative?: string;
}

/** MLflow's wording (tracking URIs, artifact locations): MLflow keeps `~` as written too. */
export const MLFLOW_PATHS: ForeignPathWording = {
  tilde: "here (MLflow does not expand it either)",
  relative: "one relative to the project (mlruns)",
};

const ON_WINDOWS = Deno.build.os === "windows";

/**
 * Why `path` (a local path, or the path of a `file://` URL) cannot be used on this machine, or undefined when
 * it can. On Windows only `~` is refused (Node's path functions read drives, shares and `\` there).
 *
 * @example
 * ```ts
 * foreignPath("C:\\data\\x.csv")?.problem; // "it is a Windows path (drive C:), and this machine runs linux"
 * foreignPath("~/mlruns", { tilde: "here (MLflow does not expand it either)" })?.problem;
 * foreignPath("data/01_raw/x.csv"); // undefined
 * ```
 */
export function foreignPath(path: string, wording: ForeignPathWording = {}): ForeignPath | undefined {
  const relative = wording.relative ?? "one relative to the project (data/01_raw/…)";
  // `~`, `~/x` and `~user/x`; a name that only starts with `~` (`~$report.xlsx`, `~tmp.csv`, `~1`) is a file
  // of the folder, as Kedro and MLflow (which expand no `~`) take it.
  if (/^~(?:$|[^/\\]*[/\\])/.test(path)) {
    return {
      problem: `~ is not expanded ${wording.tilde ?? "here"}`,
      hint: `write the full path (/home/<user>/…) or ${relative}`,
    };
  }
  if (ON_WINDOWS) return undefined;
  const os = Deno.build.os;
  // PureWindowsPath(path).drive: a letter and a colon, whatever follows (`C:x` is relative to C:'s folder).
  const drive = /^\/?([a-zA-Z]:)/.exec(path);
  if (drive) {
    return {
      problem: `it is a Windows path (drive ${drive[1]}), and this machine runs ${os}`,
      hint: "write where the file is on this machine (/mnt/c/… under WSL, a mounted share's folder) or " +
        relative,
    };
  }
  // A share: two separators, one of them a backslash (`//server/share` is a POSIX absolute path, kept).
  if (/^(?:\\[\\/]|\/\\)/.test(path)) {
    return {
      problem: `it is a Windows network share (UNC path), and this machine runs ${os}`,
      hint: "mount the share and write the path of its folder here (e.g. /mnt/server/share/…)",
    };
  }
  if (path.includes("\\")) {
    return {
      problem: `\\ separates folders on Windows only: on ${os} it would be a letter of a file name`,
      hint: `write it with /: ${path.replace(/\\/g, "/")}`,
    };
  }
  return undefined;
}

/**
 * The local path a URI or path names (`sqlite:///x.db` → `x.db`, `file:///C:/x` → `/C:/x`), or undefined
 * for a URI of another scheme (`s3://`, `http://`, `databricks`), which names no local file.
 *
 * @example
 * ```ts
 * localPathOf("sqlite:///~/mlflow.db"); // "~/mlflow.db"
 * localPathOf("s3://bucket/x"); // undefined
 * ```
 */
export function localPathOf(value: string): string | undefined {
  const sqlite = /^sqlite:\/\/\/(.*)$/is.exec(value);
  if (sqlite) return sqlite[1];
  // A `file:` URI's path after its host, as written (lib/local_uri_reading.ts reads it for every caller).
  return readLocalUri(value)?.written;
}
