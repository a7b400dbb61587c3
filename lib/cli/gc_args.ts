/**
 * `kmlf gc`'s arguments, checked before any store is opened: MLflow's `--older-than` duration syntax,
 * the comma-separated id lists, and `--tracking-uri` (in MLflow 2.17.2 the server whose artifact proxy
 * serves `mlflow-artifacts:` runs, not the store).
 *
 * @module
 */
import { UsageError } from "../errors.ts";

/** The flags of `kmlf gc`, as commander gives them. */
export interface GcFlags {
  olderThan?: string;
  backendStoreUri?: string;
  artifactsDestination?: string;
  runIds?: string;
  experimentIds?: string;
  trackingUri?: string;
  project?: string;
  env?: string;
}

/** The checked arguments. */
export interface GcArgs {
  /** `--older-than` as given (for messages) and in ms; undefined without the flag. */
  olderThan?: { text: string; ms: number };
  runIds?: string[];
  experimentIds?: string[];
  /** An http(s) tracking server for `mlflow-artifacts:` artifacts. */
  trackingUri?: string;
}

// MLflow's regex (mlflow/cli.py `gc`): each unit optional, in this order, digits and dots.
const DURATION = /^(?:([.\d]+?)d)?(?:([.\d]+?)h)?(?:([.\d]+?)m)?(?:([.\d]+?)s)?$/;
const UNIT_SECONDS = [86_400, 3_600, 60, 1];
const DURATION_HINT = "write days, hours, minutes and seconds in that order (#d#h#m#s), e.g. " +
  "--older-than 30d, --older-than 1d2h3m4s or --older-than 1.5h";

/**
 * `--older-than` in milliseconds, as MLflow computes it (`timedelta(...).total_seconds() * 1000`).
 *
 * @example
 * ```ts
 * parseOlderThan("1d2h3m4s"); // 93784000
 * ```
 */
export function parseOlderThan(text: string): number {
  const parts = text.match(DURATION);
  if (!parts || text === "") {
    throw new UsageError(
      "cli/gc-older-than",
      `Cannot parse --older-than '${text}': ` +
        (text === "" ? "it is empty" : "expected a duration like 8h, 2d8h5m20s or 2m4s"),
      { hint: DURATION_HINT },
    );
  }
  let seconds = 0;
  for (const [i, value] of parts.slice(1).entries()) {
    if (value === undefined) continue;
    // MLflow's float() refuses "1.2.3" and "." with a Python traceback; here it is a usage error.
    if (!/^(?:\d+\.?\d*|\.\d+)$/.test(value)) {
      throw new UsageError(
        "cli/gc-older-than",
        `Cannot parse --older-than '${text}': '${value}' is not a number`,
        { hint: DURATION_HINT },
      );
    }
    seconds += Number(value) * UNIT_SECONDS[i];
  }
  return Math.trunc(seconds * 1000);
}

// MLflow splits on "," as given; spaces around ids and empty items (a trailing comma) are dropped here.
function idList(text: string | undefined, flag: string, example: string): string[] | undefined {
  if (text === undefined) return undefined;
  const ids = text.split(",").map((id) => id.trim()).filter((id) => id !== "");
  if (ids.length === 0) {
    throw new UsageError("cli/gc-ids", `${flag} is empty`, {
      hint:
        `give comma-separated ids, e.g. ${flag} ${example}, or drop the flag to collect every deleted one`,
    });
  }
  return [...new Set(ids)];
}

/**
 * Checks the flags that need no store; `env` gives `MLFLOW_TRACKING_URI`, `--tracking-uri`'s default.
 *
 * @example
 * ```ts
 * parseGcArgs({ olderThan: "30d", runIds: "a1,b2" }, () => undefined);
 * ```
 */
export function parseGcArgs(flags: GcFlags, env: (name: string) => string | undefined): GcArgs {
  const olderThan = flags.olderThan === undefined
    ? undefined
    : { text: flags.olderThan, ms: parseOlderThan(flags.olderThan) };
  const runIds = idList(flags.runIds, "--run-ids", "0a1b…,9f8e…");
  const experimentIds = idList(flags.experimentIds, "--experiment-ids", "3,7");
  for (const id of experimentIds ?? []) {
    if (!/^\d+$/.test(id)) {
      throw new UsageError("cli/gc-ids", `--experiment-ids: '${id}' is not an experiment id`, {
        hint:
          "experiment ids are numbers (see `kmlf mlflow ui` or the experiment's page), e.g. --experiment-ids 3,7",
      });
    }
  }
  for (const id of runIds ?? []) {
    if (!/^[a-zA-Z0-9][\w-]{0,255}$/.test(id)) {
      throw new UsageError("cli/gc-ids", `--run-ids: '${id}' is not a run id`, {
        hint: "run ids are 32 hex characters (a run page's 'Run ID'), comma-separated",
      });
    }
  }
  let trackingUri = flags.trackingUri;
  if (trackingUri !== undefined && !/^https?:\/\/[^/]/i.test(trackingUri)) {
    throw new UsageError(
      "cli/gc-tracking-uri",
      `--tracking-uri '${trackingUri}' is not an http(s) URL: in \`mlflow gc\` it names the tracking server ` +
        "whose artifact proxy holds mlflow-artifacts:/ artifacts",
      {
        hint:
          "choose the store with --backend-store-uri; give --tracking-uri http://<host>:<port> only for proxied artifacts",
      },
    );
  }
  // MLFLOW_TRACKING_URI is --tracking-uri's default in MLflow; kmlf also reads it as a store URI, so only a server URL counts.
  if (trackingUri === undefined) {
    const fromEnv = env("MLFLOW_TRACKING_URI");
    if (fromEnv && /^https?:\/\/[^/]/i.test(fromEnv)) trackingUri = fromEnv;
  }
  return { olderThan, runIds, experimentIds, trackingUri };
}
