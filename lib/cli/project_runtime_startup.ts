/**
 * Whether a kmlf restarted inside its project (lib/cli/project_runtime.ts) got as far as running: Deno
 * itself can refuse to start it — an outdated frozen deno.lock, a deno.json or deno.lock Deno cannot read,
 * a package it cannot download or a DENO_DIR it cannot write to — and then prints its own message and
 * exits 1 before any kmlf code runs. The launcher hands the restarted kmlf a marker file, which the
 * restarted kmlf removes first thing; a marker still there after a failed exit means Deno refused, and the
 * launcher says so as a kmlf error naming the project's files and the fix.
 *
 * @module
 */
import { KmlfError } from "../errors.ts";
import { readDenoConfig } from "../deno_config_file.ts";
import { LOCKFILE_REFUSAL, lockfileFix } from "../deno_load_error.ts";

/** The restarted kmlf finds its start marker here. */
export const STARTED_ENV = "KMLF_PROJECT_RUNTIME_STARTED";

/**
 * Creates the marker a restarted kmlf removes when it starts, or undefined when no temp file can be made
 * (then a refusal is only Deno's message).
 *
 * @example
 * ```ts
 * const marker = startMarker();
 * ```
 */
export function startMarker(): string | undefined {
  try {
    return Deno.makeTempFileSync({ prefix: "kmlf-start-" });
  } catch {
    return undefined;
  }
}

/**
 * In a restarted kmlf: removes the launcher's start marker (the proof that Deno started kmlf's code).
 *
 * @example
 * ```ts
 * markStarted();
 * ```
 */
export function markStarted(): void {
  const marker = Deno.env.get(STARTED_ENV);
  if (!marker) return;
  Deno.env.delete(STARTED_ENV);
  try {
    Deno.removeSync(marker);
  } catch { /* gone already: nothing to prove */ }
}

/**
 * After the restarted kmlf ended: the error to report when Deno refused to start it (the marker is still
 * there and the exit failed), else undefined. Removes the marker either way.
 *
 * @example
 * ```ts
 * const refused = startRefusal(marker, status, { root: "/p", configPath: "/p/deno.json" });
 * ```
 */
export function startRefusal(
  marker: string | undefined,
  status: { code: number; signal: Deno.Signal | null },
  project: { root: string; configPath: string },
): KmlfError | undefined {
  if (!marker) return undefined;
  let started = true;
  try {
    Deno.removeSync(marker);
    started = false;
  } catch { /* removed by the restarted kmlf: it started */ }
  if (started || status.code === 0 || status.signal !== null) return undefined;
  return refusalError(project);
}

/**
 * In a kmlf restarted inside its project: the kmlf error for `error` when it is Deno refusing the
 * project's deno.json or deno.lock while kmlf loaded one of its own modules (so no kmlf code is at fault),
 * else undefined.
 *
 * @example
 * ```ts
 * const refused = projectRefusal(new Error("The lockfile is out of date. …"));
 * ```
 */
export function projectRefusal(error: unknown): KmlfError | undefined {
  const root = Deno.env.get("KMLF_PROJECT_RUNTIME");
  // A kmlf error already explains its refusal (a project module's import, lib/import_failure.ts).
  if (
    !root || root === "off" || !(error instanceof Error) || error instanceof KmlfError ||
    !LOCKFILE_REFUSAL.test(error.message)
  ) {
    return undefined;
  }
  const configPath = ["deno.json", "deno.jsonc"].map((f) => `${root}/${f}`).find((f) => {
    try {
      return Deno.statSync(f).isFile;
    } catch {
      return false;
    }
  });
  return configPath ? refusalError({ root, configPath }, error) : undefined;
}

function refusalError(project: { root: string; configPath: string }, cause?: Error): KmlfError {
  const config = readDenoConfig(project.configPath, []);
  const lock = config.lock;
  const frozen = typeof lock === "object" && lock !== null && (lock as { frozen?: unknown }).frozen === true;
  const fix = lockfileFix({ frozen });
  const said = cause ? `: ${cause.message.split("\n")[0]}` : " (Deno's message is above)";
  return new KmlfError(
    "cli/project-runtime-refused",
    `Deno could not start kmlf with the project's configuration in ${project.root}${said}`,
    {
      source: { file: project.configPath },
      hint:
        `${fix}; KMLF_PROJECT_RUNTIME=off runs with kmlf's own packages only, ignoring the project's deno.json`,
    },
  );
}
