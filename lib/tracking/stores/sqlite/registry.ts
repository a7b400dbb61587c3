/**
 * The model registry of an MLflow SQLite database, read-only: registered models with their tags,
 * aliases and latest version per stage, and model versions with tags and aliases.
 *
 * @module
 */
import {
  matchesRegistryFilter,
  type ModelRegistryReader,
  type ModelVersionWire,
  parseRegistryFilter,
  type RegisteredModelWire,
  type RegistrySearchOptions,
} from "../../registry.ts";
import { paginate } from "../../search/page_token.ts";
import { mlflowError } from "../../tracking_errors.ts";
import { validateMaxResults } from "../../validation.ts";
import type { SqliteDb } from "./db.ts";

interface ModelRow {
  name: string;
  creation_time: number | null;
  last_updated_time: number | null;
  description: string | null;
}
interface VersionRow extends ModelRow {
  version: number;
  user_id: string | null;
  current_stage: string | null;
  source: string | null;
  run_id: string | null;
  status: string | null;
  status_message: string | null;
  run_link: string | null;
}

// MLflow marks deleted versions with this stage and never returns them.
const DELETED_STAGE = "Deleted_Internal";

function set<T extends object>(target: T, key: keyof T, value: unknown): void {
  if (value !== null && value !== undefined && value !== "") {
    (target as Record<string, unknown>)[key as string] = value;
  }
}

/** Registry reads over one SQLite database. */
export class SqliteRegistry implements ModelRegistryReader {
  readonly #db: SqliteDb;

  constructor(db: SqliteDb) {
    this.#db = db;
  }

  #versionToWire(row: VersionRow): ModelVersionWire {
    const wire: ModelVersionWire = { name: row.name, version: String(row.version) };
    set(wire, "creation_timestamp", row.creation_time);
    set(wire, "last_updated_timestamp", row.last_updated_time);
    set(wire, "user_id", row.user_id);
    set(wire, "current_stage", row.current_stage);
    set(wire, "description", row.description);
    set(wire, "source", row.source);
    set(wire, "run_id", row.run_id);
    set(wire, "status", row.status);
    set(wire, "status_message", row.status_message);
    set(wire, "run_link", row.run_link);
    const tags = this.#db.all<{ key: string; value: string | null }>(
      'SELECT "key", value FROM model_version_tags WHERE name = ? AND version = ? ORDER BY "key"',
      row.name,
      row.version,
    );
    if (tags.length) wire.tags = tags.map((t) => ({ key: t.key, value: t.value ?? "" }));
    const aliases = this.#db.all<{ alias: string }>(
      "SELECT alias FROM registered_model_aliases WHERE name = ? AND version = ? ORDER BY alias",
      row.name,
      row.version,
    );
    if (aliases.length) wire.aliases = aliases.map((a) => a.alias);
    return wire;
  }

  #modelToWire(row: ModelRow): RegisteredModelWire {
    const wire: RegisteredModelWire = { name: row.name };
    set(wire, "creation_timestamp", row.creation_time);
    set(wire, "last_updated_timestamp", row.last_updated_time);
    set(wire, "description", row.description);
    // The latest version per stage, as MLflow's `latest_versions`.
    const latest = this.#db.all<VersionRow>(
      "SELECT * FROM model_versions v WHERE name = ? AND current_stage != ? AND version = " +
        "(SELECT MAX(version) FROM model_versions w WHERE w.name = v.name AND w.current_stage = v.current_stage) " +
        "ORDER BY version",
      row.name,
      DELETED_STAGE,
    );
    if (latest.length) wire.latest_versions = latest.map((v) => this.#versionToWire(v));
    const tags = this.#db.all<{ key: string; value: string | null }>(
      'SELECT "key", value FROM registered_model_tags WHERE name = ? ORDER BY "key"',
      row.name,
    );
    if (tags.length) wire.tags = tags.map((t) => ({ key: t.key, value: t.value ?? "" }));
    const aliases = this.#db.all<{ alias: string; version: number }>(
      "SELECT alias, version FROM registered_model_aliases WHERE name = ? ORDER BY alias",
      row.name,
    );
    if (aliases.length) wire.aliases = aliases.map((a) => ({ alias: a.alias, version: String(a.version) }));
    return wire;
  }

  searchRegisteredModels(options: RegistrySearchOptions = {}) {
    const maxResults = options.maxResults ?? 100;
    validateMaxResults(maxResults);
    const clauses = parseRegistryFilter(options.filter);
    const rows = this.#db.all<ModelRow>("SELECT * FROM registered_models ORDER BY name")
      .filter((r) => matchesRegistryFilter(r as unknown as Record<string, unknown>, clauses));
    const page = paginate(rows, options.pageToken, maxResults);
    return {
      registeredModels: page.items.map((r) => this.#modelToWire(r)),
      nextPageToken: page.nextPageToken,
    };
  }

  getRegisteredModel(name: string): RegisteredModelWire {
    const row = this.#db.all<ModelRow>("SELECT * FROM registered_models WHERE name = ?", name)[0];
    if (!row) throw mlflowError("RESOURCE_DOES_NOT_EXIST", `Registered Model with name=${name} not found`);
    return this.#modelToWire(row);
  }

  searchModelVersions(options: RegistrySearchOptions = {}) {
    const maxResults = options.maxResults ?? 200_000;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 200_000) {
      throw mlflowError("INVALID_PARAMETER_VALUE", `Invalid value for max_results: ${maxResults}`);
    }
    const clauses = parseRegistryFilter(options.filter);
    const rows = this.#db.all<VersionRow>(
      "SELECT * FROM model_versions WHERE current_stage != ? ORDER BY name, version DESC",
      DELETED_STAGE,
    ).filter((r) => matchesRegistryFilter(r as unknown as Record<string, unknown>, clauses));
    const page = paginate(rows, options.pageToken, maxResults);
    return {
      modelVersions: page.items.map((r) => this.#versionToWire(r)),
      nextPageToken: page.nextPageToken,
    };
  }

  getModelVersion(name: string, version: string): ModelVersionWire {
    const row = this.#db.all<VersionRow>(
      "SELECT * FROM model_versions WHERE name = ? AND version = ? AND current_stage != ?",
      name,
      Number(version),
      DELETED_STAGE,
    )[0];
    if (!row) {
      throw mlflowError(
        "RESOURCE_DOES_NOT_EXIST",
        `Model Version (name=${name}, version=${version}) not found`,
      );
    }
    return this.#versionToWire(row);
  }
}
