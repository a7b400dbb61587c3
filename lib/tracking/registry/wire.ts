/**
 * The model registry's JSON (`model_registry.proto`, snake_case) ⇄ registry entities, shared by the
 * REST store and the server. Writers emit what MLflow 2.17's server emits: fields in proto order,
 * int64 as numbers, unset fields and empty lists omitted (a model's empty description too, a
 * version's "" description kept, as MLflow's `to_proto` does).
 *
 * @module
 */
import { setEntry } from "../entities.ts";
import { int64FromWire, type KeyValueWire, recordFromWire, recordToWire } from "../wire_values.ts";
import type { ModelVersion, ModelVersionStatus, RegisteredModel } from "./entities.ts";

/** A model version as MLflow's JSON. */
export interface ModelVersionWire {
  name: string;
  version: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  user_id?: string;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  status?: string;
  status_message?: string;
  tags?: KeyValueWire[];
  run_link?: string;
  aliases?: string[];
}

/** A registered model as MLflow's JSON. */
export interface RegisteredModelWire {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  description?: string;
  latest_versions?: ModelVersionWire[];
  tags?: KeyValueWire[];
  aliases?: { alias: string; version: string }[];
}

function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | null | undefined): void {
  if (value !== null && value !== undefined) target[key] = value;
}

/**
 * A model version as MLflow's JSON.
 *
 * @example
 * ```ts
 * modelVersionToWire(version); // { name: "iris", version: "1", current_stage: "None", … }
 * ```
 */
export function modelVersionToWire(v: ModelVersion): ModelVersionWire {
  const w: ModelVersionWire = { name: v.name, version: v.version };
  put(w, "creation_timestamp", v.creationTimestamp);
  put(w, "last_updated_timestamp", v.lastUpdatedTimestamp);
  put(w, "user_id", v.userId);
  put(w, "current_stage", v.currentStage);
  put(w, "description", v.description);
  put(w, "source", v.source);
  put(w, "run_id", v.runId);
  put(w, "status", v.status);
  if (v.statusMessage) w.status_message = v.statusMessage;
  if (Object.keys(v.tags).length) w.tags = recordToWire(v.tags);
  put(w, "run_link", v.runLink);
  if (v.aliases.length) w.aliases = [...v.aliases];
  return w;
}

/**
 * A model version from MLflow's JSON (lenient: missing fields are null, int64 may be strings).
 *
 * @example
 * ```ts
 * modelVersionFromWire(body.model_version).version; // "3"
 * ```
 */
export function modelVersionFromWire(w: ModelVersionWire): ModelVersion {
  return {
    name: w.name,
    version: String(w.version),
    creationTimestamp: int64FromWire(w.creation_timestamp, null),
    lastUpdatedTimestamp: int64FromWire(w.last_updated_timestamp, null),
    description: w.description ?? null,
    userId: w.user_id ?? null,
    currentStage: w.current_stage ?? "None",
    source: w.source ?? null,
    runId: w.run_id ?? null,
    runLink: w.run_link ?? null,
    status: (w.status ?? "READY") as ModelVersionStatus,
    statusMessage: w.status_message ?? null,
    tags: recordFromWire(w.tags),
    aliases: w.aliases ?? [],
  };
}

/**
 * A registered model as MLflow's JSON.
 *
 * @example
 * ```ts
 * registeredModelToWire(model); // { name: "iris", latest_versions: [...], aliases: [{ alias: "champion", version: "2" }] }
 * ```
 */
export function registeredModelToWire(m: RegisteredModel): RegisteredModelWire {
  const w: RegisteredModelWire = { name: m.name };
  put(w, "creation_timestamp", m.creationTimestamp);
  if (m.lastUpdatedTimestamp) w.last_updated_timestamp = m.lastUpdatedTimestamp;
  if (m.description) w.description = m.description;
  if (m.latestVersions.length) w.latest_versions = m.latestVersions.map(modelVersionToWire);
  if (Object.keys(m.tags).length) w.tags = recordToWire(m.tags);
  const aliases = Object.entries(m.aliases);
  if (aliases.length) w.aliases = aliases.map(([alias, version]) => ({ alias, version }));
  return w;
}

/**
 * A registered model from MLflow's JSON.
 *
 * @example
 * ```ts
 * registeredModelFromWire(body.registered_model).aliases; // { champion: "2" }
 * ```
 */
export function registeredModelFromWire(w: RegisteredModelWire): RegisteredModel {
  const aliases: Record<string, string> = {};
  for (const a of w.aliases ?? []) setEntry(aliases, a.alias, String(a.version));
  return {
    name: w.name,
    creationTimestamp: int64FromWire(w.creation_timestamp, null),
    lastUpdatedTimestamp: int64FromWire(w.last_updated_timestamp, null),
    description: w.description ?? null,
    latestVersions: (w.latest_versions ?? []).map(modelVersionFromWire),
    tags: recordFromWire(w.tags),
    aliases,
  };
}
