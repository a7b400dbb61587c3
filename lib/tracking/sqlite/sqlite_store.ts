/**
 * The default local store: MLflow's own SQLite schema through `node:sqlite`, in WAL mode with a busy
 * timeout and IMMEDIATE transactions so several processes can log into one database without losing rows.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { TrackingError } from "../../errors.ts";
import type {
  Experiment,
  LogBatch,
  Metric,
  Page,
  Run,
  RunStatus,
  SearchRunsOptions,
  ViewType,
} from "../entities.ts";
import { decodePageToken, encodePageToken } from "../search/page_token.ts";
import { parseFilter, parseOrderBy } from "../search/filter.ts";
import type { TrackingStore } from "../store.ts";
import { validateBatch, validateExperimentName } from "../validation.ts";
import { ALEMBIC_VERSION, SCHEMA_STATEMENTS } from "./schema.ts";
import { clauseToSql, orderToSql } from "./sql_search.ts";

const MAX_DOUBLE = 1.7976931348623157e308;
type Row = Record<string, unknown>;

/**
 * A tracking store in an MLflow-compatible SQLite database.
 *
 * @example
 * ```ts
 * const store = SqliteStore.open("/p/mlflow.db");
 * const exp = await store.createExperiment("iris");
 * const run = await store.createRun(exp, { runName: "first" });
 * ```
 */
export class SqliteStore implements TrackingStore {
  readonly path: string;
  readonly artifactRoot: string;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  private constructor(path: string, artifactRoot: string) {
    this.path = path;
    this.artifactRoot = artifactRoot;
    this.#db = new DatabaseSync(path);
    this.#db.exec("PRAGMA busy_timeout = 30000");
    this.#db.exec("PRAGMA journal_mode = WAL");
    this.#db.exec("PRAGMA case_sensitive_like = ON");
    this.initialize();
  }

  /** Opens (creating when needed) the database; artifacts default to `<db folder>/mlartifacts`. */
  static open(path: string, options: { artifactRoot?: string } = {}): SqliteStore {
    const abs = resolve(path);
    Deno.mkdirSync(dirname(abs), { recursive: true });
    const root = options.artifactRoot ?? pathToFileURL(join(dirname(abs), "mlartifacts")).href;
    return new SqliteStore(abs, root.replace(/\/$/, ""));
  }

  close(): void {
    this.#db.close();
  }

  private initialize(): void {
    const exists = this.one("SELECT name FROM sqlite_master WHERE type='table' AND name='experiments'");
    if (exists) return;
    this.write(() => {
      if (this.one("SELECT name FROM sqlite_master WHERE type='table' AND name='experiments'")) return;
      for (const statement of SCHEMA_STATEMENTS) this.#db.exec(statement);
      this.run("INSERT INTO alembic_version (version_num) VALUES (?)", ALEMBIC_VERSION);
      const now = Date.now();
      this.run(
        "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (0, 'Default', ?, 'active', ?, ?)",
        `${this.artifactRoot}/0`,
        now,
        now,
      );
    });
  }

  // ---- experiments -------------------------------------------------------------------------

  createExperiment(
    name: string,
    options: { artifactLocation?: string; tags?: Record<string, string> } = {},
  ): Promise<string> {
    validateExperimentName(name);
    return Promise.resolve(this.write(() => {
      if (this.one("SELECT 1 FROM experiments WHERE name = ?", name)) {
        throw new TrackingError("RESOURCE_ALREADY_EXISTS", `Experiment '${name}' already exists.`, {
          hint: "use the existing experiment, restore it if deleted, or choose another name",
        });
      }
      const now = Date.now();
      const info = this.run(
        "INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (?, ?, 'active', ?, ?)",
        name,
        options.artifactLocation ?? null,
        now,
        now,
      );
      const id = String(info.lastInsertRowid);
      if (!options.artifactLocation) {
        this.run(
          "UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?",
          `${this.artifactRoot}/${id}`,
          id,
        );
      }
      for (const [k, v] of Object.entries(options.tags ?? {})) {
        this.run("INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?)", k, v, id);
      }
      return id;
    }));
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    const row = this.one("SELECT * FROM experiments WHERE experiment_id = ?", experimentId);
    if (!row) {
      throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `No Experiment with id=${experimentId} exists`, {
        hint: "list experiments to find the right id",
      });
    }
    return Promise.resolve(this.experiment(row));
  }

  getExperimentByName(name: string): Promise<Experiment | undefined> {
    const row = this.one("SELECT * FROM experiments WHERE name = ?", name);
    return Promise.resolve(row ? this.experiment(row) : undefined);
  }

  searchExperiments(
    options: { viewType?: ViewType; maxResults?: number; pageToken?: string } = {},
  ): Promise<Page<Experiment>> {
    const offset = decodePageToken(options.pageToken);
    const max = options.maxResults ?? 1000;
    const stage = stageFilter(options.viewType ?? "ACTIVE_ONLY");
    const rows = this.all(
      `SELECT * FROM experiments WHERE ${stage} ORDER BY creation_time DESC, experiment_id ASC LIMIT ? OFFSET ?`,
      max + 1,
      offset,
    );
    const items = rows.slice(0, max).map((r) => this.experiment(r));
    return Promise.resolve({
      items,
      nextPageToken: rows.length > max ? encodePageToken(offset + max) : undefined,
    });
  }

  async renameExperiment(experimentId: string, name: string): Promise<void> {
    validateExperimentName(name);
    await this.getExperiment(experimentId);
    this.write(() =>
      this.run(
        "UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?",
        name,
        Date.now(),
        experimentId,
      )
    );
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    await this.getExperiment(experimentId);
    this.write(() => {
      const now = Date.now();
      this.run(
        "UPDATE experiments SET lifecycle_stage = 'deleted', last_update_time = ? WHERE experiment_id = ?",
        now,
        experimentId,
      );
      this.run(
        "UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE experiment_id = ?",
        now,
        experimentId,
      );
    });
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    await this.getExperiment(experimentId);
    this.write(() => {
      this.run(
        "UPDATE experiments SET lifecycle_stage = 'active', last_update_time = ? WHERE experiment_id = ?",
        Date.now(),
        experimentId,
      );
      this.run(
        "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE experiment_id = ?",
        experimentId,
      );
    });
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.getExperiment(experimentId);
    this.write(() =>
      this.run(
        "INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?) ON CONFLICT (key, experiment_id) DO UPDATE SET value = excluded.value",
        key,
        value,
        experimentId,
      )
    );
  }

  // ---- runs --------------------------------------------------------------------------------

  async createRun(
    experimentId: string,
    options: { userId?: string; startTime?: number; runName?: string; tags?: Record<string, string> } = {},
  ): Promise<Run> {
    const exp = await this.getExperiment(experimentId);
    if (exp.lifecycleStage !== "active") {
      throw new TrackingError(
        "INVALID_STATE",
        `The experiment ${experimentId} must be in the 'active' state. Current state is ${exp.lifecycleStage}.`,
        {
          hint: "restore the experiment first",
        },
      );
    }
    const runId = crypto.randomUUID().replaceAll("-", "");
    const tags = { ...(options.tags ?? {}) };
    const runName = options.runName ?? tags["mlflow.runName"] ?? runId.slice(0, 8);
    tags["mlflow.runName"] = runName;
    const userId = options.userId ?? tags["mlflow.user"] ?? Deno.env.get("USER") ?? "unknown";
    validateBatch({ tags });
    this.write(() => {
      this.run(
        "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, end_time, source_version, lifecycle_stage, artifact_uri, experiment_id) VALUES (?, ?, 'UNKNOWN', '', '', ?, 'RUNNING', ?, NULL, '', 'active', ?, ?)",
        runId,
        runName,
        userId,
        options.startTime ?? Date.now(),
        `${exp.artifactLocation}/${runId}/artifacts`,
        experimentId,
      );
      for (const [k, v] of Object.entries(tags)) {
        this.run("INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?)", k, v, runId);
      }
    });
    return await this.getRun(runId);
  }

  getRun(runId: string): Promise<Run> {
    const row = this.one("SELECT * FROM runs WHERE run_uuid = ?", runId);
    if (!row) {
      throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `Run '${runId}' not found`, {
        hint: "check the run id",
      });
    }
    return Promise.resolve(this.runFromRow(row));
  }

  async updateRun(
    runId: string,
    options: { status?: RunStatus; endTime?: number; runName?: string },
  ): Promise<void> {
    await this.getRun(runId);
    this.write(() => {
      if (options.status) this.run("UPDATE runs SET status = ? WHERE run_uuid = ?", options.status, runId);
      if (options.endTime !== undefined) {
        this.run("UPDATE runs SET end_time = ? WHERE run_uuid = ?", options.endTime, runId);
      }
      if (options.runName) {
        this.run("UPDATE runs SET name = ? WHERE run_uuid = ?", options.runName, runId);
        this.upsertTag(runId, "mlflow.runName", options.runName);
      }
    });
  }

  async deleteRun(runId: string): Promise<void> {
    await this.getRun(runId);
    this.write(() =>
      this.run(
        "UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE run_uuid = ?",
        Date.now(),
        runId,
      )
    );
  }

  async restoreRun(runId: string): Promise<void> {
    await this.getRun(runId);
    this.write(() =>
      this.run("UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_uuid = ?", runId)
    );
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    this.requireActive(await this.getRun(runId));
    this.write(() => {
      const info = this.run("DELETE FROM tags WHERE run_uuid = ? AND key = ?", runId, key);
      if (Number(info.changes) === 0) {
        throw new TrackingError(
          "RESOURCE_DOES_NOT_EXIST",
          `No tag with name: ${key} in run with id ${runId}`,
          { hint: "check the tag name" },
        );
      }
    });
  }

  logBatch(runId: string, batch: LogBatch): Promise<void> {
    validateBatch(batch);
    const row = this.one("SELECT lifecycle_stage FROM runs WHERE run_uuid = ?", runId);
    if (!row) {
      throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `Run '${runId}' not found`, {
        hint: "check the run id",
      });
    }
    if (row.lifecycle_stage !== "active") {
      throw new TrackingError(
        "INVALID_PARAMETER_VALUE",
        `The run ${runId} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`,
        { hint: "restore the run first" },
      );
    }
    this.write(() => {
      for (const [key, value] of Object.entries(batch.params ?? {})) {
        const existing = this.one("SELECT value FROM params WHERE run_uuid = ? AND key = ?", runId, key);
        if (existing && existing.value !== value) {
          throw new TrackingError(
            "INVALID_PARAMETER_VALUE",
            `Changing param values is not allowed. Param with key='${key}' was already logged with value='${existing.value}' for run ID='${runId}'. Attempted logging new value '${value}'.`,
            { hint: "params are immutable within a run; log a new key or start a new run" },
          );
        }
        if (!existing) {
          this.run("INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?)", key, value, runId);
        }
      }
      for (const m of batch.metrics ?? []) this.insertMetric(runId, m);
      for (const [key, value] of Object.entries(batch.tags ?? {})) {
        this.upsertTag(runId, key, value);
        if (key === "mlflow.runName") this.run("UPDATE runs SET name = ? WHERE run_uuid = ?", value, runId);
      }
    });
    return Promise.resolve();
  }

  async getMetricHistory(
    runId: string,
    key: string,
    options: { maxResults?: number; pageToken?: string } = {},
  ): Promise<Page<Metric>> {
    await this.getRun(runId);
    const offset = decodePageToken(options.pageToken);
    const max = options.maxResults ?? 1_000_000_000;
    const rows = this.all(
      "SELECT key, value, is_nan, timestamp, step FROM metrics WHERE run_uuid = ? AND key = ? ORDER BY timestamp, step, value LIMIT ? OFFSET ?",
      runId,
      key,
      max + 1,
      offset,
    );
    const items = rows.slice(0, max).map((r) => ({
      key: String(r.key),
      value: decodeValue(r),
      timestamp: Number(r.timestamp),
      step: Number(r.step),
    }));
    return { items, nextPageToken: rows.length > max ? encodePageToken(offset + max) : undefined };
  }

  searchRuns(options: SearchRunsOptions): Promise<Page<Run>> {
    const clauses = parseFilter(options.filter).map(clauseToSql);
    const order = orderToSql(parseOrderBy(options.orderBy));
    const max = options.maxResults ?? 1000;
    if (max > 50000) {
      throw new TrackingError(
        "INVALID_PARAMETER_VALUE",
        `Invalid value ${max} for parameter 'max_results' supplied. It must be at most 50000`,
        { hint: "page through results" },
      );
    }
    const offset = decodePageToken(options.pageToken);
    if (options.experimentIds.length === 0) return Promise.resolve({ items: [] });
    const where = [
      `r.experiment_id IN (${options.experimentIds.map(() => "?").join(", ")})`,
      stageFilter(options.runViewType ?? "ACTIVE_ONLY", "r."),
      ...clauses.map((c) => c.sql),
    ].join(" AND ");
    const sql = `SELECT r.* FROM runs r WHERE ${where} ORDER BY ${order.sql} LIMIT ? OFFSET ?`;
    const rows = this.all(
      sql,
      ...options.experimentIds,
      ...clauses.flatMap((c) => c.params),
      ...order.params,
      max + 1,
      offset,
    );
    const items = rows.slice(0, max).map((r) => this.runFromRow(r));
    return Promise.resolve({
      items,
      nextPageToken: rows.length > max ? encodePageToken(offset + max) : undefined,
    });
  }

  // ---- helpers -----------------------------------------------------------------------------

  private insertMetric(runId: string, m: Metric): void {
    const isNan = Number.isNaN(m.value) ? 1 : 0;
    const value = isNan ? 0 : Math.max(-MAX_DOUBLE, Math.min(MAX_DOUBLE, m.value));
    this.run(
      "INSERT OR IGNORE INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES (?, ?, ?, ?, ?, ?)",
      m.key,
      value,
      m.timestamp,
      runId,
      m.step,
      isNan,
    );
    const latest = this.one(
      "SELECT value, timestamp, step, is_nan FROM latest_metrics WHERE run_uuid = ? AND key = ?",
      runId,
      m.key,
    );
    const newer = !latest || m.step > Number(latest.step) ||
      (m.step === Number(latest.step) &&
        (m.timestamp > Number(latest.timestamp) ||
          (m.timestamp === Number(latest.timestamp) && value > Number(latest.value))));
    if (newer) {
      this.run(
        "INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan",
        m.key,
        value,
        m.timestamp,
        m.step,
        isNan,
        runId,
      );
    }
  }

  private upsertTag(runId: string, key: string, value: string): void {
    this.run(
      "INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?) ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value",
      key,
      value,
      runId,
    );
  }

  private requireActive(run: Run): void {
    if (run.info.lifecycleStage !== "active") {
      throw new TrackingError(
        "INVALID_PARAMETER_VALUE",
        `The run ${run.info.runId} must be in the 'active' state. Current state is ${run.info.lifecycleStage}.`,
        { hint: "restore the run first" },
      );
    }
  }

  private experiment(row: Row): Experiment {
    const id = String(row.experiment_id);
    const tags = Object.fromEntries(
      this.all("SELECT key, value FROM experiment_tags WHERE experiment_id = ?", id).map((
        t,
      ) => [String(t.key), String(t.value ?? "")]),
    );
    return {
      experimentId: id,
      name: String(row.name),
      artifactLocation: String(row.artifact_location ?? ""),
      lifecycleStage: row.lifecycle_stage === "deleted" ? "deleted" : "active",
      creationTime: row.creation_time == null ? undefined : Number(row.creation_time),
      lastUpdateTime: row.last_update_time == null ? undefined : Number(row.last_update_time),
      tags,
    };
  }

  private runFromRow(row: Row): Run {
    const runId = String(row.run_uuid);
    const metrics: Record<string, number> = {};
    for (const m of this.all("SELECT key, value, is_nan FROM latest_metrics WHERE run_uuid = ?", runId)) {
      metrics[String(m.key)] = decodeValue(m);
    }
    const params: Record<string, string> = {};
    for (const p of this.all("SELECT key, value FROM params WHERE run_uuid = ?", runId)) {
      params[String(p.key)] = String(p.value);
    }
    const tags: Record<string, string> = {};
    for (const t of this.all("SELECT key, value FROM tags WHERE run_uuid = ?", runId)) {
      tags[String(t.key)] = String(t.value ?? "");
    }
    return {
      info: {
        runId,
        runName: String(row.name ?? ""),
        experimentId: String(row.experiment_id),
        userId: String(row.user_id ?? ""),
        status: String(row.status) as RunStatus,
        startTime: Number(row.start_time),
        ...(row.end_time == null ? {} : { endTime: Number(row.end_time) }),
        artifactUri: String(row.artifact_uri ?? ""),
        lifecycleStage: row.lifecycle_stage === "deleted" ? "deleted" : "active",
      },
      data: { metrics, params, tags },
    };
  }

  private statement(sql: string): StatementSync {
    let s = this.#statements.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  private one(sql: string, ...params: (string | number | null)[]): Row | undefined {
    return this.statement(sql).get(...params) as Row | undefined;
  }

  private all(sql: string, ...params: (string | number | null)[]): Row[] {
    return this.statement(sql).all(...params) as Row[];
  }

  private run(sql: string, ...params: (string | number | null)[]) {
    return this.statement(sql).run(...params);
  }

  // IMMEDIATE takes the write lock up front, so concurrent writers wait (busy_timeout) instead of failing.
  private write<T>(fn: () => T): T {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = fn();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }
}

function stageFilter(view: ViewType, prefix = ""): string {
  if (view === "ALL") return "1 = 1";
  return `${prefix}lifecycle_stage = '${view === "DELETED_ONLY" ? "deleted" : "active"}'`;
}

function decodeValue(row: Row): number {
  if (Number(row.is_nan) === 1) return NaN;
  const v = Number(row.value);
  return v >= MAX_DOUBLE ? Infinity : v <= -MAX_DOUBLE ? -Infinity : v;
}
