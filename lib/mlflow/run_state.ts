/** What the tracking hook shares with the Mlflow datasets during one `kmlf run`. */
import type { TrackingPort } from "./tracking_port.ts";

/**
 * The active run, if any. Metric datasets never create a run: without one (and without a `run_id`)
 * they fail with a clear error; artifact datasets then only save locally.
 *
 * @example
 * ```ts
 * const state = new MlflowRunState();
 * state.activate(client, "abc123");
 * ```
 */
export class MlflowRunState {
  client?: TrackingPort;
  runId?: string;
  /** Off for pipelines listed in disable_tracking.pipelines: Mlflow datasets then only do local I/O. */
  loggingEnabled = true;
  /** Human-readable notes from the datasets (a model logged, a model not logged and why). */
  notify?: (message: string) => void;

  activate(client: TrackingPort, runId: string): void {
    this.client = client;
    this.runId = runId;
    this.loggingEnabled = true;
  }

  deactivate(): void {
    this.runId = undefined;
  }
}
