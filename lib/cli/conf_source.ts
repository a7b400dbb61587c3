/** `--conf-source`: Kedro's option for reading configuration from another folder. */
import { resolve } from "../path.ts";
import { UsageError } from "../errors.ts";
import { statIfAny } from "../fs_utils.ts";
import { isArchivePath } from "../config/mod.ts";

/**
 * The absolute folder or archive (`.zip`, `.tar`, `.tar.gz`) `--conf-source` names (relative to the
 * current directory). Kedro also reads remote URLs; kmlf reads local paths only, and says so.
 *
 * @example
 * ```ts
 * confSourceDir("./conf-prod"); // "/home/me/project/conf-prod"
 * ```
 */
export function confSourceDir(value: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new UsageError("cli/bad-conf-source", `--conf-source ${value} is a URL`, {
      hint: "kmlf reads configuration from a local folder or a .zip, .tar or .tar.gz of one; download or " +
        "mount it and pass the local path",
    });
  }
  const dir = resolve(value);
  const stat = statIfAny(dir);
  // Kedro reads a packed conf folder (`kedro package`'s conf-<pkg>.tar.gz) as it is; so does kmlf.
  if (stat?.isDirectory || (stat?.isFile && isArchivePath(dir))) return dir;
  throw new UsageError(
    "cli/bad-conf-source",
    stat ? `--conf-source ${value} is a file, not a folder` : `--conf-source ${value} does not exist`,
    {
      hint: "pass the folder holding base/ and your env folders (like conf/), or a .zip, .tar or .tar.gz " +
        "archive of it",
    },
  );
}
