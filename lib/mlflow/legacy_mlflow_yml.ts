/**
 * kedro-mlflow 0.7's `mlflow.yml` layout (`mlflow_tracking_uri`, `experiment`, `hooks.node` at the top, as the
 * 0.7 documentation shows it), recognised so that each key says where it lives now instead of being an
 * unknown key with no guidance.
 *
 * @module
 */
import { ConfigError, type SourceLocation } from "../errors.ts";
import type { KeyPath } from "../yaml/parse_yaml.ts";

// 0.7 key path → where kedro-mlflow ≥ 0.8 (and kmlf) reads it.
const MOVED: ReadonlyArray<[KeyPath, string]> = [
  [["mlflow_tracking_uri"], "server.mlflow_tracking_uri"],
  [["credentials"], "server.credentials"],
  [["disable_tracking"], "tracking.disable_tracking"],
  [["experiment"], "tracking.experiment"],
  [["run"], "tracking.run"],
  [["hooks", "node", "flatten_dict_params"], "tracking.params.dict_params.flatten"],
  [["hooks", "node", "recursive"], "tracking.params.dict_params.recursive"],
  [["hooks", "node", "sep"], "tracking.params.dict_params.sep"],
  [["hooks", "node", "long_parameters_strategy"], "tracking.params.long_params_strategy"],
];

const NOTES: Readonly<Record<string, string>> = {
  "tracking.experiment":
    " (drop its `create: True`: a missing experiment is always created; restore_if_deleted is new)",
};

/**
 * One error per key of kedro-mlflow 0.7's layout found in `data`, naming its new place.
 *
 * @example
 * ```ts
 * legacyLayoutErrors({ mlflow_tracking_uri: "mlruns" }, () => undefined)[0].message;
 * // 'mlflow.yml key "mlflow_tracking_uri" is kedro-mlflow 0.7\'s: it is now "server.mlflow_tracking_uri"'
 * ```
 */
export function legacyLayoutErrors(
  data: Record<string, unknown>,
  locate: (path: KeyPath) => SourceLocation | undefined,
): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const [path, now] of MOVED) {
    if (!has(data, path)) continue;
    const old = path.join(".");
    errors.push(
      new ConfigError(
        "mlflow/config-invalid",
        `mlflow.yml key "${old}" is kedro-mlflow 0.7's: it is now "${now}"`,
        {
          source: locate(path) ?? { keyPath: old },
          hint: `move it to ${now}${NOTES[now] ?? ""}, or rewrite the file with \`kmlf mlflow init --force\``,
        },
      ),
    );
  }
  return errors;
}

function has(data: unknown, path: KeyPath): boolean {
  let at = data;
  for (const key of path) {
    if (at === null || typeof at !== "object" || Array.isArray(at) || !Object.hasOwn(at, key)) return false;
    at = (at as Record<string, unknown>)[String(key)];
  }
  return true;
}
