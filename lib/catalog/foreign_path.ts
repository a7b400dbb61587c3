/**
 * Catalog paths written for another machine. Kedro keeps a path with a Windows drive (`C:\data\x.csv`,
 * `C:/x`, `C:`, a UNC share `\\server\share\x`) as written, and joins every other string to the project root
 * (`~/x` and `data\x.csv` too). Off Windows none of these can mean what its writer meant: a drive path is read
 * relative to the current folder (`<cwd>/C:/data/x.csv`), `~` becomes a folder named `~` in the project, and
 * `\` is a letter of a file name. kmlf refuses them where they are written instead of writing such files.
 *
 * @module
 */

/** Why a catalog path cannot mean here what its writer meant, and the fix. */
export interface ForeignPath {
  /** What the path is ("a Windows path (drive C:)"), for `Cannot use filepath "…": <problem>`. */
  problem: string;
  /** What to write instead. */
  hint: string;
}

const ON_WINDOWS = Deno.build.os === "windows";

/**
 * Why `path` (a catalog `filepath`/`path`/`filename` that is no URL, or the path of a `file://` URL) cannot
 * be used on this machine, or undefined when it can. On Windows only `~` is refused (Node's path functions
 * read drives, shares and `\` there).
 *
 * @example
 * ```ts
 * foreignCatalogPath("C:\\data\\x.csv")?.problem; // "it is a Windows path (drive C:), and this machine runs linux"
 * foreignCatalogPath("data/01_raw/x.csv"); // undefined
 * ```
 */
export function foreignCatalogPath(path: string): ForeignPath | undefined {
  if (/^~[^/\\]*(?:[/\\]|$)/.test(path)) {
    return {
      problem: "~ is not expanded in catalog paths (Kedro joins it to the project root: a folder named ~)",
      hint: "write the full path (/home/<user>/…) or one relative to the project (data/01_raw/…)",
    };
  }
  if (ON_WINDOWS) return undefined;
  const os = Deno.build.os;
  // PureWindowsPath(path).drive: a letter and a colon, whatever follows (`C:x` is relative to C:'s folder).
  const drive = /^\/?([a-zA-Z]:)/.exec(path);
  if (drive) {
    return {
      problem: `it is a Windows path (drive ${drive[1]}), and this machine runs ${os}`,
      hint: "write where the file is on this machine (/mnt/c/… under WSL, a mounted share's folder) or a " +
        "path relative to the project (data/01_raw/…)",
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
