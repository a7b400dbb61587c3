/**
 * kedro-mlflow's metric datasets: one value (MlflowMetricDataset), one metric's history
 * (MlflowMetricHistoryDataset), and several metrics with histories (MlflowMetricsHistoryDataset).
 */
import { DatasetError } from "../../errors.ts";
import { clonePlain } from "../../plain_copy.ts";
import type { Dataset } from "../../catalog/mod.ts";
import type { MlflowRunState } from "../run_state.ts";
import type { MetricPoint } from "../tracking_port.ts";
import { onDatasetRun, requireRun } from "./run_access.ts";

/** Options shared by the metric datasets. */
export interface MetricDatasetOptions {
  name: string;
  state: MlflowRunState;
  runId?: string;
  loadArgs?: Record<string, unknown>;
  saveArgs?: Record<string, unknown>;
}

/**
 * A single metric value. `save_args.mode`: `overwrite` (same step as the last point, default) or
 * `append` (next step); `save_args.step` forces a step, `save_args.timestamp` the time (as kedro-mlflow
 * passes it to `log_metric`). `load_args.step` reads the value at a step.
 *
 * @example
 * ```ts
 * await new MlflowMetricDataset({ name: "accuracy", key: "accuracy", state }).save(0.93);
 * ```
 */
export class MlflowMetricDataset implements Dataset<number> {
  readonly key: string;
  constructor(readonly options: MetricDatasetOptions & { key: string }) {
    this.key = options.key;
    const mode = options.saveArgs?.mode;
    if (mode !== undefined && mode !== "overwrite" && mode !== "append") {
      throw new DatasetError(
        "mlflow/bad-mode",
        `save_args.mode must be one of overwrite, append; got "${String(mode)}"`,
        { hint: "use overwrite or append" },
      );
    }
  }

  load(): Promise<number> {
    return onDatasetRun(this.options.name, this.options.runId, () => this.#load());
  }

  async #load(): Promise<number> {
    const { client, runId } = await requireRun(this.options.state, this.options.runId, this.options.name);
    const history = await client.getMetricHistory(runId, this.key);
    const step = this.options.loadArgs?.step;
    const points = step === undefined ? history : history.filter((p) => p.step === step);
    if (points.length === 0) {
      throw new DatasetError(
        "mlflow/metric-not-found",
        `Run ${runId} has no metric "${this.key}"${step === undefined ? "" : ` at step ${step}`}`,
        {
          hint: "check the key (it defaults to the catalog name) and the run_id",
        },
      );
    }
    return points[points.length - 1].value;
  }

  save(value: number): Promise<void> {
    return onDatasetRun(this.options.name, this.options.runId, () => this.#save(value));
  }

  async #save(value: number): Promise<void> {
    if (!this.options.state.loggingEnabled) return;
    if (typeof value !== "number") {
      throw new DatasetError(
        "mlflow/not-a-number",
        `MlflowMetricDataset "${this.options.name}" saves a number, got ${typeof value}`,
        { hint: "return a number from the node" },
      );
    }
    const { client, runId } = await requireRun(this.options.state, this.options.runId, this.options.name);
    let step = this.options.saveArgs?.step as number | undefined;
    if (step === undefined) {
      // A loop, not Math.max(...steps): spreading a history past ~125,000 points overflows the stack.
      const history = await client.getMetricHistory(runId, this.key);
      const last = history.reduce((max, p) => Math.max(max, p.step), -Infinity);
      step = history.length === 0 ? 0 : this.options.saveArgs?.mode === "append" ? last + 1 : last;
    }
    const timestamp = (this.options.saveArgs?.timestamp as number | undefined) ?? Date.now();
    await client.logBatch(runId, { metrics: [{ key: this.key, value, step, timestamp }] });
  }

  async exists(): Promise<boolean> {
    const state = this.options.state;
    const id = this.options.runId ?? state.runId;
    const client = id ? await state.storeClient() : undefined;
    if (!client || !id) return false;
    return this.key in (await client.getRun(id)).data.metrics;
  }

  describe(): Record<string, unknown> {
    return { key: this.key, run_id: this.options.runId ?? null };
  }
}

type HistoryMode = "list" | "dict" | "history";

/**
 * One metric's history. Modes (separately for load and save): `list` ([v0, v1, …] at steps 0..n),
 * `dict` ({step: value}), `history` ([{step, value, timestamp}]).
 *
 * @example
 * ```ts
 * await new MlflowMetricHistoryDataset({ name: "loss", key: "loss", state }).save([0.9, 0.5, 0.3]);
 * ```
 */
export class MlflowMetricHistoryDataset implements Dataset<unknown> {
  readonly key: string;
  constructor(readonly options: MetricDatasetOptions & { key: string }) {
    this.key = options.key;
    for (
      const [where, mode] of [["load_args", options.loadArgs?.mode], [
        "save_args",
        options.saveArgs?.mode,
      ]] as const
    ) {
      if (mode !== undefined && !["list", "dict", "history"].includes(String(mode))) {
        throw new DatasetError(
          "mlflow/bad-mode",
          `${where}.mode must be one of list, dict, history; got "${String(mode)}"`,
          { hint: "use list, dict or history" },
        );
      }
    }
  }

  load(): Promise<unknown> {
    return onDatasetRun(this.options.name, this.options.runId, () => this.#load());
  }

  async #load(): Promise<unknown> {
    const { client, runId } = await requireRun(this.options.state, this.options.runId, this.options.name);
    const history = await client.getMetricHistory(runId, this.key);
    const mode = (this.options.loadArgs?.mode ?? "list") as HistoryMode;
    if (mode === "list") return history.map((p) => p.value);
    if (mode === "dict") return Object.fromEntries(history.map((p) => [p.step, p.value]));
    return history.map((p) => ({ step: p.step, value: p.value, timestamp: p.timestamp }));
  }

  save(data: unknown): Promise<void> {
    return onDatasetRun(this.options.name, this.options.runId, () => this.#save(data));
  }

  async #save(data: unknown): Promise<void> {
    if (!this.options.state.loggingEnabled) return;
    const { client, runId } = await requireRun(this.options.state, this.options.runId, this.options.name);
    const mode = (this.options.saveArgs?.mode ?? "list") as HistoryMode;
    const now = Date.now();
    const bad = () =>
      new DatasetError(
        "mlflow/bad-history",
        `MlflowMetricHistoryDataset "${this.options.name}" (mode ${mode}) cannot save ${
          JSON.stringify(data)?.slice(0, 80)
        }`,
        {
          hint: mode === "list"
            ? "return an array of numbers"
            : mode === "dict"
            ? "return {step: value}"
            : "return [{step, value, timestamp?}]",
        },
      );
    let points: MetricPoint[];
    if (mode === "list") {
      if (!Array.isArray(data)) throw bad();
      points = data.map((value, step) => ({ key: this.key, value, step, timestamp: now }));
    } else if (mode === "dict") {
      if (!data || typeof data !== "object" || Array.isArray(data)) throw bad();
      points = Object.entries(data).map(([step, value]) => ({
        key: this.key,
        value,
        step: Number(step),
        timestamp: now,
      }));
    } else {
      if (!Array.isArray(data) || !data.every((p) => p !== null && typeof p === "object")) throw bad();
      points = data.map((p: { step?: number; value: number; timestamp?: number }) => ({
        key: this.key,
        value: p.value,
        step: p.step ?? 0,
        timestamp: p.timestamp ?? now,
      }));
    }
    // No coercion: a string or null in the history is refused, not logged as NaN or 0.
    if (points.some((p) => typeof p.value !== "number" || !Number.isInteger(p.step))) throw bad();
    for (let i = 0; i < points.length; i += 1000) {
      await client.logBatch(runId, { metrics: points.slice(i, i + 1000) });
    }
  }

  async exists(): Promise<boolean> {
    const state = this.options.state;
    const id = this.options.runId ?? state.runId;
    const client = id ? await state.storeClient() : undefined;
    if (!client || !id) return false;
    return this.key in (await client.getRun(id)).data.metrics;
  }

  describe(): Record<string, unknown> {
    return {
      key: this.key,
      run_id: this.options.runId ?? null,
      load_args: clonePlain(this.options.loadArgs ?? {}),
      save_args: clonePlain(this.options.saveArgs ?? {}),
    };
  }
}

type MetricValue = { value: number; step: number };

/**
 * Several metrics at once, as in kedro-mlflow's MlflowMetricsHistoryDataset: save
 * `{name: {value, step}}` or `{name: [{value, step}, …]}`, logged as `<prefix>.<name>`; load returns
 * every metric of the run under the prefix in the same shape (keys keep the prefix).
 *
 * @example
 * ```ts
 * await new MlflowMetricsHistoryDataset({ name: "metrics", prefix: "metrics", state }).save({ accuracy: { value: 0.9, step: 0 } });
 * ```
 */
export class MlflowMetricsHistoryDataset implements Dataset<Record<string, MetricValue | MetricValue[]>> {
  readonly prefix: string;
  constructor(readonly options: MetricDatasetOptions & { prefix: string }) {
    this.prefix = options.prefix;
  }

  load(): Promise<Record<string, MetricValue | MetricValue[]>> {
    return onDatasetRun(this.options.name, this.options.runId, () => this.#load());
  }

  async #load(): Promise<Record<string, MetricValue | MetricValue[]>> {
    const { client, runId } = await requireRun(this.options.state, this.options.runId, this.options.name);
    const keys = Object.keys((await client.getRun(runId)).data.metrics).filter((k) =>
      !this.prefix || k.startsWith(`${this.prefix}.`)
    ).sort();
    const out: Record<string, MetricValue | MetricValue[]> = {};
    for (const key of keys) {
      const points = (await client.getMetricHistory(runId, key)).map((p) => ({
        step: p.step,
        value: p.value,
      }));
      out[key] = points.length === 1 ? points[0] : points;
    }
    return out;
  }

  save(data: Record<string, MetricValue | MetricValue[]>): Promise<void> {
    return onDatasetRun(this.options.name, this.options.runId, () => this.#save(data));
  }

  async #save(data: Record<string, MetricValue | MetricValue[]>): Promise<void> {
    if (!this.options.state.loggingEnabled) return;
    const { client, runId } = await requireRun(this.options.state, this.options.runId, this.options.name);
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      // Object.entries of a number or a string has nothing to log: the value would be lost silently.
      throw new DatasetError(
        "mlflow/bad-metrics",
        `Unexpected metric value for "${this.options.name}": ${
          JSON.stringify(data)?.slice(0, 80) ?? String(data)
        } (${Array.isArray(data) ? "a list" : typeof data}), not an object of metrics`,
        { hint: "return {name: {value, step}} or {name: [{value, step}, …]} from the node" },
      );
    }
    const now = Date.now();
    const points: MetricPoint[] = [];
    for (const [name, v] of Object.entries(data)) {
      const list = Array.isArray(v) ? v : [v];
      const ok = list.length > 0 &&
        list.every((p) =>
          p && typeof p === "object" && typeof p.value === "number" &&
          (p.step === undefined || Number.isInteger(p.step))
        );
      if (!ok) {
        throw new DatasetError(
          "mlflow/bad-metrics",
          `Unexpected metric value for "${name}" in "${this.options.name}": ${
            JSON.stringify(v)?.slice(0, 80)
          }`,
          {
            hint: "return {name: {value, step}} or {name: [{value, step}, …]} from the node",
          },
        );
      }
      const key = this.prefix ? `${this.prefix}.${name}` : name;
      for (const p of list) points.push({ key, value: p.value, step: p.step ?? 0, timestamp: now });
    }
    for (let i = 0; i < points.length; i += 1000) {
      await client.logBatch(runId, { metrics: points.slice(i, i + 1000) });
    }
  }

  async exists(): Promise<boolean> {
    const state = this.options.state;
    const id = this.options.runId ?? state.runId;
    const client = id ? await state.storeClient() : undefined;
    if (!client || !id) return false;
    return Object.keys((await client.getRun(id)).data.metrics).some((k) => k.startsWith(`${this.prefix}.`));
  }

  describe(): Record<string, unknown> {
    return { prefix: this.prefix, run_id: this.options.runId ?? null };
  }
}
