/**
 * `ModelRegistryStore`: the model registry every tracking store offers (`store.registry`), with
 * MLflow's model-registry store methods (`mlflow/store/model_registry/abstract_store.py`) under
 * their camelCase names. The contract suite (`tests/tracking/registry_contract.ts`) checks the
 * SQLite, file and REST implementations against these rules:
 *
 * - Names are unique and case-sensitive; versions are numbered 1, 2, … per model, never reused (a
 *   deleted version keeps its number), and two processes creating versions at once get distinct numbers.
 * - Deleted versions are invisible: get/search/latest never return them, and their aliases go.
 * - Errors are `TrackingError`s with MLflow's codes and wording (`rules.ts`): an unknown model or
 *   version is RESOURCE_DOES_NOT_EXIST, a taken name RESOURCE_ALREADY_EXISTS, an unknown alias and
 *   any bad input INVALID_PARAMETER_VALUE.
 * - Versions are given as decimal strings (`"3"`); `" 3 "` and `"03"` mean version 3.
 *
 * @module
 */
import type { ModelVersion, RegisteredModel } from "./entities.ts";

/** Options of {@link ModelRegistryStore.createRegisteredModel}. */
export interface CreateRegisteredModelOptions {
  /** Tags of the new model. */
  tags?: Record<string, string>;
  /** Description of the new model; null or absent leaves it unset. */
  description?: string | null;
}

/** Options of {@link ModelRegistryStore.createModelVersion}. */
export interface CreateModelVersionOptions {
  /** The run that produced the model. */
  runId?: string | null;
  /** Tags of the new version. */
  tags?: Record<string, string>;
  /** A link to the run on the tracking server that produced it. */
  runLink?: string | null;
  /** Description of the new version; null or absent leaves it unset. */
  description?: string | null;
}

/** Options of the registry searches. */
export interface RegistrySearchOptions {
  /** MLflow's registry filter (`name LIKE 'iris%' AND tags.team = 'ml'`). */
  filter?: string;
  /** Page size: models default 100 (≤ 1000), versions default 10000 (≤ 200000). */
  maxResults?: number;
  /** `["name ASC"]`, `["last_updated_timestamp DESC"]`, `["version_number DESC"]`, … */
  orderBy?: readonly string[];
  /** The `nextPageToken` of the previous page, to read the next one. */
  pageToken?: string;
}

/** A page of registered models. */
export interface RegisteredModelsPage {
  /** The models of this page. */
  registeredModels: RegisteredModel[];
  /** Present when more models follow: pass it as `pageToken`. */
  nextPageToken?: string;
}

/** A page of model versions. */
export interface ModelVersionsPage {
  /** The versions of this page. */
  modelVersions: ModelVersion[];
  /** Present when more versions follow: pass it as `pageToken`. */
  nextPageToken?: string;
}

/** Options of {@link ModelRegistryStore.transitionModelVersionStage}. */
export interface TransitionStageOptions {
  /** Move the other versions in the target stage (Staging or Production only) to Archived. */
  archiveExistingVersions?: boolean;
}

/** A model registry. All methods are async so local and remote stores share one shape. */
export interface ModelRegistryStore {
  /** Creates a model (a taken name → RESOURCE_ALREADY_EXISTS). */
  createRegisteredModel(name: string, options?: CreateRegisteredModelOptions): Promise<RegisteredModel>;
  /** A model with its tags, aliases and latest version per stage. */
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  /** Renames a model; its versions, tags and aliases follow. */
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel>;
  /** Replaces a model's description. */
  updateRegisteredModel(name: string, description: string | null): Promise<RegisteredModel>;
  /** Deletes a model with all its versions, tags and aliases (no undo). */
  deleteRegisteredModel(name: string): Promise<void>;
  /** Models matching a filter; default order name ASC. */
  searchRegisteredModels(options?: RegistrySearchOptions): Promise<RegisteredModelsPage>;
  /** The newest version in each of `stages` (all stages when empty). */
  getLatestVersions(name: string, stages?: readonly string[]): Promise<ModelVersion[]>;
  /** Sets (overwrites) a model tag. */
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void>;
  /** Removes a model tag (a missing tag is fine). */
  deleteRegisteredModelTag(name: string, key: string): Promise<void>;

  /** Adds the next version of a model, READY at once, in stage None. */
  createModelVersion(
    name: string,
    source: string,
    options?: CreateModelVersionOptions,
  ): Promise<ModelVersion>;
  /** One version. */
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  /** Replaces a version's description. */
  updateModelVersion(name: string, version: string, description: string | null): Promise<ModelVersion>;
  /** Moves a version to a stage (None, Staging, Production, Archived; any case). */
  transitionModelVersionStage(
    name: string,
    version: string,
    stage: string,
    options?: TransitionStageOptions,
  ): Promise<ModelVersion>;
  /** Deletes a version (its number is not reused) and the aliases pointing at it. */
  deleteModelVersion(name: string, version: string): Promise<void>;
  /** Where to download a version's files from (a `models:/` source is resolved when created). */
  getModelVersionDownloadUri(name: string, version: string): Promise<string>;
  /** Versions matching a filter; default order last_updated_timestamp DESC. */
  searchModelVersions(options?: RegistrySearchOptions): Promise<ModelVersionsPage>;
  /** Sets (overwrites) a version tag. */
  setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void>;
  /** Removes a version tag (a missing tag is fine). */
  deleteModelVersionTag(name: string, version: string, key: string): Promise<void>;

  /** Points an alias at a version (moving it if it pointed elsewhere). */
  setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void>;
  /** Removes an alias (a missing alias is fine). */
  deleteRegisteredModelAlias(name: string, alias: string): Promise<void>;
  /** The version an alias points at (an unknown alias → INVALID_PARAMETER_VALUE, as in MLflow). */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
}
