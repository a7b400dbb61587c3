/**
 * Searching the file store's registry: every model folder is read (names are checked on the folder
 * name first, attributes on each version's meta.yaml before its tags), then MLflow's filter, order and
 * paging apply.
 *
 * @module
 */
import { basename, join } from "../../../path.ts";
import { statOrUndefined } from "../../../fs_utils.ts";
import { DELETED_STAGE, type ModelVersion, type RegisteredModel } from "../../registry/entities.ts";
import type {
  ModelVersionsPage,
  RegisteredModelsPage,
  RegistrySearchOptions,
} from "../../registry/registry_store.ts";
import { REGISTRY_LIMITS, validateRegistryMaxResults } from "../../registry/rules.ts";
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
import { readKeyFiles } from "./file_format.ts";
import { modelEntity, readVersionMetas, versionEntity } from "./registry_files.ts";
import { leadsOutOf } from "./folder_links.ts";

/** A version-shaped record with only a name, for checking name clauses on a model's folder name. */
function nameOnly(name: string) {
  return { name, version: "0", source: null, runId: null, tags: {} };
}

/** Every model folder under `<root>/models`. */
function modelFolders(root: string): string[] {
  const models = join(root, "models");
  if (!statOrUndefined(models)?.isDirectory || leadsOutOf(root, "models")) return [];
  return [...Deno.readDirSync(models)].filter((e) => e.isDirectory).map((e) => join(models, e.name));
}

/** Registered models matching a search, as MLflow's registry FileStore finds them. */
export async function searchModelFolders(
  root: string,
  options: RegistrySearchOptions = {},
): Promise<RegisteredModelsPage> {
  const maxResults = options.maxResults ?? REGISTRY_LIMITS.searchModelsDefault;
  validateRegistryMaxResults(maxResults, REGISTRY_LIMITS.searchModelsMaxResults);
  const clauses = parseRegisteredModelFilter(options.filter);
  const order = parseRegisteredModelOrderBy(options.orderBy);
  const byName = attributeClauses(clauses);
  const models: RegisteredModel[] = [];
  for (const dir of modelFolders(root)) {
    // A model's folder is named after it: name clauses are checked before anything is read.
    if (!registeredModelMatches({ name: basename(dir), tags: {} }, byName)) continue;
    const model = await modelEntity(dir);
    if (model && registeredModelMatches(model, clauses)) models.push(model);
  }
  const page = paginate(sortRegistry(models, order), options.pageToken, maxResults);
  return {
    registeredModels: page.items,
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  };
}

/** Model versions matching a search (deleted versions left out). */
export async function searchVersionFolders(
  root: string,
  options: RegistrySearchOptions = {},
): Promise<ModelVersionsPage> {
  const maxResults = options.maxResults ?? REGISTRY_LIMITS.searchVersionsDefault;
  validateRegistryMaxResults(maxResults, REGISTRY_LIMITS.searchVersionsMaxResults);
  const clauses = parseModelVersionFilter(options.filter);
  const order = parseModelVersionOrderBy(options.orderBy);
  const first = attributeClauses(clauses);
  const versions: ModelVersion[] = [];
  for (const dir of modelFolders(root)) {
    if (
      first.some((c) => c.key === "name") &&
      !modelVersionMatches(nameOnly(basename(dir)), first.filter((c) => c.key === "name"))
    ) {
      continue;
    }
    const aliases = await readKeyFiles(join(dir, "aliases"));
    for (const meta of await readVersionMetas(dir)) {
      if (meta.current_stage === DELETED_STAGE) continue;
      const partial = {
        name: meta.name,
        version: String(meta.version),
        source: meta.source,
        runId: meta.run_id,
        tags: {},
      };
      if (!modelVersionMatches(partial, first)) continue;
      const version = await versionEntity(dir, meta, aliases);
      if (modelVersionMatches(version, clauses)) versions.push(version);
    }
  }
  const page = paginate(sortRegistry(versions, order), options.pageToken, maxResults);
  return {
    modelVersions: page.items,
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  };
}
