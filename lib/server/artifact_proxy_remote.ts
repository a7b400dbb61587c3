/**
 * The `mlflow-artifacts` proxy in front of a remote artifact store (`kmlf server
 * --artifacts-destination s3://bucket/prefix`), like `mlflow server` with an S3 destination: uploads
 * stream through to the store part by part (never whole in memory or on disk), downloads stream back,
 * listings and deletes go to the store. MLflow's path rules apply to every path.
 *
 * @module
 */
import { type FileInfo, fileInfoToWire, mlflowError, safeArtifactPath } from "../tracking/mod.ts";
import { artifactHeaders } from "./artifact_paths.ts";
import { decodePath } from "./artifact_routes.ts";
import { limitedChunks } from "./request_message.ts";
import { jsonResponse, methodNotAllowed } from "./responses.ts";
import type { ServerContext } from "./server_context.ts";

const ROOT = "mlflow-artifacts:/";

/**
 * Serves `/api/2.0/mlflow-artifacts/<rest>` from the remote destination.
 *
 * @example
 * ```ts
 * await handleRemoteArtifactProxy(ctx, request, url, "artifacts/1/abc/artifacts/model.pkl", 2 ** 31);
 * ```
 */
export async function handleRemoteArtifactProxy(
  ctx: ServerContext,
  request: Request,
  url: URL,
  rest: string,
  maxUploadBytes: number,
): Promise<Response> {
  if (rest.startsWith("mpu/")) {
    throw mlflowError(
      "NOT_IMPLEMENTED",
      "Multipart upload is not supported for the current artifact repository",
    );
  }
  const repo = ctx.artifactRepository(ROOT);
  if (rest === "artifacts" || rest === "artifacts/") {
    if (request.method !== "GET") return methodNotAllowed(url.pathname, ["GET"]);
    // The list answer names entries by basename; the client joins them to the path it asked for.
    const files: FileInfo[] = (await repo.listArtifacts(url.searchParams.get("path") ?? ""))
      .map((f) => ({ ...f, path: f.path.split("/").at(-1)! }));
    return jsonResponse(files.length ? { files: files.map(fileInfoToWire) } : {});
  }
  if (!rest.startsWith("artifacts/")) {
    throw mlflowError("ENDPOINT_NOT_FOUND", `No endpoint at ${url.pathname}`);
  }
  const relPath = safeArtifactPath(decodePath(rest.slice("artifacts/".length)));
  if ((request.method === "PUT" || request.method === "DELETE") && relPath === "") {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Cannot ${request.method === "PUT" ? "write" : "delete"} the artifact root itself`,
      "name a file or folder below it, e.g. 1/<run id>/artifacts/model.pkl",
    );
  }
  switch (request.method) {
    case "GET": {
      const found = repo.readArtifactStream
        ? await repo.readArtifactStream(relPath)
        : { body: await repo.readArtifact(relPath), size: undefined };
      const headers = artifactHeaders(relPath);
      if (found.size !== undefined) headers.set("content-length", String(found.size));
      return new Response(found.body as BodyInit, { headers });
    }
    case "PUT": {
      const stream = ReadableStream.from(limitedChunks(request, maxUploadBytes));
      if (repo.writeArtifactStream) await repo.writeArtifactStream(relPath, stream);
      else await repo.writeArtifact(relPath, new Uint8Array(await new Response(stream).arrayBuffer()));
      return jsonResponse({});
    }
    case "DELETE":
      await repo.deleteArtifacts(relPath);
      return jsonResponse({});
    default:
      return methodNotAllowed(url.pathname, ["GET", "PUT", "DELETE"]);
  }
}
