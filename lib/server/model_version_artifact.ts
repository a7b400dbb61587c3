/**
 * `GET /model-versions/get-artifact?name=&version=&path=`: a file of a registered model version, as
 * MLflow's UI fetches it (e.g. the version's `MLmodel`). The version's download URI is its artifact
 * root; `runs:/<run id>/<path>` sources are read from that run's artifacts.
 *
 * @module
 */
import { basename } from "node:path";
import { localPathOfUri, mlflowError } from "../tracking/mod.ts";
import { artifactHeaders, pathInsideRoot } from "./artifact_paths.ts";
import { fileResponse } from "./artifact_routes.ts";
import { methodNotAllowed } from "./responses.ts";
import type { ServerContext } from "./server_context.ts";

/** The artifact URI behind a download URI (`runs:/…` resolved through the run). */
async function artifactRootOf(ctx: ServerContext, uri: string): Promise<string> {
  const runs = uri.match(/^runs:\/\/?([^/]+)(?:\/(.*))?$/);
  if (!runs) return uri;
  const run = await ctx.store.getRun(runs[1]);
  const sub = (runs[2] ?? "").replace(/^\/+|\/+$/g, "");
  return sub ? `${run.info.artifactUri.replace(/\/+$/, "")}/${sub}` : run.info.artifactUri;
}

/**
 * Answers `/model-versions/get-artifact`.
 *
 * @example
 * ```ts
 * await handleModelVersionArtifact(ctx, request, new URL("http://h/model-versions/get-artifact?name=iris&version=1&path=MLmodel"));
 * ```
 */
export async function handleModelVersionArtifact(
  ctx: ServerContext,
  request: Request,
  url: URL,
): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed(url.pathname, ["GET"]);
  const path = url.searchParams.get("path");
  if (!path) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      "Missing value for required parameter 'path'. See the API docs for more information about request parameters.",
    );
  }
  if (path.includes("\u0000")) throw mlflowError("INVALID_PARAMETER_VALUE", "Invalid path");
  const name = url.searchParams.get("name") ?? "";
  const version = url.searchParams.get("version") ?? "";
  const uri = await artifactRootOf(ctx, await ctx.store.registry.getModelVersionDownloadUri(name, version));
  const repo = ctx.artifactRepository(uri);
  const root = localPathOfUri(repo.rootUri);
  if (root !== undefined) return await fileResponse(await pathInsideRoot(root, path), path);
  const bytes = await repo.readArtifact(path);
  return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: artifactHeaders(basename(path)) });
}
