/**
 * The SQLite tracking store: MLflow 2.17.2's own schema through Deno's built-in `node:sqlite`, so
 * MLflow opens kmlf's database and kmlf opens MLflow's (newer schemas with extra tables and columns
 * included). Safe with several processes writing at once (WAL, busy timeout, BEGIN IMMEDIATE).
 *
 * @module
 */
import type { ArtifactRepository } from "../../artifacts/artifact_repository.ts";
import { artifactRepositoryFor } from "../../artifacts/repository_for.ts";
import type { DatasetInput, Experiment, Metric, Run, RunInfo } from "../../entities.ts";
import type {
  ExperimentsPage,
  RunsPage,
  SearchExperimentsOptions,
  SearchRunsOptions,
} from "../../search/evaluate.ts";
import type {
  CreateExperimentOptions,
  CreateRunOptions,
  LogBatch,
  MetricHistoryOptions,
  MetricHistoryPage,
  SampledHistoryOptions,
  TrackingStore,
  UpdateRunOptions,
} from "../store.ts";
import type { ValidationOptions } from "../../batch_validation.ts";
import { validatePageSize } from "../../validation.ts";
import { openError, type SqliteDb } from "./db.ts";
import { deferredSqlHardDeletes, deferredSqlRegistry } from "../sql/deferred_sql.ts";
import type { HardDeletes } from "../hard_delete.ts";
import type { ModelRegistryStore } from "../../registry/registry_store.ts";
import * as experiments from "./experiments.ts";
import { logInputs } from "./inputs.ts";
import { metricHistory, sampledHistories } from "./metrics.ts";
import * as runs from "./runs.ts";
import { type OpenedSqliteDb, openSqliteDb, type SqliteDbOpenOptions } from "./open_db.ts";
import { registrySchema, type SchemaInfo } from "./schema.ts";

/** Options of {@link SqliteStore.open}. */
export interface SqliteStoreOptions extends ValidationOptions, SqliteDbOpenOptions {}

export { artifactRootUri } from "./open_db.ts";

/**
 * A tracking store in an MLflow-schema SQLite database.
 *
 * @example
 * ```ts
 * const store = SqliteStore.open("/tmp/mlflow.db");
 * const experimentId = await store.createExperiment("iris");
 * const run = await store.createRun({ experimentId, runName: "baseline" });
 * await store.logBatch(run.info.runId, { metrics: [{ key: "acc", value: 0.9, timestamp: Date.now(), step: 0 }] });
 * await store.close();
 * ```
 */
export class SqliteStore implements TrackingStore {
  readonly kind = "sqlite";
  readonly uri: string;
  /** Absolute path of the database file, or `:memory:`. */
  readonly path: string;
  /** Artifact root URI for new experiments. */
  readonly artifactRoot: string;
  readonly #db: SqliteDb;
  readonly #schema: SchemaInfo;
  /** The database's model registry, in MLflow's registry tables (its code loads with the first call). */
  readonly registry: ModelRegistryStore;
  /** `kmlf gc`'s permanent deletes (their code loads with the first call). */
  readonly hardDeletes: HardDeletes;
  readonly #validation: ValidationOptions;
  readonly #tempDir?: string;

  private constructor(opened: OpenedSqliteDb, options: ValidationOptions) {
    this.#tempDir = opened.tempDir;
    this.path = opened.path;
    this.uri = opened.uri;
    this.artifactRoot = opened.artifactRoot;
    this.#db = opened.db;
    this.#schema = opened.schema;
    this.#validation = { truncateLongValues: options.truncateLongValues };
    const engine = async () => (await sqlEngineModule()).sqliteEngine(opened.db);
    try {
      this.registry = deferredSqlRegistry(engine, registrySchema(this.#db));
      this.hardDeletes = deferredSqlHardDeletes(engine);
    } catch (error) {
      this.#db.close();
      this.#removeTempDir();
      throw openError(error, this.path);
    }
  }

  /** Opens (creating if needed) the database at `path` (`:memory:` for a throwaway store). */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    return new SqliteStore(openSqliteDb(path, options), options);
  }

  /**
   * The store over a database {@link openSqliteDb} opened: `kmlf server` opens and checks the file before
   * it listens, and loads the store's code once it listens.
   */
  static fromOpened(opened: OpenedSqliteDb, options: ValidationOptions = {}): SqliteStore {
    return new SqliteStore(opened, options);
  }

  /** The alembic revision recorded in the database. */
  get schemaRevision(): string | undefined {
    return this.#schema.revision;
  }

  createExperiment(name: string, options: CreateExperimentOptions = {}): Promise<string> {
    return this.#do(() =>
      experiments.createExperiment(this.#db, this.artifactRoot, name, options, Date.now())
    );
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    return this.#do(() => experiments.getExperiment(this.#db, experimentId));
  }

  getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.#do(() => experiments.getExperimentByName(this.#db, name));
  }

  async searchExperiments(options: SearchExperimentsOptions = {}): Promise<ExperimentsPage> {
    const { searchExperiments } = await searches();
    return this.#do(() => searchExperiments(this.#db, options));
  }

  renameExperiment(experimentId: string, newName: string): Promise<void> {
    return this.#do(() => experiments.renameExperiment(this.#db, experimentId, newName, Date.now()));
  }

  deleteExperiment(experimentId: string): Promise<void> {
    return this.#do(() => experiments.deleteExperiment(this.#db, experimentId, Date.now()));
  }

  restoreExperiment(experimentId: string): Promise<void> {
    return this.#do(() => experiments.restoreExperiment(this.#db, experimentId, Date.now()));
  }

  setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    return this.#do(() => experiments.setExperimentTag(this.#db, experimentId, key, value));
  }

  deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    return this.#do(() => experiments.deleteExperimentTag(this.#db, experimentId, key));
  }

  createRun(options: CreateRunOptions): Promise<Run> {
    return this.#do(() => {
      const runId = runs.createRun(this.#db, options, this.#validation, Date.now());
      return runs.getRun(this.#db, runId, this.#schema.hasInputs);
    });
  }

  getRun(runId: string): Promise<Run> {
    return this.#do(() => runs.getRun(this.#db, runId, this.#schema.hasInputs));
  }

  updateRun(runId: string, update: UpdateRunOptions): Promise<RunInfo> {
    return this.#do(() => runs.updateRun(this.#db, runId, update));
  }

  deleteRun(runId: string): Promise<void> {
    return this.#do(() => runs.setRunDeleted(this.#db, runId, true, Date.now()));
  }

  restoreRun(runId: string): Promise<void> {
    return this.#do(() => runs.setRunDeleted(this.#db, runId, false, Date.now()));
  }

  setTag(runId: string, key: string, value: string): Promise<void> {
    return this.#do(() => runs.setTag(this.#db, runId, key, value, this.#validation));
  }

  deleteTag(runId: string, key: string): Promise<void> {
    return this.#do(() => runs.deleteTag(this.#db, runId, key));
  }

  logBatch(runId: string, batch: LogBatch): Promise<void> {
    return this.#do(() => runs.logBatch(this.#db, runId, batch, this.#validation));
  }

  sampledMetricHistories(
    runIds: readonly string[],
    key: string,
    options: SampledHistoryOptions,
  ): Promise<Metric[][]> {
    return this.#do(() =>
      this.#db.read(() => {
        for (const runId of runIds) runs.runRow(this.#db, runId);
        return sampledHistories(this.#db, runIds, key, options);
      })
    );
  }

  getMetricHistory(
    runId: string,
    key: string,
    options: MetricHistoryOptions = {},
  ): Promise<MetricHistoryPage> {
    return this.#do(() =>
      this.#db.read(() => {
        validatePageSize(options.maxResults);
        runs.runRow(this.#db, runId);
        return metricHistory(this.#db, runId, key, options);
      })
    );
  }

  async searchRuns(options: SearchRunsOptions): Promise<RunsPage> {
    const { searchRuns } = await searches();
    return this.#do(() => searchRuns(this.#db, options, this.#schema.hasInputs));
  }

  logInputs(runId: string, datasets: readonly DatasetInput[]): Promise<void> {
    return this.#do(() => logInputs(this.#db, runId, datasets, this.#schema.hasInputs));
  }

  getArtifactRepository(artifactUri: string): ArtifactRepository {
    return artifactRepositoryFor(artifactUri);
  }

  /** Closes the database; a `:memory:` store's default artifact folder goes with it. */
  close(): Promise<void> {
    this.#db.close();
    this.#removeTempDir();
    return Promise.resolve();
  }

  #removeTempDir(): void {
    if (!this.#tempDir) return;
    try {
      Deno.removeSync(this.#tempDir, { recursive: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }

  // The work is synchronous (node:sqlite); errors become rejections like every other store's.
  #do<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

// The search grammar (parser, SQL translator: ~15 modules) loads with the first search, not with the store;
// by a computed URL, which Deno does not read with this module (the bundle makes it an entry point).
const searches = (): Promise<typeof import("./searches.ts")> =>
  import(new URL("./searches.ts", import.meta.url).href);
// The SQL engine the registry and `kmlf gc` run their jobs on, likewise (with `deferred_sql.ts`).
const sqlEngineModule = (): Promise<typeof import("./sql_engine.ts")> =>
  import(new URL("./sql_engine.ts", import.meta.url).href);
