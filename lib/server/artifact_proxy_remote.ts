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
import { artifactIsDirectory, noArtifactAt } from "./artifact_paths.ts";
import { checkDeclaredSize, limitedChunks } from "./request_message.ts";
import type { ProxyDestination } from "./server_context.ts";

/**
 * One file of a repository as a download, streamed when the repository can, answered as a local
 * folder would: RESOURCE_DOES_NOT_EXIST naming only `relPath` (never the bucket), and a "folder" (keys
 * below the path) refused as a directory.
 *
 * @example
 * ```ts
 * return await sendRepositoryFile(artifactRepositoryFor("s3://bucket/1/abc/artifacts"), "model/MLmodel");
 * ```
 */
export async function sendRepositoryFile(repo: ArtifactRepository, relPath: string): Promise<Response> {
  let found: { body: ReadableStream<Uint8Array> | Uint8Array; size?: number };
  try {
    found = repo.readArtifactStream
      ? await repo.readArtifactStream(relPath)
      : { body: await repo.readArtifact(relPath) };
  } catch (error) {
    if (!(error instanceof TrackingError) || error.code !== "RESOURCE_DOES_NOT_EXIST") throw error;
    if ((await repo.listArtifacts(relPath)).length > 0) throw artifactIsDirectory(relPath);
    throw noArtifactAt(relPath);
  }
  const headers = artifactHeaders(relPath);
  if (found.size !== undefined) headers.set("content-length", String(found.size));
  return new Response(found.body as BodyInit, { headers });
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

    send: (relPath) => sendRepositoryFile(repository(), relPath),

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
