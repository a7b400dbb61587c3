/**
 * The model registry and `kmlf gc`'s deletes of the SQL stores (SQLite, PostgreSQL), loaded when first
 * used: every tracked run opens a store, and few use either (the registry is ~35 KB of code with its
 * rules, rows and page tokens). What can fail when the store opens (reading the registry's schema) is done
 * by the store before; the rest only runs SQL, so deferring it changes no error.
 *
 * @module
 */
import type { ModelRegistryStore } from "../../registry/registry_store.ts";
import type { HardDeletes } from "../hard_delete.ts";
import { deferredMethods } from "../deferred_methods.ts";
import type { RegistrySchema } from "./registry_rows.ts";
import type { SqlEngine } from "./sql_job.ts";

/**
 * A {@link ModelRegistryStore} that loads `sql_registry.ts` (and the engine) on its first call.
 *
 * @example
 * ```ts
 * const registry = deferredSqlRegistry(async () => sqliteEngine(db), registrySchema(db));
 * await registry.getRegisteredModel("iris"); // loads the SQL registry now
 * ```
 */
export function deferredSqlRegistry(
  engine: () => Promise<SqlEngine>,
  schema: RegistrySchema,
): ModelRegistryStore {
  return deferredMethods<ModelRegistryStore>(async () => {
    const [{ SqlRegistry }, loadedEngine] = await Promise.all([sqlRegistryModule(), engine()]);
    return new SqlRegistry(loadedEngine, schema);
  }, {
    createRegisteredModel: true,
    getRegisteredModel: true,
    renameRegisteredModel: true,
    updateRegisteredModel: true,
    deleteRegisteredModel: true,
    searchRegisteredModels: true,
    getLatestVersions: true,
    setRegisteredModelTag: true,
    deleteRegisteredModelTag: true,
    createModelVersion: true,
    getModelVersion: true,
    updateModelVersion: true,
    transitionModelVersionStage: true,
    deleteModelVersion: true,
    getModelVersionDownloadUri: true,
    searchModelVersions: true,
    setModelVersionTag: true,
    deleteModelVersionTag: true,
    setRegisteredModelAlias: true,
    deleteRegisteredModelAlias: true,
    getModelVersionByAlias: true,
  });
}

/**
 * `kmlf gc`'s {@link HardDeletes} that load `sql_hard_delete.ts` (and the engine) on their first call.
 *
 * @example
 * ```ts
 * const deletes = deferredSqlHardDeletes(async () => sqliteEngine(db));
 * await deletes.deletedRuns();
 * ```
 */
export function deferredSqlHardDeletes(engine: () => Promise<SqlEngine>): HardDeletes {
  return deferredMethods<HardDeletes>(async () => {
    const [{ sqlHardDeletes }, loadedEngine] = await Promise.all([sqlHardDeleteModule(), engine()]);
    return sqlHardDeletes(loadedEngine);
  }, { deletedRuns: true, hardDeleteRun: true, hardDeleteExperiment: true });
}

// By computed URLs, which Deno does not read with this module (the bundle makes each an entry point).
const sqlRegistryModule = (): Promise<typeof import("./sql_registry.ts")> =>
  import(new URL("./sql_registry.ts", import.meta.url).href);
const sqlHardDeleteModule = (): Promise<typeof import("./sql_hard_delete.ts")> =>
  import(new URL("./sql_hard_delete.ts", import.meta.url).href);
