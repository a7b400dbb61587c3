/** `--conf-source`: Kedro's option for reading configuration from another folder. */
import { resolve } from "../path.ts";
import { UsageError } from "../errors.ts";
import { statIfAny } from "../fs_utils.ts";

/**
 * The absolute folder `--conf-source` names (relative to the current directory). Kedro also reads
 * archives and remote URLs; kmlf reads local folders only, and says so.
 *
 * @example
 * ```ts
 * confSourceDir("./conf-prod"); // "/home/me/project/conf-prod"
 * ```
 */
export function confSourceDir(value: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new UsageError("cli/bad-conf-source", `--conf-source ${value} is a URL`, {
      hint: "kmlf reads configuration from a local folder; download or mount it and pass that folder",
    });
  }
  const dir = resolve(value);
  const stat = statIfAny(dir);
  if (stat?.isDirectory) return dir;
  throw new UsageError(
    "cli/bad-conf-source",
    stat ? `--conf-source ${value} is a file, not a folder` : `--conf-source ${value} does not exist`,
    {
      hint: stat && /\.(zip|tar|tar\.gz|tgz)$/i.test(value)
        ? "kmlf does not read archives: extract it (tar -xzf / unzip) and pass the folder"
        : "pass the folder holding base/ and your env folders (like conf/)",
    },
  );
}
