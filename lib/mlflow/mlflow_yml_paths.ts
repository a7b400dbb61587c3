/**
 * mlflow.yml's path-valued keys written for another machine (see lib/foreign_path.ts): the tracking and
 * registry URIs, `artifact_location`, the request header provider's module and `log_files` entries. MLflow
 * and kedro-mlflow keep `~/x`, `C:\x` and `\\server\share` as written, which off Windows names a folder in the
 * project, never the one meant; kmlf refuses each at its line, all together.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { foreignPath, localPathOf, MLFLOW_PATHS } from "../foreign_path.ts";
import type { KeyPath } from "../yaml/parse_yaml.ts";
import { localUriProblem, writtenLocalLocationProblem } from "../tracking/artifacts/local_uri.ts";

/** The keys of a validated mlflow.yml this module reads. */
export interface MlflowYmlPathKeys {
  server: {
    mlflow_tracking_uri?: string | null;
    mlflow_registry_uri?: string | null;
    request_header_provider: { type?: string | null };
  };
  tracking: {
    experiment: { create_experiment_kwargs: { artifact_location?: string | null } };
    log_files: { before?: string[] | null; after?: string[] | null };
  };
}

/**
 * Every path-valued mlflow.yml key written for another machine, as `mlflow/config-invalid` errors located
 * at its value.
 *
 * @example
 * ```ts
 * foreignMlflowYmlPaths(raw, loaded.locate); // [] when every path is this machine's
 * ```
 */
export function foreignMlflowYmlPaths(
  raw: MlflowYmlPathKeys,
  locate: (path: KeyPath) => ConfigError["source"],
): ConfigError[] {
  const { server, tracking } = raw;
  const logFiles = tracking.log_files;
  const checks: [KeyPath, string | null | undefined, string | undefined][] = [
    [["server", "mlflow_tracking_uri"], server.mlflow_tracking_uri, undefined],
    [["server", "mlflow_registry_uri"], server.mlflow_registry_uri, undefined],
    [
      ["tracking", "experiment", "create_experiment_kwargs", "artifact_location"],
      tracking.experiment.create_experiment_kwargs.artifact_location,
      undefined,
    ],
    // The module before `#`, relative to the project root.
    [
      ["server", "request_header_provider", "type"],
      server.request_header_provider.type?.split("#")[0],
      "the module",
    ],
    ...(["before", "after"] as const).flatMap((when) =>
      (logFiles[when] ?? []).map((entry, i): [KeyPath, string, string | undefined] => [
        ["tracking", "log_files", when, i],
        entry,
        // `\` escapes a glob's letters: a character class ([*]) matches one as well.
        entry.includes("\\") ? "(to match * ? [ literally, write [*] [?] [[])" : undefined,
      ])
    ),
  ];
  return checks.flatMap(([keyPath, value, note]) => {
    const path = typeof value === "string" ? localPathOf(value) : undefined;
    const foreign = (path === undefined ? undefined : foreignPath(path, MLFLOW_PATHS)) ??
      // An experiment's location follows the rule of every written artifact location (file://host/x, file:).
      (keyPath.at(-1) === "artifact_location" && typeof value === "string"
        ? writtenLocalLocationProblem(value)
        : undefined) ??
      // A store's file: URI naming another host, a `%2F` or a NUL is refused when the store opens, but
      // without its line: here at it (a relative `file:mlruns` is a store's folder, unlike a location's).
      (keyPath[0] === "server" && /^file:/.test(value ?? "") ? localUriProblem(value!) : undefined);
    if (!foreign) return [];
    const key = keyPath.map((k) => typeof k === "number" ? `[${k}]` : `.${k}`).join("").slice(1);
    const what = note === "the module" ? `${key} module "${path}"` : `${key} "${value}"`;
    const hint = note && note !== "the module" ? `${foreign.hint} ${note}` : foreign.hint;
    return [
      new ConfigError("mlflow/config-invalid", `Cannot use mlflow.yml ${what}: ${foreign.problem}`, {
        source: locate(keyPath),
        hint,
      }),
    ];
  });
}
