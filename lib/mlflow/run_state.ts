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
  /** Why logging is off, for the datasets' notes: no mlflow.yml, disable_tracking.pipelines, disabled hooks. */
  loggingOffReason = "tracking is disabled for this pipeline";
  /** Human-readable notes from the datasets (a model logged, a model not logged and why). */
  notify?: (message: string) => void;
  /**
   * Opens the store mlflow.yml names (undefined without mlflow.yml), for datasets used outside a tracked run:
   * a script's `session.catalog()` loading a past run's artifact or metric (kedro-mlflow's interactive use).
   */
  openStore?: () => Promise<TrackingPort | undefined>;
  #store?: Promise<TrackingPort | undefined>;

  activate(client: TrackingPort, runId: string): void {
    this.client = client;
    this.runId = runId;
    this.loggingEnabled = true;
  }

  /** Turns logging off, saying why (the reason ends the notes of the datasets that then only save locally). */
  disableLogging(reason: string): void {
    this.loggingEnabled = false;
    this.loggingOffReason = reason;
  }

  deactivate(): void {
    this.runId = undefined;
  }

  /**
   * The active run's client, else the project's store, opened once on first use (outside a tracked run);
   * undefined when neither exists.
   */
  async storeClient(): Promise<TrackingPort | undefined> {
    if (this.client) return this.client;
    if (!this.openStore) return undefined;
    this.#store ??= this.openStore();
    try {
      return await this.#store;
    } catch (error) {
      this.#store = undefined; // a store that failed to open is tried again by the next call
      throw error;
    }
  }
}
