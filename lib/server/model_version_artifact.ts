/**
 * `/model-versions/get-artifact?name=…&version=…&path=…`: one file of a registered model version's
 * artifacts (the MLflow UI shows a version's MLmodel through it). The version's download URI comes
 * from the store's registry; the file is served like `/get-artifact`.
 *
 * @module
 */
import { mlflowError } from "../tracking/mod.ts";
import { validateArtifactPathParam } from "./artifact_paths.ts";
import { sendRepositoryArtifact } from "./artifact_routes.ts";
import type { ServerContext } from "./server_context.ts";

/**
 * Serves one artifact file of a model version.
 *
 * @example
 * ```ts
 * await handleModelVersionArtifact(ctx, new URL("http://x/model-versions/get-artifact?name=iris&version=1&path=MLmodel"));
 * ```
 */
export async function handleModelVersionArtifact(ctx: ServerContext, url: URL): Promise<Response> {
  const rawPath = url.searchParams.get("path");
  if (rawPath === null) {
    throw mlflowError("INVALID_PARAMETER_VALUE", "Missing value for required parameter 'path'.");
  }
  const path = validateArtifactPathParam(rawPath);
  const registry = ctx.store.registry;
  if (!registry) {
    throw mlflowError("NOT_IMPLEMENTED", "This store has no model registry (model-versions/get-artifact)");
  }
  const version = await registry.getModelVersion(
    url.searchParams.get("name") ?? "",
    url.searchParams.get("version") ?? "",
  );
  if (!version.source) {
    throw mlflowError(
      "RESOURCE_DOES_NOT_EXIST",
      `Model version ${version.name}/${version.version} has no source`,
    );
  }
  return await sendRepositoryArtifact(ctx, version.source, path);
}
