/**
 * The model registry of an MLflow SQL database (SQLite or PostgreSQL), read and written as MLflow
 * 2.17.2's `SqlAlchemyStore` does: the same rows in `registered_models`, `model_versions`,
 * `registered_model_tags`, `model_version_tags` and `registered_model_aliases`, so either tool opens
 * what the other wrote. One implementation for both engines: every call is one job
 * (`sql_job.ts`) run in one transaction by the store's engine. Searches filter and sort in memory
 * with the registry's own evaluator, so both engines answer exactly alike.
 *
 * @module
 */
import {
  canonicalStage,
  DELETED_STAGE,
  MODEL_VERSION_STAGES,
  type ModelVersion,
  type RegisteredModel,
} from "../../registry/entities.ts";
import { storageLocationOf } from "../../registry/models_source.ts";
import type {
  CreateModelVersionOptions,
  CreateRegisteredModelOptions,
  ModelRegistryStore,
  ModelVersionsPage,
  RegisteredModelsPage,
  RegistrySearchOptions,
  TransitionStageOptions,
} from "../../registry/registry_store.ts";
import {
  aliasNotFound,
  parseModelVersion,
  registeredModelExists,
  REGISTRY_LIMITS,
  validateAliasName,
  validateModelName,
  validateNewModelName,
  validateRegisteredModelTag,
  validateRegistryMaxResults,
  validateStoredText,
} from "../../registry/rules.ts";
import { paginate } from "../../search/page_token.ts";
import {
  aliasVersion,
  type ModelRow,
  modelRow,
  modelsOf,
  readModel,
  readVersion,
  type RegistrySchema,
  type RegistrySql,
  requireAliases,
  type VersionRow,
  versionRow,
  versionsOf,
} from "./registry_rows.ts";
import {
  deleteAlias,
  deleteVersion,
  insertModelVersion,
  setAlias,
  transitionStage,
  updateVersionDescription,
  writeVersionTag,
} from "./registry_versions.ts";
import { all, get, isUniqueViolation, run, type SqlEngine } from "./sql_job.ts";

/**
 * The registry over one SQL database (`SqliteStore.registry`, `PostgresStore.registry`).
 *
 * @example
 * ```ts
 * const registry = new SqlRegistry(engine, { hasAliases: true, hasStorageLocation: true });
 * await registry.createRegisteredModel("iris");
 * ```
 */
export class SqlRegistry implements ModelRegistryStore {
  // Every method is async, so a refused input is a rejection like any other store's error.
  readonly #e: SqlEngine;
  readonly #r: RegistrySql;

  constructor(engine: SqlEngine, schema: RegistrySchema) {
    this.#e = engine;
    this.#r = { dialect: engine.dialect, schema, where: engine.where, uri: engine.uri };
  }

  async createRegisteredModel(
    name: string,
    options: CreateRegisteredModelOptions = {},
  ): Promise<RegisteredModel> {
    validateNewModelName(name);
    validateStoredText("description", options.description);
    const tags = Object.entries(options.tags ?? {});
    for (const [k, v] of tags) validateRegisteredModelTag(k, v);
    const now = Date.now();
    await this.#e.write(function* () {
      const added = yield* run(
        "INSERT INTO registered_models (name, creation_time, last_updated_time, description) " +
          "VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
        [name, now, now, options.description ?? null],
      );
      if (added === 0) throw registeredModelExists(name);
      for (const [k, v] of tags) {
        yield* run('INSERT INTO registered_model_tags ("key", value, name) VALUES (?, ?, ?)', [k, v, name]);
      }
    });
    return await this.getRegisteredModel(name);
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return await this.#e.read(() => readModel(this.#r, name));
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    validateNewModelName(newName);
    const now = Date.now();
    await this.#e.write(function* () {
      yield* modelRow(name);
      const taken = newName !== name &&
        (yield* get("SELECT 1 AS taken FROM registered_models WHERE name = ?", [newName])) !== undefined;
      if (taken) throw registeredModelExists(newName);
      try {
        // Versions, tags and aliases follow through the schema's ON UPDATE CASCADE foreign keys.
        yield* run("UPDATE registered_models SET name = ?, last_updated_time = ? WHERE name = ?", [
          newName,
          now,
          name,
        ]);
      } catch (error) {
        // Another writer took the name since the check (PostgreSQL).
        throw isUniqueViolation(error) ? registeredModelExists(newName) : error;
      }
      yield* run("UPDATE model_versions SET last_updated_time = ? WHERE name = ?", [now, newName]);
    });
    return await this.getRegisteredModel(newName);
  }

  async updateRegisteredModel(name: string, description: string | null): Promise<RegisteredModel> {
    validateStoredText("description", description);
    const now = Date.now();
    await this.#e.write(function* () {
      yield* modelRow(name);
      yield* run("UPDATE registered_models SET description = ?, last_updated_time = ? WHERE name = ?", [
        description,
        now,
        name,
      ]);
    });
    return await this.getRegisteredModel(name);
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    const r = this.#r;
    return await this.#e.write(function* () {
      yield* modelRow(name);
      // MLflow's ORM deletes the children itself: the foreign keys do not cascade on delete.
      yield* run("DELETE FROM model_version_tags WHERE name = ?", [name]);
      if (r.schema.hasAliases) yield* run("DELETE FROM registered_model_aliases WHERE name = ?", [name]);
      yield* run("DELETE FROM model_versions WHERE name = ?", [name]);
      yield* run("DELETE FROM registered_model_tags WHERE name = ?", [name]);
      yield* run("DELETE FROM registered_models WHERE name = ?", [name]);
    });
  }

  async searchRegisteredModels(options: RegistrySearchOptions = {}): Promise<RegisteredModelsPage> {
    const maxResults = options.maxResults ?? REGISTRY_LIMITS.searchModelsDefault;
    validateRegistryMaxResults(maxResults, REGISTRY_LIMITS.searchModelsMaxResults);
    const {
      attributeClauses,
      parseRegisteredModelFilter,
      parseRegisteredModelOrderBy,
      registeredModelMatches,
      sortRegistry,
    } = await registrySearch();
    const clauses = parseRegisteredModelFilter(options.filter);
    const order = parseRegisteredModelOrderBy(options.orderBy);
    // Name clauses are checked on the rows, before tags, aliases and versions are read.
    const byName = attributeClauses(clauses);
    const r = this.#r;
    const models = await this.#e.read(function* () {
      const rows = (yield* all<ModelRow>("SELECT * FROM registered_models"))
        .filter((m) => registeredModelMatches({ name: m.name, tags: {} }, byName));
      return yield* modelsOf(r, rows);
    });
    const matching = sortRegistry(models.filter((m) => registeredModelMatches(m, clauses)), order);
    const page = paginate(matching, options.pageToken, maxResults);
    return {
      registeredModels: page.items,
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    };
  }

  async getLatestVersions(name: string, stages: readonly string[] = []): Promise<ModelVersion[]> {
    const wanted = new Set<string>((stages.length ? stages : MODEL_VERSION_STAGES).map(canonicalStage));
    const r = this.#r;
    return await this.#e.read(function* () {
      const [model] = yield* modelsOf(r, [yield* modelRow(name)]);
      const latest: ModelVersion[] = [];
      // latest_versions of a model carry no aliases; this call returns them with aliases.
      for (const v of model.latestVersions) {
        if (wanted.has(v.currentStage)) latest.push(yield* readVersion(r, name, v.version));
      }
      return latest;
    });
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    validateRegisteredModelTag(key, value);
    return await this.#e.write(function* () {
      yield* modelRow(name);
      yield* run(
        'INSERT INTO registered_model_tags ("key", value, name) VALUES (?, ?, ?) ' +
          'ON CONFLICT ("key", name) DO UPDATE SET value = excluded.value',
        [key, value, name],
      );
    });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    validateRegisteredModelTag(key, "");
    return await this.#e.write(function* () {
      yield* modelRow(name);
      yield* run('DELETE FROM registered_model_tags WHERE name = ? AND "key" = ?', [name, key]);
    });
  }

  async createModelVersion(
    name: string,
    source: string,
    options: CreateModelVersionOptions = {},
  ): Promise<ModelVersion> {
    validateModelName(name);
    const storageLocation = await storageLocationOf(this, source);
    const r = this.#r;
    const now = Date.now();
    const version = await this.#e.write(() =>
      insertModelVersion(r, name, { source, storageLocation }, options, now)
    );
    return await this.getModelVersion(name, version);
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return await this.#e.read(() => readVersion(this.#r, name, version));
  }

  async updateModelVersion(name: string, version: string, description: string | null): Promise<ModelVersion> {
    const now = Date.now();
    const number = await this.#e.write(() => updateVersionDescription(name, version, description, now));
    return await this.getModelVersion(name, number);
  }

  async transitionModelVersionStage(
    name: string,
    version: string,
    stage: string,
    options: TransitionStageOptions = {},
  ): Promise<ModelVersion> {
    const now = Date.now();
    const number = await this.#e.write(() => transitionStage(name, version, stage, options, now));
    return await this.getModelVersion(name, number);
  }

  async deleteModelVersion(name: string, version: string): Promise<void> {
    const now = Date.now();
    return await this.#e.write(() => deleteVersion(this.#r, name, version, now));
  }

  async getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    return await this.#e.read(function* () {
      const row = yield* versionRow(name, version);
      return row.storage_location || row.source || "";
    });
  }

  async searchModelVersions(options: RegistrySearchOptions = {}): Promise<ModelVersionsPage> {
    const maxResults = options.maxResults ?? REGISTRY_LIMITS.searchVersionsDefault;
    validateRegistryMaxResults(maxResults, REGISTRY_LIMITS.searchVersionsMaxResults);
    const {
      attributeClauses,
      modelVersionMatches,
      parseModelVersionFilter,
      parseModelVersionOrderBy,
      sortRegistry,
    } = await registrySearch();
    const clauses = parseModelVersionFilter(options.filter);
    const order = parseModelVersionOrderBy(options.orderBy);
    // Attribute clauses are checked on the rows, before tags and aliases are read.
    const first = attributeClauses(clauses);
    const r = this.#r;
    const versions = await this.#e.read(function* () {
      const rows = (yield* all<VersionRow>("SELECT * FROM model_versions WHERE current_stage != ?", [
        DELETED_STAGE,
      ])).filter((v) =>
        modelVersionMatches({
          name: v.name,
          version: String(v.version),
          source: v.source,
          runId: v.run_id,
          tags: {},
        }, first)
      );
      return yield* versionsOf(r, rows);
    });
    const matching = sortRegistry(versions.filter((v) => modelVersionMatches(v, clauses)), order);
    const page = paginate(matching, options.pageToken, maxResults);
    return {
      modelVersions: page.items,
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    };
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    return await this.#e.write(() => writeVersionTag(name, version, key, value));
  }

  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    return await this.#e.write(() => writeVersionTag(name, version, key, undefined));
  }

  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    validateModelName(name);
    validateAliasName(alias);
    parseModelVersion(version);
    requireAliases(this.#r);
    return await this.#e.write(() => setAlias(name, alias, version));
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    validateModelName(name);
    validateAliasName(alias);
    requireAliases(this.#r);
    return await this.#e.write(() => deleteAlias(name, alias));
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    validateModelName(name);
    validateAliasName(alias);
    requireAliases(this.#r);
    const r = this.#r;
    return await this.#e.read(function* () {
      const version = yield* aliasVersion(name, alias);
      if (version === undefined) throw aliasNotFound(alias);
      return yield* readVersion(r, name, String(version));
    });
  }
}

// The search grammar behind registry filters (~15 modules) loads with the first search, not with the store
// every tracked run opens; by a computed URL, which Deno does not read with this module (the bundle makes it
// an entry point).
const registrySearch = (): Promise<typeof import("../../registry/search.ts")> =>
  import(new URL("../../registry/search.ts", import.meta.url).href);
