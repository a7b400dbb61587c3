/**
 * `GET /model-versions/get-artifact?name=&version=&path=`: a file of a registered model version, as
 * MLflow's UI fetches it (e.g. the version's `MLmodel`). The version's download URI is its artifact
 * root; `runs:/<run id>/<path>` sources are read from that run's artifacts. The file is served like
 * `/get-artifact`.
 *
 * @module
 */
import { joinArtifactUri, mlflowError, safeArtifactPath } from "../tracking/mod.ts";
import { validateArtifactPathParam } from "./artifact_paths.ts";
import { sendRepositoryArtifact } from "./artifact_routes.ts";
import type { ServerContext } from "./server_context.ts";
import { runArtifactRoot } from "./run_artifact_root.ts";

/** The artifact URI behind a download URI (`runs:/…` resolved through the run). */
async function artifactRootOf(ctx: ServerContext, uri: string): Promise<string> {
  // Any spelling MLflow (and kmlf's model loading) reads as a runs:/ URI: `RUNS:/`, `runs:///`, padded.
  const runs = uri.trim().match(/^runs:\/+([^/]+)(?:\/(.*))?$/is);
  if (!runs) return uri;
  const run = await ctx.store.getRun(runs[1]);
  // The path is a stored record's (any registry writer's): MLflow's artifact path rules, as a client's path.
  const sub = safeArtifactPath((runs[2] ?? "").replace(/^\/+/, ""));
  // Encoded as the root's scheme reads it: a folder named `a%20b` or `x#1` is that folder.
  return joinArtifactUri(runArtifactRoot(run), sub);
}

/**
 * Serves one artifact file of a model version.
 *
 * @example
 * ```ts
 * await handleModelVersionArtifact(ctx, new URL("http://h/model-versions/get-artifact?name=iris&version=1&path=MLmodel"));
 * ```
 */
export async function handleModelVersionArtifact(
  ctx: ServerContext,
  url: URL,
  request?: Request,
): Promise<Response> {
  const rawPath = url.searchParams.get("path");
  if (rawPath === null) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      "Missing value for required parameter 'path'. See the API docs for more information about request parameters.",
    );
  }
  const path = validateArtifactPathParam(rawPath);
  const name = url.searchParams.get("name") ?? "";
  const version = url.searchParams.get("version") ?? "";
  const root = await artifactRootOf(ctx, await ctx.store.registry.getModelVersionDownloadUri(name, version));
  return await sendRepositoryArtifact(ctx, root, path, request);
}
