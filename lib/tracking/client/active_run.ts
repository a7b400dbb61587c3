/**
 * `ActiveRun`: a run being recorded by code, with metric logging buffered into batches of up to
 * 1000 points (sent in the background as the buffer fills, and on `flush()` / `end()`), so logging
 * 100,000 points costs 100 store calls instead of 100,000.
 *
 * @module
 */
import { TrackingError } from "../../errors.ts";
import type { FileInfo, Metric, Run, RunInfo, RunStatus } from "../entities.ts";
import type { KeyValueInput } from "./client_options.ts";
import type { TrackingStore } from "../stores/store.ts";
import { type HookedRun, unwatchRun, watchRun } from "./process_hooks.ts";
import { recordArgument, statusArgument } from "./_arguments.ts";
import { LIMITS } from "../limits.ts";
import { validateMetric } from "../batch_validation.ts";

/** Options of one metric point. */
export interface MetricOptions {
  /** Default 0. */
  step?: number;
  /** ms since the epoch; default now. */
  timestamp?: number;
}

/**
 * What an `ActiveRun` needs of its client (`MlflowClient` implements it). A port rather than the class
 * itself, so the client module and this one do not import each other.
 */
export interface RunClient {
  readonly store: Pick<TrackingStore, "logBatch">;
  logParam(runId: string, key: string, value: unknown): Promise<void>;
  logParams(runId: string, params: Record<string, unknown>): Promise<void>;
  setTag(runId: string, key: string, value: string): Promise<void>;
  setTags(runId: string, tags: KeyValueInput): Promise<void>;
  logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void>;
  logArtifacts(runId: string, localDir: string, artifactPath?: string): Promise<void>;
  logText(runId: string, text: string, artifactFile: string): Promise<void>;
  logDict(runId: string, dict: unknown, artifactFile: string): Promise<void>;
  listArtifacts(runId: string, path?: string, options?: { recursive?: boolean }): Promise<FileInfo[]>;
  setTerminated(runId: string, status?: RunStatus): Promise<void>;
}

/**
 * A started run. Metrics are buffered; params, tags and artifacts are written immediately.
 *
 * @example
 * ```ts
 * const run = await client.startRun({ experimentId, runName: "train" });
 * for (let step = 0; step < 100; step++) run.logMetric("loss", 1 / (step + 1), { step });
 * await run.end(); // flushes, then marks the run FINISHED
 * ```
 */
export class ActiveRun implements HookedRun {
  /** The run's id (MLflow's `run_id`). */
  readonly runId: string;
  /** The id of the experiment the run belongs to. */
  readonly experimentId: string;
  /** The run's info when it started. */
  readonly info: RunInfo;
  readonly #client: RunClient;
  readonly #onEnd: (run: ActiveRun) => void;
  readonly #innerRuns: (run: ActiveRun) => readonly ActiveRun[];
  #buffer: Metric[] = [];
  #draining: Promise<void> | undefined;
  #error: unknown;
  #ended = false;
  #ending: Promise<void> | undefined;
  #terminated = false;

  /**
   * Made by {@link MlflowClient.startRun}; not meant to be called directly.
   * @ignore
   */
  constructor(
    client: RunClient,
    run: Run,
    options: {
      processHooks: boolean;
      onEnd: (run: ActiveRun) => void;
      /** The runs started inside this one (nested) and still active, outermost first. */
      innerRuns?: (run: ActiveRun) => readonly ActiveRun[];
    },
  ) {
    this.#client = client;
    this.info = run.info;
    this.runId = run.info.runId;
    this.experimentId = run.info.experimentId;
    this.#onEnd = options.onEnd;
    this.#innerRuns = options.innerRuns ?? (() => []);
    if (options.processHooks) watchRun(this);
  }

  /** Whether `end()` was called. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Points buffered but not yet written. */
  get pendingMetrics(): number {
    return this.#buffer.length;
  }

  /**
   * Buffers one metric point (validated now, written in a batch later).
   *
   * @example
   * ```ts
   * run.logMetric("val/loss", 0.25, { step: 3 });
   * ```
   */
  logMetric(key: string, value: number, options: MetricOptions = {}): void {
    this.#checkOpen();
    const metric = { key, value, timestamp: options.timestamp ?? Date.now(), step: options.step ?? 0 };
    validateMetric(metric);
    this.#buffer.push(metric);
    if (this.#buffer.length >= LIMITS.metricsPerBatch && !this.#draining) {
      this.#draining = this.#drain().finally(() => (this.#draining = undefined));
    }
  }

  /** Buffers several metrics with the same step and timestamp. */
  logMetrics(metrics: Record<string, number>, options: MetricOptions = {}): void {
    const timestamp = options.timestamp ?? Date.now();
    const record = recordArgument(metrics, "metrics", "logMetrics", "{ accuracy: 0.93 }");
    for (const [key, value] of Object.entries(record)) this.logMetric(key, value, { ...options, timestamp });
  }

  /** Logs one param now. */
  logParam(key: string, value: unknown): Promise<void> {
    this.#checkOpen();
    return this.#client.logParam(this.runId, key, value);
  }

  /** Logs params now. */
  logParams(params: Record<string, unknown>): Promise<void> {
    this.#checkOpen();
    return this.#client.logParams(this.runId, params);
  }

  /** Sets one tag now. */
  setTag(key: string, value: string): Promise<void> {
    this.#checkOpen();
    return this.#client.setTag(this.runId, key, value);
  }

  /** Sets tags now. */
  setTags(tags: KeyValueInput): Promise<void> {
    this.#checkOpen();
    return this.#client.setTags(this.runId, tags);
  }

  /** Copies a local file into the run's artifacts. */
  logArtifact(localPath: string, artifactPath?: string): Promise<void> {
    return this.#client.logArtifact(this.runId, localPath, artifactPath);
  }

  /** Copies a local directory's contents into the run's artifacts. */
  logArtifacts(localDir: string, artifactPath?: string): Promise<void> {
    return this.#client.logArtifacts(this.runId, localDir, artifactPath);
  }

  /** Writes text as an artifact file. */
  logText(text: string, artifactFile: string): Promise<void> {
    return this.#client.logText(this.runId, text, artifactFile);
  }

  /** Writes a dictionary as JSON or YAML (by extension). */
  logDict(dict: unknown, artifactFile: string): Promise<void> {
    return this.#client.logDict(this.runId, dict, artifactFile);
  }

  /** Lists the run's artifacts. */
  listArtifacts(path?: string, options?: { recursive?: boolean }): Promise<FileInfo[]> {
    return this.#client.listArtifacts(this.runId, path, options);
  }

  /** Writes every buffered metric; throws the store's error if a batch cannot be written (data is kept). */
  async flush(): Promise<void> {
    if (this.#draining) await this.#draining;
    this.#error = undefined;
    await this.#drain();
    if (this.#buffer.length > 0) {
      const error = this.#error;
      this.#error = undefined;
      throw error;
    }
  }

  /**
   * Ends the runs started inside this one that are still active (innermost first, with the same status, as
   * MLflow's `end_run` ends the innermost run), then flushes and ends this run with `status` (default
   * FINISHED). If the flush fails the run is marked FAILED and the error is thrown. A run ends once: calls
   * made while or after it ends (a signal's KILLED racing the code's FINISHED) share the first ending.
   */
  end(status: RunStatus = "FINISHED"): Promise<void> {
    // A wrong status is refused before anything happens, so the run can still be ended.
    try {
      statusArgument(status, "setTerminated (through ActiveRun.end)");
    } catch (error) {
      return Promise.reject(error);
    }
    this.#ending ??= this.#end(status).catch((error) => {
      // The store did not take the end status: a later end() tries again (it is not ended yet).
      if (!this.#terminated) this.#ending = undefined;
      throw error;
    });
    return this.#ending;
  }

  /** Flushes and ends the run, swallowing errors (used on signals and at exit). */
  async endQuietly(status: "FINISHED" | "FAILED" | "KILLED"): Promise<void> {
    await this.end(status).catch(() => {});
  }

  async #end(status: RunStatus): Promise<void> {
    this.#ended = true; // nothing more is buffered while the run ends
    let innerError: unknown;
    for (const inner of [...this.#innerRuns(this)].reverse()) {
      await inner.end(status).catch((error) => (innerError ??= error));
    }
    try {
      await this.flush();
    } catch (error) {
      await this.#finish("FAILED").catch(() => {});
      throw error;
    }
    await this.#finish(status);
    if (innerError !== undefined) throw innerError;
  }

  async #finish(status: RunStatus): Promise<void> {
    unwatchRun(this);
    this.#onEnd(this);
    await this.#client.setTerminated(this.runId, status);
    this.#terminated = true;
  }

  // Sends the buffer in batches; a failure leaves the unsent points in the buffer and is recorded.
  async #drain(): Promise<void> {
    while (this.#buffer.length > 0) {
      // Take the whole buffer (points logged meanwhile go to a fresh one), then send it in batches.
      const taken = this.#buffer;
      this.#buffer = [];
      let sent = 0;
      try {
        for (; sent < taken.length; sent += LIMITS.metricsPerBatch) {
          await this.#client.store.logBatch(this.runId, {
            metrics: taken.slice(sent, sent + LIMITS.metricsPerBatch),
          });
        }
      } catch (error) {
        this.#error = error;
        this.#buffer = [...taken.slice(sent), ...this.#buffer];
        return;
      }
    }
  }

  #checkOpen(): void {
    if (this.#ended) {
      throw new TrackingError("tracking/run-ended", `Cannot log to run ${this.runId}: it has ended`, {
        hint: "start a new run, or resume this one with startRun({ runId })",
      });
    }
  }
}
