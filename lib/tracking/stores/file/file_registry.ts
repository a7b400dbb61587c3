/**
 * The model registry of an `mlruns` file store, in MLflow's layout (`registry_files.ts`), so MLflow's
 * file-based registry reads what kmlf writes and the other way round. Each model's writers take its
 * lock; version numbers are also claimed by creating their folder, so they are never handed out twice.
 *
 * @module
 */
import { join } from "../../../path.ts";
import { statOrUndefined } from "../../../fs_utils.ts";
import {
  ACTIVE_STAGES,
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
  cannotArchiveInStage,
  modelVersionNotFound,
  parseModelVersion,
  registeredModelExists,
  registeredModelNotFound,
  validateAliasName,
  validateModelVersionTag,
  validateRegisteredModelTag,
  validateStoredText,
  validateVersionTexts,
} from "../../registry/rules.ts";
import { checkKeyFitsFileName, checkKeyPaths, keyFile, readKeyFiles } from "./file_format.ts";
import { searchModelFolders, searchVersionFolders } from "./registry_search_files.ts";
import {
  modelDir,
  modelEntity,
  type ModelMeta,
  readModelMeta,
  readVersionMeta,
  readVersionMetas,
  removeModelFolder,
  removeModelLock,
  versionDir,
  versionEntity,
  type VersionMeta,
  versionNumbers,
  withModelLock,
  writeKeyFile,
  writeModelMeta,
  writeVersionMeta,
} from "./registry_files.ts";

/** The registry under `<root>/models` (`FileStore.registry`). */
export class FileRegistry implements ModelRegistryStore {
  readonly #root: string;

  constructor(root: string) {
    this.#root = root;
  }

  async #model(name: string): Promise<{ dir: string; meta: ModelMeta }> {
    const dir = modelDir(this.#root, name);
    const meta = await readModelMeta(dir);
    if (!meta) throw registeredModelNotFound(name);
    return { dir, meta };
  }

  /** A live version's folder and meta (MLflow's file store checks the model first). */
  async #version(name: string, version: string): Promise<{ dir: string; meta: VersionMeta }> {
    const { dir } = await this.#model(name);
    const meta = await readVersionMeta(versionDir(dir, parseModelVersion(version)));
    if (!meta || meta.current_stage === DELETED_STAGE) throw modelVersionNotFound(name, version);
    return { dir, meta };
  }

  async #versionEntity(dir: string, meta: VersionMeta): Promise<ModelVersion> {
    return await versionEntity(dir, meta, await readKeyFiles(join(dir, "aliases")));
  }

  /**
   * Runs a write under the model's lock, asked for before any await: writes this process issues to one
   * model apply in the order they were issued (one issued after a delete finds the model gone), not in
   * the order some earlier read happened to finish. `fn` checks that the model or version still exists.
   */
  #locked<T>(name: string, fn: (dir: string) => Promise<T>): Promise<T> {
    const dir = modelDir(this.#root, name);
    return withModelLock(dir, name, () => fn(dir));
  }

  async #touch(dir: string, now = Date.now()): Promise<void> {
    const meta = await readModelMeta(dir);
    if (meta) await writeModelMeta(dir, { ...meta, last_updated_timestamp: now });
  }

  async createRegisteredModel(
    name: string,
    options: CreateRegisteredModelOptions = {},
  ): Promise<RegisteredModel> {
    const dir = modelDir(this.#root, name, { creating: true });
    validateStoredText("description", options.description);
    const tags = Object.entries(options.tags ?? {});
    for (const [k, v] of tags) {
      validateRegisteredModelTag(k, v);
      checkKeyFitsFileName(k, "tag");
    }
    checkKeyPaths(undefined, tags.map(([k]) => k), "tag");
    Deno.mkdirSync(join(this.#root, "models"), { recursive: true });
    try {
      Deno.mkdirSync(dir); // the name is claimed by whoever creates the folder
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) throw registeredModelExists(name);
      throw error;
    }
    try {
      await withModelLock(dir, name, async () => {
        for (const [k, v] of tags) await writeKeyFile(join(dir, "tags"), k, v);
        const now = Date.now();
        await writeModelMeta(dir, {
          name,
          creation_timestamp: now,
          last_updated_timestamp: now,
          description: options.description ?? null,
        });
      });
    } catch (error) {
      // A folder without meta.yaml would hold the name forever (exists to create, missing to get).
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      throw error;
    }
    return await this.getRegisteredModel(name);
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const { dir } = await this.#model(name);
    const model = await modelEntity(dir);
    if (!model) throw registeredModelNotFound(name);
    return model;
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    const newDir = modelDir(this.#root, newName, { creating: true });
    if (newName === name) return await this.getRegisteredModel(name);
    await this.#locked(name, async (dir) => {
      await this.#model(name);
      try {
        Deno.mkdirSync(newDir); // claim the new name; the rename below replaces this empty folder
      } catch (error) {
        if (error instanceof Deno.errors.AlreadyExists) throw registeredModelExists(newName);
        throw error;
      }
      Deno.renameSync(dir, newDir);
      const now = Date.now();
      const meta = (await readModelMeta(newDir))!;
      for (const v of await readVersionMetas(newDir)) {
        await writeVersionMeta(newDir, { ...v, name: newName, last_updated_timestamp: now });
      }
      await writeModelMeta(newDir, { ...meta, name: newName, last_updated_timestamp: now });
      await removeModelLock(newDir); // our lock moved along with the folder
    });
    return await this.getRegisteredModel(newName);
  }

  async updateRegisteredModel(name: string, description: string | null): Promise<RegisteredModel> {
    validateStoredText("description", description);
    await this.#locked(name, async (dir) => {
      const meta = (await this.#model(name)).meta;
      await writeModelMeta(dir, { ...meta, description, last_updated_timestamp: Date.now() });
    });
    return await this.getRegisteredModel(name);
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    await this.#locked(name, async (dir) => {
      await this.#model(name);
      await removeModelFolder(dir);
    });
  }

  searchRegisteredModels(options: RegistrySearchOptions = {}): Promise<RegisteredModelsPage> {
    return searchModelFolders(this.#root, options);
  }

  async getLatestVersions(name: string, stages: readonly string[] = []): Promise<ModelVersion[]> {
    const wanted = new Set<string>((stages.length ? stages : MODEL_VERSION_STAGES).map(canonicalStage));
    const model = await this.getRegisteredModel(name);
    return model.latestVersions.filter((v) => wanted.has(v.currentStage));
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    validateRegisteredModelTag(key, value);
    await this.#locked(name, async (dir) => {
      await this.#model(name);
      checkKeyPaths(join(dir, "tags"), [key], "tag");
      await writeKeyFile(join(dir, "tags"), key, value);
      await this.#touch(dir);
    });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    validateRegisteredModelTag(key, "");
    await this.#locked(name, async (dir) => {
      await this.#model(name);
      if (!statOrUndefined(keyFile(join(dir, "tags"), key, "tag"))) return;
      await writeKeyFile(join(dir, "tags"), key, undefined);
      await this.#touch(dir);
    });
  }

  async createModelVersion(
    name: string,
    source: string,
    options: CreateModelVersionOptions = {},
  ): Promise<ModelVersion> {
    validateVersionTexts(source, options);
    const tags = Object.entries(options.tags ?? {});
    for (const [k, v] of tags) {
      validateModelVersionTag(k, v);
      checkKeyFitsFileName(k, "tag");
    }
    checkKeyPaths(undefined, tags.map(([k]) => k), "tag");
    return await this.#locked(name, async (dir) => {
      await this.#model(name);
      const storageLocation = await storageLocationOf(this, source);
      let next = Math.max(0, ...versionNumbers(dir)) + 1;
      for (;; next++) {
        try {
          Deno.mkdirSync(versionDir(dir, next)); // claims the number even against a writer without the lock
          break;
        } catch (error) {
          if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
        }
      }
      const now = Date.now();
      const meta: VersionMeta = {
        name,
        version: next,
        creation_timestamp: now,
        last_updated_timestamp: now,
        description: options.description ?? null,
        user_id: null,
        current_stage: "None",
        source,
        run_id: options.runId ?? null,
        run_link: options.runLink ?? null,
        status: "READY",
        status_message: null,
        storage_location: storageLocation,
      };
      try {
        for (const [k, v] of tags) await writeKeyFile(join(versionDir(dir, next), "tags"), k, v);
        await writeVersionMeta(dir, meta);
      } catch (error) {
        // A version folder without its meta.yaml is no version: give the number back.
        await Deno.remove(versionDir(dir, next), { recursive: true }).catch(() => {});
        throw error;
      }
      await this.#touch(dir, now);
      return await this.#versionEntity(dir, meta);
    });
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    const { dir, meta } = await this.#version(name, version);
    return await this.#versionEntity(dir, meta);
  }

  async updateModelVersion(name: string, version: string, description: string | null): Promise<ModelVersion> {
    validateStoredText("description", description);
    return await this.#locked(name, async (dir) => {
      const { meta } = await this.#version(name, version);
      const updated = { ...meta, description, last_updated_timestamp: Date.now() };
      await writeVersionMeta(dir, updated);
      return await this.#versionEntity(dir, updated);
    });
  }

  async transitionModelVersionStage(
    name: string,
    version: string,
    stage: string,
    options: TransitionStageOptions = {},
  ): Promise<ModelVersion> {
    const target = canonicalStage(stage);
    if (options.archiveExistingVersions && !ACTIVE_STAGES.includes(target)) throw cannotArchiveInStage(stage);
    return await this.#locked(name, async (dir) => {
      const { meta } = await this.#version(name, version);
      const now = Date.now();
      if (options.archiveExistingVersions) {
        for (const other of await readVersionMetas(dir)) {
          if (other.version !== meta.version && other.current_stage === target) {
            await writeVersionMeta(dir, { ...other, current_stage: "Archived", last_updated_timestamp: now });
          }
        }
      }
      const moved = { ...meta, current_stage: target, last_updated_timestamp: now };
      await writeVersionMeta(dir, moved);
      await this.#touch(dir, now);
      return await this.#versionEntity(dir, moved);
    });
  }

  async deleteModelVersion(name: string, version: string): Promise<void> {
    await this.#locked(name, async (dir) => {
      const { meta } = await this.#version(name, version);
      const now = Date.now();
      // MLflow's order: the version is saved (listing its aliases), then the aliases pointing at it go.
      await writeVersionMeta(dir, { ...meta, current_stage: DELETED_STAGE, last_updated_timestamp: now });
      for (const [alias, v] of Object.entries(await readKeyFiles(join(dir, "aliases")))) {
        if (Number(v) === meta.version) await writeKeyFile(join(dir, "aliases"), alias, undefined, "alias");
      }
      await this.#touch(dir, now);
    });
  }

  searchModelVersions(options: RegistrySearchOptions = {}): Promise<ModelVersionsPage> {
    return searchVersionFolders(this.#root, options);
  }

  async getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    const { meta } = await this.#version(name, version);
    return meta.storage_location || meta.source || "";
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    validateModelVersionTag(key, value);
    await this.#writeVersionTag(name, version, key, value);
  }

  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    validateModelVersionTag(key, "");
    await this.#writeVersionTag(name, version, key, undefined);
  }

  async #writeVersionTag(
    name: string,
    version: string,
    key: string,
    value: string | undefined,
  ): Promise<void> {
    await this.#locked(name, async (dir) => {
      const { meta } = await this.#version(name, version);
      const folder = join(versionDir(dir, meta.version), "tags");
      if (value === undefined && !statOrUndefined(keyFile(folder, key, "tag"))) return;
      if (value !== undefined) checkKeyPaths(folder, [key], "tag");
      await writeKeyFile(folder, key, value);
      await this.#touch(dir);
    });
  }

  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    validateAliasName(alias);
    const number = parseModelVersion(version);
    await this.#locked(name, async (dir) => {
      await this.#version(name, version);
      // Like MLflow, only the alias file and the model's meta.yaml change; a version's meta.yaml lists
      // its aliases as of its last save (readers take them from aliases/).
      await writeKeyFile(join(dir, "aliases"), alias, String(number), "alias");
      await this.#touch(dir);
    });
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    validateAliasName(alias);
    await this.#locked(name, async (dir) => {
      await this.#model(name);
      const version = (await readKeyFiles(join(dir, "aliases")))[alias];
      if (version === undefined) return;
      await writeKeyFile(join(dir, "aliases"), alias, undefined, "alias");
      await this.#touch(dir);
    });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    validateAliasName(alias);
    const { dir } = await this.#model(name);
    const version = (await readKeyFiles(join(dir, "aliases")))[alias];
    if (version === undefined) throw aliasNotFound(alias);
    return await this.getModelVersion(name, version);
  }
}
