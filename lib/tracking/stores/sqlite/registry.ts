/**
 * The model registry of an MLflow SQLite database, read and written as MLflow 2.17.2's
 * `SqlAlchemyStore` does: the same rows in `registered_models`, `model_versions`,
 * `registered_model_tags`, `model_version_tags` and `registered_model_aliases`, so either tool opens
 * what the other wrote. Writes run in `BEGIN IMMEDIATE` transactions: two processes creating versions
 * of one model at once get distinct numbers.
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
import {
  attributeClauses,
  modelVersionMatches,
  parseModelVersionFilter,
  parseModelVersionOrderBy,
  parseRegisteredModelFilter,
  parseRegisteredModelOrderBy,
  registeredModelMatches,
  sortRegistry,
} from "../../registry/search.ts";
import { paginate } from "../../search/page_token.ts";
import type { SqliteDb } from "./db.ts";
import {
  type ModelRow,
  modelRow,
  modelsOf,
  readModel,
  readVersion,
  type RegistryDb,
  registrySchema,
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

/** The registry over one SQLite database (`SqliteStore.registry`). */
export class SqliteRegistry implements ModelRegistryStore {
  readonly #r: RegistryDb;

  constructor(db: SqliteDb) {
    this.#r = { db, schema: registrySchema(db) };
  }

  // The work is synchronous (node:sqlite); errors become rejections like every other store's.
  #do<T>(fn: (r: RegistryDb, db: SqliteDb) => T): Promise<T> {
    try {
      return Promise.resolve(fn(this.#r, this.#r.db));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  createRegisteredModel(name: string, options: CreateRegisteredModelOptions = {}): Promise<RegisteredModel> {
    return this.#do((r, db) => {
      validateNewModelName(name);
      validateStoredText("description", options.description);
      const tags = Object.entries(options.tags ?? {});
      for (const [k, v] of tags) validateRegisteredModelTag(k, v);
      const now = Date.now();
      db.write(() => {
        if (db.get("SELECT 1 FROM registered_models WHERE name = ?", name)) throw registeredModelExists(name);
        db.run(
          "INSERT INTO registered_models (name, creation_time, last_updated_time, description) VALUES (?, ?, ?, ?)",
          name,
          now,
          now,
          options.description ?? null,
        );
        for (const [k, v] of tags) {
          db.run('INSERT INTO registered_model_tags ("key", value, name) VALUES (?, ?, ?)', k, v, name);
        }
      });
      return readModel(r, name);
    });
  }

  getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.#do((r) => readModel(r, name));
  }

  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    return this.#do((r, db) => {
      validateNewModelName(newName);
      const now = Date.now();
      db.write(() => {
        modelRow(r, name);
        if (newName !== name && db.get("SELECT 1 FROM registered_models WHERE name = ?", newName)) {
          throw registeredModelExists(newName);
        }
        // Versions, tags and aliases follow through the schema's ON UPDATE CASCADE foreign keys.
        db.run(
          "UPDATE registered_models SET name = ?, last_updated_time = ? WHERE name = ?",
          newName,
          now,
          name,
        );
        db.run("UPDATE model_versions SET last_updated_time = ? WHERE name = ?", now, newName);
      });
      return readModel(r, newName);
    });
  }

  updateRegisteredModel(name: string, description: string | null): Promise<RegisteredModel> {
    return this.#do((r, db) => {
      validateStoredText("description", description);
      db.write(() => {
        modelRow(r, name);
        db.run(
          "UPDATE registered_models SET description = ?, last_updated_time = ? WHERE name = ?",
          description,
          Date.now(),
          name,
        );
      });
      return readModel(r, name);
    });
  }

  deleteRegisteredModel(name: string): Promise<void> {
    return this.#do((r, db) =>
      db.write(() => {
        modelRow(r, name);
        // MLflow's ORM deletes the children itself: the foreign keys do not cascade on delete.
        db.run("DELETE FROM model_version_tags WHERE name = ?", name);
        if (r.schema.hasAliases) db.run("DELETE FROM registered_model_aliases WHERE name = ?", name);
        db.run("DELETE FROM model_versions WHERE name = ?", name);
        db.run("DELETE FROM registered_model_tags WHERE name = ?", name);
        db.run("DELETE FROM registered_models WHERE name = ?", name);
      })
    );
  }

  searchRegisteredModels(options: RegistrySearchOptions = {}): Promise<RegisteredModelsPage> {
    return this.#do((r, db) => {
      const maxResults = options.maxResults ?? REGISTRY_LIMITS.searchModelsDefault;
      validateRegistryMaxResults(maxResults, REGISTRY_LIMITS.searchModelsMaxResults);
      const clauses = parseRegisteredModelFilter(options.filter);
      const order = parseRegisteredModelOrderBy(options.orderBy);
      // Name clauses are checked on the rows, before tags, aliases and versions are read.
      const byName = attributeClauses(clauses);
      const rows = db.all<ModelRow>("SELECT * FROM registered_models")
        .filter((m) => registeredModelMatches({ name: m.name, tags: {} }, byName));
      const models = db.read(() => modelsOf(db, r.schema, rows));
      const matching = sortRegistry(models.filter((m) => registeredModelMatches(m, clauses)), order);
      const page = paginate(matching, options.pageToken, maxResults);
      return {
        registeredModels: page.items,
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      };
    });
  }

  getLatestVersions(name: string, stages: readonly string[] = []): Promise<ModelVersion[]> {
    return this.#do((r, db) => {
      const wanted = new Set<string>((stages.length ? stages : MODEL_VERSION_STAGES).map(canonicalStage));
      return db.read(() =>
        modelsOf(db, r.schema, [modelRow(r, name)])[0].latestVersions
          .filter((v) => wanted.has(v.currentStage))
          // latest_versions of a model carry no aliases; this call returns them with aliases.
          .map((v) => readVersion(r, name, v.version))
      );
    });
  }

  setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    return this.#do((r, db) => {
      validateRegisteredModelTag(key, value);
      db.write(() => {
        modelRow(r, name);
        db.run(
          'INSERT INTO registered_model_tags ("key", value, name) VALUES (?, ?, ?) ' +
            'ON CONFLICT ("key", name) DO UPDATE SET value = excluded.value',
          key,
          value,
          name,
        );
      });
    });
  }

  deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    return this.#do((r, db) => {
      validateRegisteredModelTag(key, "");
      db.write(() => {
        modelRow(r, name);
        db.run('DELETE FROM registered_model_tags WHERE name = ? AND "key" = ?', name, key);
      });
    });
  }

  async createModelVersion(
    name: string,
    source: string,
    options: CreateModelVersionOptions = {},
  ): Promise<ModelVersion> {
    validateModelName(name);
    const storageLocation = await storageLocationOf(this, source);
    const version = insertModelVersion(this.#r, name, { source, storageLocation }, options, Date.now());
    return readVersion(this.#r, name, version);
  }

  getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.#do((r) => readVersion(r, name, version));
  }

  updateModelVersion(name: string, version: string, description: string | null): Promise<ModelVersion> {
    return this.#do((r) => readVersion(r, name, updateVersionDescription(r, name, version, description)));
  }

  transitionModelVersionStage(
    name: string,
    version: string,
    stage: string,
    options: TransitionStageOptions = {},
  ): Promise<ModelVersion> {
    return this.#do((r) => readVersion(r, name, transitionStage(r, name, version, stage, options)));
  }

  deleteModelVersion(name: string, version: string): Promise<void> {
    return this.#do((r) => deleteVersion(r, name, version));
  }

  getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    return this.#do((r) => {
      const row = versionRow(r, name, version);
      return row.storage_location || row.source || "";
    });
  }

  searchModelVersions(options: RegistrySearchOptions = {}): Promise<ModelVersionsPage> {
    return this.#do((r, db) => {
      const maxResults = options.maxResults ?? REGISTRY_LIMITS.searchVersionsDefault;
      validateRegistryMaxResults(maxResults, REGISTRY_LIMITS.searchVersionsMaxResults);
      const clauses = parseModelVersionFilter(options.filter);
      const order = parseModelVersionOrderBy(options.orderBy);
      // Attribute clauses are checked on the rows, before tags and aliases are read.
      const first = attributeClauses(clauses);
      const rows = db.all<VersionRow>("SELECT * FROM model_versions WHERE current_stage != ?", DELETED_STAGE)
        .filter((v) =>
          modelVersionMatches({
            name: v.name,
            version: String(v.version),
            source: v.source,
            runId: v.run_id,
            tags: {},
          }, first)
        );
      const versions = db.read(() => versionsOf(db, r.schema, rows));
      const matching = sortRegistry(versions.filter((v) => modelVersionMatches(v, clauses)), order);
      const page = paginate(matching, options.pageToken, maxResults);
      return {
        modelVersions: page.items,
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      };
    });
  }

  setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    return this.#do((r) => writeVersionTag(r, name, version, key, value));
  }

  deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    return this.#do((r) => writeVersionTag(r, name, version, key, undefined));
  }

  setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    return this.#do((r) => {
      validateModelName(name);
      validateAliasName(alias);
      parseModelVersion(version);
      requireAliases(r);
      setAlias(r, name, alias, version);
    });
  }

  deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    return this.#do((r) => {
      validateModelName(name);
      validateAliasName(alias);
      requireAliases(r);
      deleteAlias(r, name, alias);
    });
  }

  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.#do((r, db) => {
      validateModelName(name);
      validateAliasName(alias);
      requireAliases(r);
      return db.read(() => {
        const row = db.get<{ version: number }>(
          "SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?",
          name,
          alias,
        );
        if (!row) throw aliasNotFound(alias);
        return readVersion(r, name, String(row.version));
      });
    });
  }
}
