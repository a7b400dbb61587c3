/** How Mlflow datasets find the run they read from or write to. */
import { DatasetError } from "../../errors.ts";
import type { MlflowRunState } from "../run_state.ts";
import type { TrackingPort } from "../tracking_port.ts";

/**
 * The client and run id for a dataset: its own `run_id`, else the active run. Metric datasets never
 * create a run, so neither is an error naming the dataset.
 *
 * @example
 * ```ts
 * const { client, runId } = requireRun(state, undefined, "metrics");
 * ```
 */
export function requireRun(
  state: MlflowRunState,
  runId: string | undefined,
  name: string,
): { client: TrackingPort; runId: string } {
  const id = runId ?? state.runId;
  if (!state.client || !id) {
    throw new DatasetError(
      "mlflow/no-active-run",
      `Dataset "${name}" needs an MLflow run, but none is active and it has no run_id`,
      {
        hint: state.client
          ? "set run_id on the catalog entry to read from a past run, or run the pipeline with tracking enabled"
          : "add conf/<env>/mlflow.yml (kmlf mlflow init) so kmlf run tracks runs, or set run_id on the catalog entry",
      },
    );
  }
  return { client: state.client, runId: id };
}
