/**
 * The PostgreSQL tracking store: MLflow 2.17.2's own schema, so `mlflow server --backend-store-uri
 * postgresql://…` and kmlf share one database in both directions. Searches compile to SQL with the
 * same compiler as SQLite's (PostgreSQL dialect) and return the same runs in the same order. A pool of
 * connections serves concurrent calls (`kmlf server`); dropped connections are retried with backoff.
 * The model registry is the SQLite store's own implementation (`../sql/sql_registry.ts`) run on
 * PostgreSQL.
 *
 * @module
 */
import type { ArtifactRepository } from "../../artifacts/artifact_repository.ts";
import { artifactRepositoryFor } from "../../artifacts/repository_for.ts";
import {
  type DatasetInput,
  type Experiment,
  type Run,
  type RunInfo,
  stagesForViewType,
} from "../../entities.ts";
import type { RunsPage, SearchExperimentsOptions, SearchRunsOptions } from "../../search/evaluate.ts";
import { decodePageToken, encodePageToken } from "../../search/page_token.ts";
import { parseSearch } from "../../search/parser.ts";
import { POSTGRESQL, runSearchSql, searchableExperimentIds } from "../../search/sql.ts";
import { validateMaxResults, validatePageSize } from "../../validation.ts";
import type { ValidationOptions } from "../../batch_validation.ts";
import type { RunRow } from "../sql/rows.ts";
import { deferredSqlHardDeletes, deferredSqlRegistry } from "../sql/deferred_sql.ts";
import type { ModelRegistryStore } from "../../registry/registry_store.ts";
import type {
  CreateExperimentOptions,
  CreateRunOptions,
  ExperimentsPage,
  LogBatch,
  MetricHistoryOptions,
  MetricHistoryPage,
  TrackingStore,
  UpdateRunOptions,
} from "../store.ts";
import { PgDb, type PgDbOptions } from "./pg_db.ts";
import { pgEngine } from "./pg_engine.ts";
import type { HardDeletes } from "../hard_delete.ts";
import * as experiments from "./pg_experiments.ts";
import { logInputs } from "./pg_inputs.ts";
import { loadPgRuns } from "./pg_rows.ts";
import * as runs from "./pg_runs.ts";
import { ensurePgSchema, type PgSchemaInfo } from "./pg_schema.ts";

/** Options of {@link PostgresStore.open}. */
export interface PostgresStoreOptions extends ValidationOptions, PgDbOptions {
  /** Artifact root URI of new experiments (a `file://` URI, `s3://bucket/prefix`, `mlflow-artifacts:/`). */
  artifactRoot: string;
}

/**
 * A tracking store in an MLflow-schema PostgreSQL database.
 *
 * @example
 * ```ts
 * const store = await PostgresStore.open("postgresql://mlflow@127.0.0.1:5432/mlflow", {
 *   artifactRoot: "s3://my-bucket/mlflow",
 * });
 * const experimentId = await store.createExperiment("iris");
 * await store.close();
 * ```
 */
export class PostgresStore implements TrackingStore {
  readonly kind = "postgresql";
  readonly uri: string;
  readonly artifactRoot: string;
  readonly #db: PgDb;
  readonly #schema: PgSchemaInfo;
  readonly #validation: ValidationOptions;
  /** The database's model registry, in MLflow's registry tables. */
  readonly registry: ModelRegistryStore;
  /** `kmlf gc`'s permanent deletes. */
  readonly hardDeletes: HardDeletes;

  private constructor(uri: string, db: PgDb, schema: PgSchemaInfo, options: PostgresStoreOptions) {
    this.uri = uri;
    this.#db = db;
    this.#schema = schema;
    this.artifactRoot = options.artifactRoot.replace(/\/+$/, "");
    this.#validation = { truncateLongValues: options.truncateLongValues };
    const engine = () => Promise.resolve(pgEngine(db));
    this.registry = deferredSqlRegistry(engine, schema.registry);
    this.hardDeletes = deferredSqlHardDeletes(engine);
  }

  /** Connects, creates MLflow's schema in an empty database (or checks the existing one) and experiment 0. */
  static async open(url: string, options: PostgresStoreOptions): Promise<PostgresStore> {
    const db = await PgDb.connect(url, options);
    try {
      const schema = await ensurePgSchema(db);
      await experiments.ensureDefaultExperiment(db, options.artifactRoot.replace(/\/+$/, ""), Date.now());
      return new PostgresStore(url, db, schema, options);
    } catch (error) {
      await db.close();
      throw error;
    }
  }

  /** The alembic revision recorded in the database. */
  get schemaRevision(): string | undefined {
    return this.#schema.revision;
  }

  createExperiment(name: string, options: CreateExperimentOptions = {}): Promise<string> {
    return experiments.createExperiment(this.#db, this.artifactRoot, name, options, Date.now());
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    return experiments.getExperiment(this.#db, experimentId);
  }

  getExperimentByName(name: string): Promise<Experiment | undefined> {
    return experiments.getExperimentByName(this.#db, name);
  }

  searchExperiments(options: SearchExperimentsOptions = {}): Promise<ExperimentsPage> {
    return experiments.searchExperiments(this.#db, options);
  }

  renameExperiment(experimentId: string, newName: string): Promise<void> {
    return experiments.renameExperiment(this.#db, experimentId, newName, Date.now());
  }

  deleteExperiment(experimentId: string): Promise<void> {
    return experiments.setExperimentDeleted(this.#db, experimentId, true, Date.now());
  }

  restoreExperiment(experimentId: string): Promise<void> {
    return experiments.setExperimentDeleted(this.#db, experimentId, false, Date.now());
  }

  setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    return experiments.setExperimentTag(this.#db, experimentId, key, value);
  }

  deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    return experiments.deleteExperimentTag(this.#db, experimentId, key);
  }

  async createRun(options: CreateRunOptions): Promise<Run> {
    const runId = await runs.createRun(this.#db, options, this.#validation, Date.now());
    return await runs.getRun(this.#db, runId, this.#schema.hasInputs);
  }

  getRun(runId: string): Promise<Run> {
    return runs.getRun(this.#db, runId, this.#schema.hasInputs);
  }

  updateRun(runId: string, update: UpdateRunOptions): Promise<RunInfo> {
    return runs.updateRun(this.#db, runId, update);
  }

  deleteRun(runId: string): Promise<void> {
    return runs.setRunDeleted(this.#db, runId, true, Date.now());
  }

  restoreRun(runId: string): Promise<void> {
    return runs.setRunDeleted(this.#db, runId, false, Date.now());
  }

  setTag(runId: string, key: string, value: string): Promise<void> {
    return runs.setTag(this.#db, runId, key, value, this.#validation);
  }

  deleteTag(runId: string, key: string): Promise<void> {
    return runs.deleteTag(this.#db, runId, key);
  }

  logBatch(runId: string, batch: LogBatch): Promise<void> {
    return runs.logBatch(this.#db, runId, batch, this.#validation);
  }

  getMetricHistory(
    runId: string,
    key: string,
    options: MetricHistoryOptions = {},
  ): Promise<MetricHistoryPage> {
    validatePageSize(options.maxResults);
    return runs.metricHistory(this.#db, runId, key, options);
  }

  /** MLflow's run search, compiled to PostgreSQL by the shared search compiler. */
  async searchRuns(options: SearchRunsOptions): Promise<RunsPage> {
    const maxResults = options.maxResults ?? 1000;
    validateMaxResults(maxResults);
    const { clauses, orderBy } = parseSearch(options.filter, options.orderBy);
    const offset = decodePageToken(options.pageToken);
    // Ids no INTEGER column can hold name no experiment: they match nothing, as on SQLite.
    const experimentIds = searchableExperimentIds(options.experimentIds)
      .map((id) => experiments.pgExperimentId(id))
      .filter((id) => id !== undefined)
      .map(String);
    if (experimentIds.length === 0) return { runs: [] };
    const query = runSearchSql({
      experimentIds,
      stages: stagesForViewType(options.runViewType ?? "ACTIVE_ONLY"),
      clauses,
      orderBy,
      limit: maxResults + 1,
      offset,
      dialect: POSTGRESQL,
    });
    return await this.#db.read(async (q) => {
      const rows = await q.all<RunRow>(query.sql, query.params);
      const page = await loadPgRuns(q, rows.slice(0, maxResults), { hasInputs: this.#schema.hasInputs });
      return rows.length > maxResults
        ? { runs: page, nextPageToken: encodePageToken(offset + maxResults) }
        : { runs: page };
    });
  }

  logInputs(runId: string, datasets: readonly DatasetInput[]): Promise<void> {
    return logInputs(this.#db, runId, datasets, this.#schema.hasInputs);
  }

  getArtifactRepository(artifactUri: string): ArtifactRepository {
    return artifactRepositoryFor(artifactUri);
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}
