/**
 * The model registry RPCs (`model_registry.proto`) over the store's registry, under
 * `/api/2.0/mlflow/` and `/ajax-api/2.0/mlflow/`: one entry per path and HTTP method, with MLflow
 * 2.17.2's field checks (`registry_messages.ts`), answers and error codes. Also the UI's
 * `/model-versions/get-artifact` file download.
 *
 * @module
 */
import {
  type ModelRegistryStore,
  modelVersionToWire,
  registeredModelToWire,
  REGISTRY_LIMITS,
} from "../tracking/mod.ts";
import { checkModelVersionSource } from "./model_version_source.ts";
import { flag, integer, tagList, text, texts } from "./registry_messages.ts";
import type { RequestMessage } from "./request_message.ts";
import { pageBody } from "./responses.ts";
import type { ServerContext } from "./server_context.ts";

/** One registry RPC: the decoded message (and whether it came from a query string) in, JSON out. */
export type RegistryHandler = (
  ctx: ServerContext,
  msg: RequestMessage,
  fromQuery: boolean,
) => Promise<unknown>;

const EMPTY = {};
const required = (fromQuery: boolean) => ({ required: true, fromQuery });
const optional = (fromQuery: boolean) => ({ fromQuery });

function nameOf(msg: RequestMessage, q: boolean): string {
  return text(msg, "name", required(q))!;
}

function versionOf(msg: RequestMessage, q: boolean): string {
  return text(msg, "version", required(q))!;
}

const registry = (ctx: ServerContext): ModelRegistryStore => ctx.store.registry;

async function modelBody(model: Promise<Parameters<typeof registeredModelToWire>[0]>) {
  return { registered_model: registeredModelToWire(await model) };
}

async function versionBody(version: Promise<Parameters<typeof modelVersionToWire>[0]>) {
  return { model_version: modelVersionToWire(await version) };
}

/** Every registry RPC by path (below `/api/2.0/mlflow/`) and HTTP method. */
export const REGISTRY_ROUTES: Readonly<Record<string, Readonly<Record<string, RegistryHandler>>>> = {
  "registered-models/create": {
    POST: (ctx, msg, q) => {
      const name = nameOf(msg, q);
      const tags = tagList(msg);
      const description = text(msg, "description", optional(q)) ?? "";
      return modelBody(registry(ctx).createRegisteredModel(name, { tags, description }));
    },
  },
  "registered-models/get": {
    GET: (ctx, msg, q) => modelBody(registry(ctx).getRegisteredModel(nameOf(msg, q))),
  },
  "registered-models/rename": {
    POST: (ctx, msg, q) => {
      const name = nameOf(msg, q);
      return modelBody(registry(ctx).renameRegisteredModel(name, text(msg, "new_name", required(q))!));
    },
  },
  "registered-models/update": {
    PATCH: (ctx, msg, q) => {
      const name = nameOf(msg, q);
      return modelBody(
        registry(ctx).updateRegisteredModel(name, text(msg, "description", optional(q)) ?? ""),
      );
    },
  },
  "registered-models/delete": {
    DELETE: async (ctx, msg, q) => {
      await registry(ctx).deleteRegisteredModel(nameOf(msg, q));
      return EMPTY;
    },
  },
  "registered-models/search": {
    GET: async (ctx, msg, q) => {
      const filter = text(msg, "filter", optional(q));
      const maxResults = integer(msg, "max_results", {
        fromQuery: q,
        max: REGISTRY_LIMITS.searchModelsMaxResults,
      });
      const orderBy = texts(msg, "order_by", optional(q));
      const pageToken = text(msg, "page_token", optional(q));
      const page = await registry(ctx).searchRegisteredModels({ filter, maxResults, orderBy, pageToken });
      return pageBody(
        "registered_models",
        page.registeredModels.map(registeredModelToWire),
        page.nextPageToken,
      );
    },
  },
  "registered-models/get-latest-versions": Object.fromEntries(["GET", "POST"].map((method) => [
    method,
    async (ctx: ServerContext, msg: RequestMessage, q: boolean) => {
      const name = nameOf(msg, q);
      const versions = await registry(ctx).getLatestVersions(name, texts(msg, "stages", optional(q)));
      return pageBody("model_versions", versions.map(modelVersionToWire));
    },
  ])),
  "registered-models/set-tag": {
    POST: async (ctx, msg, q) => {
      const name = nameOf(msg, q);
      const key = text(msg, "key", required(q))!;
      await registry(ctx).setRegisteredModelTag(name, key, text(msg, "value", optional(q)) ?? "");
      return EMPTY;
    },
  },
  "registered-models/delete-tag": {
    DELETE: async (ctx, msg, q) => {
      const name = nameOf(msg, q);
      await registry(ctx).deleteRegisteredModelTag(name, text(msg, "key", required(q))!);
      return EMPTY;
    },
  },
  "registered-models/alias": {
    POST: async (ctx, msg, q) => {
      const name = nameOf(msg, q);
      const alias = text(msg, "alias", required(q))!;
      await registry(ctx).setRegisteredModelAlias(name, alias, versionOf(msg, q));
      return EMPTY;
    },
    DELETE: async (ctx, msg, q) => {
      const name = nameOf(msg, q);
      await registry(ctx).deleteRegisteredModelAlias(name, text(msg, "alias", required(q))!);
      return EMPTY;
    },
    GET: (ctx, msg, q) => {
      const name = nameOf(msg, q);
      return versionBody(registry(ctx).getModelVersionByAlias(name, text(msg, "alias", required(q))!));
    },
  },
  "model-versions/create": {
    POST: async (ctx, msg, q) => {
      const name = nameOf(msg, q);
      const source = text(msg, "source", required(q))!;
      const runId = text(msg, "run_id", optional(q));
      const tags = tagList(msg);
      const runLink = text(msg, "run_link", optional(q));
      const description = text(msg, "description", optional(q));
      await checkModelVersionSource(ctx.store, source, runId);
      // MLflow's server stores "" for the optional fields a request leaves out (protobuf defaults).
      return await versionBody(
        registry(ctx).createModelVersion(name, source, {
          runId: runId ?? "",
          tags,
          runLink: runLink ?? "",
          description: description ?? "",
        }),
      );
    },
  },
  "model-versions/get": {
    GET: (ctx, msg, q) => versionBody(registry(ctx).getModelVersion(nameOf(msg, q), versionOf(msg, q))),
  },
  "model-versions/update": {
    PATCH: (ctx, msg, q) => {
      const [name, version] = [nameOf(msg, q), versionOf(msg, q)];
      // MLflow clears the description when the request has none.
      const description = text(msg, "description", optional(q)) ?? null;
      return versionBody(registry(ctx).updateModelVersion(name, version, description));
    },
  },
  "model-versions/delete": {
    DELETE: async (ctx, msg, q) => {
      await registry(ctx).deleteModelVersion(nameOf(msg, q), versionOf(msg, q));
      return EMPTY;
    },
  },
  "model-versions/transition-stage": {
    POST: (ctx, msg, q) => {
      const [name, version] = [nameOf(msg, q), versionOf(msg, q)];
      const stage = text(msg, "stage", required(q))!;
      const archiveExistingVersions = flag(msg, "archive_existing_versions", optional(q)) ?? false;
      return versionBody(
        registry(ctx).transitionModelVersionStage(name, version, stage, { archiveExistingVersions }),
      );
    },
  },
  "model-versions/get-download-uri": {
    // MLflow checks nothing here: a missing name or version reaches the store as "".
    GET: async (ctx, msg, q) => {
      const name = text(msg, "name", optional(q)) ?? "";
      const version = text(msg, "version", optional(q)) ?? "";
      return { artifact_uri: await registry(ctx).getModelVersionDownloadUri(name, version) };
    },
  },
  "model-versions/search": {
    GET: async (ctx, msg, q) => {
      const filter = text(msg, "filter", optional(q));
      const maxResults =
        integer(msg, "max_results", { fromQuery: q, max: REGISTRY_LIMITS.searchVersionsMaxResults }) ??
          REGISTRY_LIMITS.searchVersionsMaxResults;
      const orderBy = texts(msg, "order_by", optional(q));
      const pageToken = text(msg, "page_token", optional(q));
      const page = await registry(ctx).searchModelVersions({ filter, maxResults, orderBy, pageToken });
      return pageBody("model_versions", page.modelVersions.map(modelVersionToWire), page.nextPageToken);
    },
  },
  "model-versions/set-tag": {
    POST: async (ctx, msg, q) => {
      const [name, version] = [nameOf(msg, q), versionOf(msg, q)];
      const key = text(msg, "key", required(q))!;
      await registry(ctx).setModelVersionTag(name, version, key, text(msg, "value", optional(q)) ?? "");
      return EMPTY;
    },
  },
  "model-versions/delete-tag": {
    DELETE: async (ctx, msg, q) => {
      const [name, version] = [nameOf(msg, q), versionOf(msg, q)];
      await registry(ctx).deleteModelVersionTag(name, version, text(msg, "key", required(q))!);
      return EMPTY;
    },
  },
};

/**
 * The registry RPC for a path and method: the handler, or the methods the path answers (405), or
 * undefined for an unknown path.
 *
 * @example
 * ```ts
 * registryRoute("registered-models/alias", "GET"); // { handler }
 * ```
 */
export function registryRoute(
  rest: string,
  method: string,
): { handler?: RegistryHandler; allowed: string[] } | undefined {
  const routes = REGISTRY_ROUTES[rest];
  if (!routes) return undefined;
  return { handler: routes[method], allowed: Object.keys(routes) };
}
