/**
 * kedro-mlflow logs to `./mlruns` when `server.mlflow_tracking_uri` is null (and MLFLOW_TRACKING_URI unset);
 * kmlf logs to `mlflow.db`. A project moved over with its `mlruns/` would see its old runs vanish from
 * `kmlf mlflow ui` and new ones land elsewhere, silently: this says so, with the one-line fix.
 */
import { formatLocation } from "../errors.ts";
import { join } from "../path.ts";
import type { MlflowConfig } from "./mlflow_config.ts";

/**
 * A note when the default store is in use while the project root holds an MLflow file store `mlruns/` (a
 * folder with at least one experiment's `meta.yaml`); undefined otherwise.
 *
 * @example
 * ```ts
 * mlrunsLeftBehindNote(config, undefined, "/p"); // "Note: runs of this project go to mlflow.db, …"
 * ```
 */
export function mlrunsLeftBehindNote(
  config: MlflowConfig | undefined,
  envUri: string | undefined,
  projectRoot: string,
): string | undefined {
  if (envUri || (config && config.server.trackingUri !== null)) return undefined;
  if (!holdsExperiments(join(projectRoot, "mlruns"))) return undefined;
  const at = config && formatLocation(config.locate(["server", "mlflow_tracking_uri"]), projectRoot);
  const why = config ? "mlflow.yml's server.mlflow_tracking_uri is null" : "there is no mlflow.yml";
  return `Note: runs of this project go to mlflow.db, kmlf's default store (${why}); the runs in mlruns/, ` +
    "where kedro-mlflow logs by default, are not " +
    "read. Set server.mlflow_tracking_uri: mlruns to keep tracking there (or mlflow.db to keep kmlf's store " +
    "and silence this note)" + (at ? `\n  at ${at}` : "");
}

function holdsExperiments(dir: string): boolean {
  try {
    for (const entry of Deno.readDirSync(dir)) {
      if (!entry.isDirectory || entry.name.startsWith(".")) continue;
      try {
        if (Deno.statSync(join(dir, entry.name, "meta.yaml")).isFile) return true;
      } catch {
        // not an experiment folder (models/, .trash/)
      }
    }
  } catch {
    // no mlruns/ (or unreadable): nothing to say
  }
  return false;
}
