/** How Mlflow datasets find the run they read from or write to. */
import { DatasetError, TrackingError } from "../../errors.ts";
import type { MlflowRunState } from "../run_state.ts";
import type { TrackingPort } from "../tracking_port.ts";

/**
 * The client and run id for a dataset: its own `run_id`, else the active run. Metric datasets never
 * create a run, so neither is an error naming the dataset. A `run_id` outside a tracked run (a script's
 * catalog) opens the store mlflow.yml names.
 *
 * @example
 * ```ts
 * const { client, runId } = await requireRun(state, undefined, "metrics");
 * ```
 */
export async function requireRun(
  state: MlflowRunState,
  runId: string | undefined,
  name: string,
): Promise<{ client: TrackingPort; runId: string }> {
  const id = runId ?? state.runId;
  if (!id) {
    throw new DatasetError(
      "mlflow/no-active-run",
      `Dataset "${name}" needs an MLflow run, but none is active and it has no run_id`,
      {
        hint: "set run_id on the catalog entry to use a past run, or save it from a node of a tracked run " +
          "(kmlf run / session.run() with conf/<env>/mlflow.yml: kmlf mlflow init)",
      },
    );
  }
  const client = await state.storeClient();
  if (!client) {
    throw new DatasetError(
      "mlflow/no-tracking-store",
      `Dataset "${name}" uses run ${id}, but no tracking store is configured`,
      { hint: "add conf/<env>/mlflow.yml (kmlf mlflow init) naming the store that holds the run" },
    );
  }
  return { client, runId: id };
}

/**
 * Runs `work` against the run a dataset's `run_id` names; a run or artifact the store does not have
 * becomes an error of the dataset saying which key to fix (the store's own words are kept).
 *
 * @example
 * ```ts
 * const value = await onDatasetRun("metrics", options.runId, () => client.getMetricHistory(runId, key));
 * ```
 */
export async function onDatasetRun<T>(
  name: string,
  runId: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (
      !runId || !(error instanceof TrackingError) || error.code !== "RESOURCE_DOES_NOT_EXIST" || error.hint
    ) {
      throw error;
    }
    const noRun = error.message.includes(runId) && /\brun\b/i.test(error.message) &&
      !/artifact/i.test(error.message);
    throw new DatasetError("RESOURCE_DOES_NOT_EXIST", error.message, {
      hint: noRun
        ? `run_id of "${name}" names no run of this tracking store: copy a run id from \`kmlf mlflow ui\`, ` +
          "check server.mlflow_tracking_uri in mlflow.yml, or remove run_id to use the pipeline's run"
        : `the run ${runId} has no such artifact: check artifact_path of "${name}" and the file name of its ` +
          "dataset (the artifact is <artifact_path>/<file name>)",
      cause: error,
    });
  }
}
