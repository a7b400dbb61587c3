/**
 * `RestStore`: a `TrackingStore` that is a client of an MLflow tracking server's REST API 2.0
 * (`http(s)://` tracking URIs). It converts entities with `wire.ts` and sends what MLflow's Python
 * client sends (ids as strings, int64 as numbers, non-finite doubles as "NaN"/"Infinity", enums by
 * name). Names are checked before sending (keys, reads included, experiment names, metric fields, batch
 * limits), so mistakes fail with the same wording as the local stores; value lengths are left to the server,
 * which may truncate them (`MLFLOW_TRUNCATE_LONG_VALUES`).
 *
 * @module
 */
import { TrackingError } from "../../../errors.ts";
import type { DatasetInput, Experiment, Run, RunInfo } from "../../entities.ts";
import type { ArtifactRepository } from "../../artifacts/artifact_repository.ts";
import type {
  CreateExperimentOptions,
  CreateRunOptions,
  ExperimentsPage,
  LogBatch,
  MetricHistoryOptions,
  MetricHistoryPage,
  RunsPage,
  SearchExperimentsOptions,
  SearchRunsOptions,
  TrackingStore,
  UpdateRunOptions,
} from "../store.ts";
import {
  datasetInputToWire,
  experimentFromWire,
  type ExperimentWire,
  metricFromWire,
  metricToWire,
  type MetricWire,
  runFromWire,
  runInfoFromWire,
  type RunInfoWire,
  type RunWire,
} from "../../wire.ts";
import { recordToWire } from "../../wire_values.ts";
import { validateBatch } from "../../batch_validation.ts";
import {
  validateExperimentName,
  validatePageSize,
  validateRunStatus,
  validateRunTime,
} from "../../validation.ts";
import { validateKey } from "../../key_validation.ts";
import { refuseNul } from "../../nul_check.ts";
import { HttpClient, type HttpClientOptions } from "../../http_client.ts";
import { artifactRepositoryForRest } from "../../artifacts/http_repository.ts";
import { RestRegistry } from "./rest_registry.ts";
import { maskUriCredentials } from "../../../uri_credentials.ts";

/** Options of {@link RestStore}. */
export type RestStoreOptions = HttpClientOptions;

/** Page size the store asks for when following metric-history pages (MLflow's client uses 25000). */
export const METRIC_HISTORY_PAGE_SIZE = 25000;

const API = "/api/2.0/mlflow";

/**
 * A tracking store backed by an MLflow server.
 *
 * @example
 * ```ts
 * const store = new RestStore("http://127.0.0.1:5000");
 * const id = await store.createExperiment("iris");
 * const run = await store.createRun({ experimentId: id, runName: "baseline" });
 * await store.logBatch(run.info.runId, { params: [{ key: "C", value: "1.0" }] });
 * ```
 */
export class RestStore implements TrackingStore {
  readonly kind = "rest";
  readonly uri: string;
  /** The HTTP client (auth, retries, error mapping) shared with the artifact repositories. */
  readonly http: HttpClient;
  /** The server's model registry. */
  readonly registry: RestRegistry;
  #closed = false;

  constructor(uri: string, options: RestStoreOptions = {}) {
    this.uri = uri;
    this.http = new HttpClient(uri, options);
    this.registry = new RestRegistry((method, endpoint, message) => this.#call(method, endpoint, message));
  }

  async #call(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    endpoint: string,
    message: object = {},
  ): Promise<Record<string, unknown>> {
    if (this.#closed) {
      throw new TrackingError(
        "tracking/store-closed",
        `Cannot call ${endpoint} on ${maskUriCredentials(this.uri)}: the store is closed`,
        {
          hint: "open the store again (openStore(uri) or MlflowClient.open(uri)); close() it only when done",
        },
      );
    }
    return await this.http.callJson(method, `${API}${endpoint}`, message) as Record<string, unknown>;
  }

  // ---- experiments

  async createExperiment(name: string, options: CreateExperimentOptions = {}): Promise<string> {
    validateExperimentName(name);
    for (const [key, value] of Object.entries(options.tags ?? {})) {
      validateKey("tag", key);
      refuseNul("value", value);
    }
    const tags = recordToWire(options.tags ?? {});
    const body = await this.#call("POST", "/experiments/create", {
      name,
      ...(options.artifactLocation === undefined ? {} : { artifact_location: options.artifactLocation }),
      ...(tags.length ? { tags } : {}),
    });
    return String(body.experiment_id);
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const body = await this.#call("GET", "/experiments/get", { experiment_id: experimentId });
    return experimentFromWire(body.experiment as ExperimentWire);
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    // No experiment has such a name (every store refuses it on create), so the answer is the local
    // stores' "none" rather than the server's 400 for a missing or NUL-holding `experiment_name`.
    if (name === "" || name.includes("\0")) return undefined;
    try {
      const body = await this.#call("GET", "/experiments/get-by-name", { experiment_name: name });
      return experimentFromWire(body.experiment as ExperimentWire);
    } catch (error) {
      if (error instanceof TrackingError && error.code === "RESOURCE_DOES_NOT_EXIST") return undefined;
      throw error;
    }
  }

  async searchExperiments(options: SearchExperimentsOptions = {}): Promise<ExperimentsPage> {
    const body = await this.#call("POST", "/experiments/search", {
      max_results: options.maxResults ?? 1000,
      ...(options.pageToken ? { page_token: options.pageToken } : {}),
      ...(options.filter ? { filter: options.filter } : {}),
      ...(options.orderBy?.length ? { order_by: options.orderBy } : {}),
      view_type: options.viewType ?? "ACTIVE_ONLY",
    });
    const experiments = (body.experiments as ExperimentWire[] | undefined ?? []).map(experimentFromWire);
    return withToken({ experiments }, body.next_page_token);
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    validateExperimentName(newName, "new_name");
    await this.#call("POST", "/experiments/update", { experiment_id: experimentId, new_name: newName });
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    await this.#call("POST", "/experiments/delete", { experiment_id: experimentId });
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    await this.#call("POST", "/experiments/restore", { experiment_id: experimentId });
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    validateKey("tag", key);
    refuseNul("value", value);
    await this.#call("POST", "/experiments/set-experiment-tag", { experiment_id: experimentId, key, value });
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    validateKey("tag", key);
    await this.#call("POST", "/experiments/delete-experiment-tag", { experiment_id: experimentId, key });
  }

  // ---- runs

  async createRun(options: CreateRunOptions): Promise<Run> {
    // What every store refuses before writing, refused here in the local stores' words.
    for (const [key, value] of Object.entries(options.tags ?? {})) {
      validateKey("tag", key);
      refuseNul("value", value);
    }
    refuseNul("run_name", options.runName);
    refuseNul("user_id", options.userId);
    validateRunTime("start_time", options.startTime); // JSON would send NaN/Infinity as null: "now"
    const tags = recordToWire(options.tags ?? {});
    const body = await this.#call("POST", "/runs/create", {
      experiment_id: options.experimentId,
      user_id: options.userId ?? "",
      ...(options.runName === undefined ? {} : { run_name: options.runName }),
      start_time: options.startTime ?? Date.now(),
      ...(tags.length ? { tags } : {}),
    });
    return runFromWire(body.run as RunWire);
  }

  async getRun(runId: string): Promise<Run> {
    const body = await this.#call("GET", "/runs/get", { run_uuid: runId, run_id: runId });
    return runFromWire(body.run as RunWire);
  }

  async updateRun(runId: string, update: UpdateRunOptions): Promise<RunInfo> {
    refuseNul("run_name", update.runName);
    validateRunStatus(update.status); // MLflow's server would skip an unknown status and answer 200
    validateRunTime("end_time", update.endTime);
    const body = await this.#call("POST", "/runs/update", {
      run_uuid: runId,
      ...(update.status === undefined ? {} : { status: update.status }),
      ...(update.endTime === undefined ? {} : { end_time: update.endTime }),
      ...(update.runName === undefined ? {} : { run_name: update.runName }),
      run_id: runId,
    });
    return runInfoFromWire(body.run_info as RunInfoWire);
  }

  async deleteRun(runId: string): Promise<void> {
    await this.#call("POST", "/runs/delete", { run_id: runId });
  }

  async restoreRun(runId: string): Promise<void> {
    await this.#call("POST", "/runs/restore", { run_id: runId });
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    validateKey("tag", key);
    refuseNul("value", value);
    await this.#call("POST", "/runs/set-tag", { run_uuid: runId, key, value, run_id: runId });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    validateKey("tag", key);
    await this.#call("POST", "/runs/delete-tag", { run_id: runId, key });
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    // Limits, duplicate params, keys and metric fields; with truncation on, over-long values pass
    // (the result is discarded) and the original values go to the server, which owns that rule.
    validateBatch(batch, { truncateLongValues: true });
    const metrics = (batch.metrics ?? []).map(metricToWire);
    const params = (batch.params ?? []).map(({ key, value }) => ({ key, value }));
    const tags = (batch.tags ?? []).map(({ key, value }) => ({ key, value }));
    if (!batch.asBatch && params.length === 1 && !metrics.length && !tags.length) {
      // One param outside a batch (logParam) goes as MLflow's client sends log_param, so a changed
      // value is refused in log-param's words, as a local store words it.
      const [{ key, value }] = params;
      await this.#call("POST", "/runs/log-parameter", { run_uuid: runId, key, value, run_id: runId });
      return;
    }
    await this.#call("POST", "/runs/log-batch", {
      run_id: runId,
      ...(metrics.length ? { metrics } : {}),
      ...(params.length ? { params } : {}),
      ...(tags.length ? { tags } : {}),
    });
  }

  /**
   * One page when `maxResults` is given; otherwise every point, following `next_page_token` with
   * pages of {@link METRIC_HISTORY_PAGE_SIZE}.
   */
  async getMetricHistory(
    runId: string,
    key: string,
    options: MetricHistoryOptions = {},
  ): Promise<MetricHistoryPage> {
    validatePageSize(options.maxResults); // MLflow's server would ignore a bad size and send everything
    // No key check here: a SQL store answers an empty history for any key, a file store refuses a
    // path-like one itself (MLflow's servers do the same), and the key travels as a query value.
    const page = async (maxResults: number, pageToken: string | undefined) => {
      const body = await this.#call("GET", "/metrics/get-history", {
        run_uuid: runId,
        metric_key: key,
        run_id: runId,
        max_results: maxResults,
        ...(pageToken ? { page_token: pageToken } : {}),
      });
      const metrics = (body.metrics as MetricWire[] | undefined ?? []).map(metricFromWire);
      return withToken({ metrics }, body.next_page_token);
    };
    if (options.maxResults !== undefined) return await page(options.maxResults, options.pageToken);
    const all: MetricHistoryPage["metrics"] = [];
    let token = options.pageToken;
    do {
      const next = await page(METRIC_HISTORY_PAGE_SIZE, token);
      all.push(...next.metrics);
      token = next.nextPageToken;
    } while (token);
    return { metrics: all };
  }

  async searchRuns(options: SearchRunsOptions): Promise<RunsPage> {
    const body = await this.#call("POST", "/runs/search", {
      experiment_ids: options.experimentIds,
      ...(options.filter ? { filter: options.filter } : {}),
      run_view_type: options.runViewType ?? "ACTIVE_ONLY",
      max_results: options.maxResults ?? 1000,
      ...(options.orderBy?.length ? { order_by: options.orderBy } : {}),
      ...(options.pageToken ? { page_token: options.pageToken } : {}),
    });
    const runs = (body.runs as RunWire[] | undefined ?? []).map(runFromWire);
    return withToken({ runs }, body.next_page_token);
  }

  async logInputs(runId: string, datasets: readonly DatasetInput[]): Promise<void> {
    await this.#call("POST", "/runs/log-inputs", {
      run_id: runId,
      datasets: datasets.map(datasetInputToWire),
    });
  }

  // ---- artifacts and lifecycle

  /** `mlflow-artifacts:` and `http(s)://…/mlflow-artifacts/artifacts/…` through the server; local paths directly. */
  getArtifactRepository(artifactUri: string): ArtifactRepository {
    return artifactRepositoryForRest(artifactUri, this.http);
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }
}

function withToken<T extends object>(page: T, token: unknown): T & { nextPageToken?: string } {
  return typeof token === "string" && token !== "" ? { ...page, nextPageToken: token } : page;
}
