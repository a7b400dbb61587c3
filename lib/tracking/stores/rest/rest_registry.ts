/**
 * The model registry of an MLflow server, through the REST calls MLflow's Python client makes
 * (`/api/2.0/mlflow/registered-models/*`, `/model-versions/*`, same methods and fields). Input rules
 * are the server's: its answers (MLflow's codes and messages) come back as `TrackingError`s.
 *
 * @module
 */
import type { ModelVersion, RegisteredModel } from "../../registry/entities.ts";
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
  modelVersionFromWire,
  type ModelVersionWire,
  registeredModelFromWire,
  type RegisteredModelWire,
} from "../../registry/wire.ts";
import { recordToWire } from "../../wire_values.ts";

/** Sends one API call (path below `/api/2.0/mlflow`) and resolves with the answer's JSON object. */
export type RestCall = (
  method: "GET" | "POST" | "PATCH" | "DELETE",
  endpoint: string,
  message: object,
) => Promise<Record<string, unknown>>;

function searchMessage(options: RegistrySearchOptions, defaultMax: number): Record<string, unknown> {
  return {
    max_results: options.maxResults ?? defaultMax,
    ...(options.filter ? { filter: options.filter } : {}),
    ...(options.orderBy?.length ? { order_by: [...options.orderBy] } : {}),
    ...(options.pageToken ? { page_token: options.pageToken } : {}),
  };
}

function token(body: Record<string, unknown>): { nextPageToken?: string } {
  const t = body.next_page_token;
  return typeof t === "string" && t !== "" ? { nextPageToken: t } : {};
}

/** The registry of the server behind a `RestStore` (`RestStore.registry`). */
export class RestRegistry implements ModelRegistryStore {
  readonly #call: RestCall;

  constructor(call: RestCall) {
    this.#call = call;
  }

  async #model(
    method: "GET" | "POST" | "PATCH",
    endpoint: string,
    message: object,
  ): Promise<RegisteredModel> {
    const body = await this.#call(method, endpoint, message);
    return registeredModelFromWire(body.registered_model as RegisteredModelWire);
  }

  async #version(method: "GET" | "POST" | "PATCH", endpoint: string, message: object): Promise<ModelVersion> {
    const body = await this.#call(method, endpoint, message);
    return modelVersionFromWire(body.model_version as ModelVersionWire);
  }

  createRegisteredModel(name: string, options: CreateRegisteredModelOptions = {}): Promise<RegisteredModel> {
    const tags = recordToWire(options.tags ?? {});
    return this.#model("POST", "/registered-models/create", {
      name,
      ...(tags.length ? { tags } : {}),
      ...(options.description != null ? { description: options.description } : {}),
    });
  }

  getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.#model("GET", "/registered-models/get", { name });
  }

  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    return this.#model("POST", "/registered-models/rename", { name, new_name: newName });
  }

  updateRegisteredModel(name: string, description: string | null): Promise<RegisteredModel> {
    return this.#model("PATCH", "/registered-models/update", {
      name,
      ...(description != null ? { description } : {}),
    });
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    await this.#call("DELETE", "/registered-models/delete", { name });
  }

  async searchRegisteredModels(options: RegistrySearchOptions = {}): Promise<RegisteredModelsPage> {
    const body = await this.#call("GET", "/registered-models/search", searchMessage(options, 100));
    const models = (body.registered_models as RegisteredModelWire[] | undefined ?? []).map(
      registeredModelFromWire,
    );
    return { registeredModels: models, ...token(body) };
  }

  async getLatestVersions(name: string, stages: readonly string[] = []): Promise<ModelVersion[]> {
    const body = await this.#call("POST", "/registered-models/get-latest-versions", {
      name,
      ...(stages.length ? { stages: [...stages] } : {}),
    });
    return (body.model_versions as ModelVersionWire[] | undefined ?? []).map(modelVersionFromWire);
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    await this.#call("POST", "/registered-models/set-tag", { name, key, value });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    await this.#call("DELETE", "/registered-models/delete-tag", { name, key });
  }

  createModelVersion(
    name: string,
    source: string,
    options: CreateModelVersionOptions = {},
  ): Promise<ModelVersion> {
    const tags = recordToWire(options.tags ?? {});
    return this.#version("POST", "/model-versions/create", {
      name,
      source,
      ...(options.runId != null ? { run_id: options.runId } : {}),
      ...(tags.length ? { tags } : {}),
      ...(options.runLink != null ? { run_link: options.runLink } : {}),
      ...(options.description != null ? { description: options.description } : {}),
    });
  }

  getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.#version("GET", "/model-versions/get", { name, version });
  }

  updateModelVersion(name: string, version: string, description: string | null): Promise<ModelVersion> {
    return this.#version("PATCH", "/model-versions/update", {
      name,
      version,
      ...(description != null ? { description } : {}),
    });
  }

  transitionModelVersionStage(
    name: string,
    version: string,
    stage: string,
    options: TransitionStageOptions = {},
  ): Promise<ModelVersion> {
    return this.#version("POST", "/model-versions/transition-stage", {
      name,
      version,
      stage,
      archive_existing_versions: options.archiveExistingVersions ?? false,
    });
  }

  async deleteModelVersion(name: string, version: string): Promise<void> {
    await this.#call("DELETE", "/model-versions/delete", { name, version });
  }

  async getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    const body = await this.#call("GET", "/model-versions/get-download-uri", { name, version });
    return String(body.artifact_uri ?? "");
  }

  async searchModelVersions(options: RegistrySearchOptions = {}): Promise<ModelVersionsPage> {
    const body = await this.#call("GET", "/model-versions/search", searchMessage(options, 10_000));
    const versions = (body.model_versions as ModelVersionWire[] | undefined ?? []).map(modelVersionFromWire);
    return { modelVersions: versions, ...token(body) };
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    await this.#call("POST", "/model-versions/set-tag", { name, version, key, value });
  }

  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    await this.#call("DELETE", "/model-versions/delete-tag", { name, version, key });
  }

  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    await this.#call("POST", "/registered-models/alias", { name, alias, version });
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    await this.#call("DELETE", "/registered-models/alias", { name, alias });
  }

  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.#version("GET", "/registered-models/alias", { name, alias });
  }
}
