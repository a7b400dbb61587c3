/**
 * Kedro configures Python's logging from `$KEDRO_LOGGING_CONFIG` or `conf/logging.yml`; kmlf has no logging
 * configuration, so a ported project's file would be ignored without a word. `kmlf run` says so once per
 * run, with what kmlf offers instead.
 */
import { join, relative, resolve } from "../path.ts";
import { statIfAny } from "../fs_utils.ts";

/**
 * The note for a Kedro logging configuration kmlf does not read (`$KEDRO_LOGGING_CONFIG`, else
 * `logging.yml`/`.yaml` in the project's conf folder or `conf/`); undefined when there is none.
 *
 * @example
 * ```ts
 * kedroLoggingNote("/p", "/p/conf", undefined); // "Note: kmlf does not read conf/logging.yml …"
 * ```
 */
export function kedroLoggingNote(
  projectRoot: string,
  confDir: string,
  envConfig: string | undefined = Deno.env.get("KEDRO_LOGGING_CONFIG"),
): string | undefined {
  const found = envConfig
    ? { shown: `$KEDRO_LOGGING_CONFIG (${envConfig})`, silence: "unset KEDRO_LOGGING_CONFIG" }
    : loggingFile(projectRoot, [resolve(projectRoot, confDir), join(projectRoot, "conf")]);
  if (!found) return undefined;
  return `Note: kmlf does not read ${found.shown}, Kedro's logging configuration: progress and notes go to ` +
    "the terminal (stdout, stderr). Use --quiet for errors and the summary only, --json for one JSON " +
    "summary, `> file 2>&1` to keep a log; node code logs with console.*. " +
    `To silence this note, ${found.silence}`;
}

function loggingFile(root: string, dirs: string[]): { shown: string; silence: string } | undefined {
  for (const dir of new Set(dirs)) {
    for (const name of ["logging.yml", "logging.yaml"]) {
      const file = join(dir, name);
      if (statIfAny(file)?.isFile) {
        const shown = relative(root, file);
        return { shown, silence: `remove ${shown} (only Kedro reads it)` };
      }
    }
  }
  return undefined;
}
