/**
 * The `mlflow-artifacts` proxy's destination when it is a remote store (`kmlf server
 * --artifacts-destination s3://bucket/prefix`), like `mlflow server` with an S3 destination. The
 * request handling (methods, MLflow's path rules and messages, the list call's decoding) is the local
 * proxy's (`artifact_routes.ts`); this module only stores: uploads stream through to the store part by
 * part (never whole in memory or on disk), downloads stream back, listings and deletes go to the
 * store. Answers are worded as the local folder's, and never name the bucket.
 *
 * @module
 */
import { TrackingError } from "../errors.ts";
import type { ArtifactRepository } from "../tracking/mod.ts";
import { artifactHeaders } from "./artifact_content_type.ts";
import { decideRange, type FileValidators, partialHeaders, rangeNotSatisfiable } from "./byte_ranges.ts";
import { artifactIsDirectory, noArtifactAt } from "./artifact_paths.ts";
import {
  evaluatePreconditions,
  hasPreconditions,
  preconditionResponse,
  setValidatorHeaders,
} from "./conditional_requests.ts";
import { checkDeclaredSize, limitedChunks } from "./request_message.ts";
import type { ProxyDestination } from "./server_context.ts";

/**
 * One file of a repository as a download, streamed when the repository can, answered as a local
 * folder would: RESOURCE_DOES_NOT_EXIST naming only `relPath` (never the bucket), and a "folder" (keys
 * below the path) refused as a directory. A `Range` or a precondition in `request` is answered as for a
 * local file; when the repository can measure a file and read a slice of it (S3), the file is measured
 * first and the slice alone fetched (nothing for a 304).
 *
 * @example
 * ```ts
 * return await sendRepositoryFile(artifactRepositoryFor("s3://bucket/1/abc/artifacts"), "model/MLmodel");
 * ```
 */
export async function sendRepositoryFile(
  repo: ArtifactRepository,
  relPath: string,
  request?: Request,
): Promise<Response> {
  const conditional = request && (request.headers.has("range") || hasPreconditions(request));
  if (conditional && repo.statArtifact && repo.readArtifactStream) {
    return await sendMeasuredFile(repo, relPath, request);
  }
  let found: { body: ReadableStream<Uint8Array> | Uint8Array; size?: number } & FileValidators;
  try {
    found = repo.readArtifactStream
      ? await repo.readArtifactStream(relPath)
      : { body: await repo.readArtifact(relPath) };
  } catch (error) {
    if (!(error instanceof TrackingError) || error.code !== "RESOURCE_DOES_NOT_EXIST") throw error;
    throw await missingOrFolder(repo, relPath);
  }
  const headers = artifactHeaders(relPath);
  if (found.size !== undefined) headers.set("content-length", String(found.size));
  // What a client resuming this download sends back in If-Range, or revalidating it in If-None-Match.
  setValidatorHeaders(headers, found);
  if (repo.statArtifact && repo.readArtifactStream) headers.set("accept-ranges", "bytes");
  const outcome = request ? evaluatePreconditions(request, found) : "proceed";
  if (outcome !== "proceed") {
    if (found.body instanceof ReadableStream) await found.body.cancel();
    return preconditionResponse(outcome, headers);
  }
  return new Response(found.body as BodyInit, { headers });
}

// The file measured first (its validators decide the preconditions, its size the range, as Werkzeug's),
// then the slice alone fetched, or nothing for a 304/412.
async function sendMeasuredFile(
  repo: ArtifactRepository,
  relPath: string,
  request: Request,
): Promise<Response> {
  const stat = await repo.statArtifact!(relPath);
  if (!stat) throw await missingOrFolder(repo, relPath);
  const headers = artifactHeaders(relPath);
  setValidatorHeaders(headers, stat);
  headers.set("accept-ranges", "bytes");
  const outcome = evaluatePreconditions(request, stat);
  if (outcome !== "proceed") return preconditionResponse(outcome, headers);
  const decision = decideRange(request, stat.size, stat);
  if (decision.kind === "unsatisfiable") return rangeNotSatisfiable(stat.size);
  const range = decision.kind === "partial" ? decision.range : undefined;
  let found: { body: ReadableStream<Uint8Array>; size?: number };
  try {
    found = await repo.readArtifactStream!(relPath, range);
  } catch (error) {
    if (!(error instanceof TrackingError) || error.code !== "RESOURCE_DOES_NOT_EXIST") throw error;
    throw await missingOrFolder(repo, relPath);
  }
  if (!range) {
    headers.set("content-length", String(stat.size));
    return new Response(found.body, { headers });
  }
  return new Response(found.body, { status: partialHeaders(headers, range, stat.size), headers });
}

async function missingOrFolder(repo: ArtifactRepository, relPath: string): Promise<TrackingError> {
  return (await repo.listArtifacts(relPath)).length > 0
    ? artifactIsDirectory(relPath)
    : noArtifactAt(relPath);
}

/**
 * A remote store as the proxy's destination; `repository` gives the store's root repository
 * (the server's resolver for `mlflow-artifacts:/`).
 *
 * @example
 * ```ts
 * const destination = remoteProxyDestination(() => ctx.artifactRepository("mlflow-artifacts:/"));
 * ```
 */
export function remoteProxyDestination(repository: () => ArtifactRepository): ProxyDestination {
  return {
    async list(path) {
      const files = await repository().listArtifacts(path ?? "");
      return files.map((f) => ({ ...f, path: f.path.split("/").at(-1)! }));
    },

    send: (relPath, request) => sendRepositoryFile(repository(), relPath, request),

    async upload(request, relPath, maxBytes) {
      checkDeclaredSize(request, maxBytes);
      const repo = repository();
      const stream = ReadableStream.from(limitedChunks(request, maxBytes));
      if (repo.writeArtifactStream) await repo.writeArtifactStream(relPath, stream);
      else await repo.writeArtifact(relPath, new Uint8Array(await new Response(stream).arrayBuffer()));
    },

    async remove(relPath) {
      await repository().deleteArtifacts(relPath);
    },
  };
}
