/**
 * Artifact endpoints: the `mlflow-artifacts` proxy (upload, download, list, delete under the server's
 * artifacts destination) and the UI's `/get-artifact?path=&run_uuid=` download.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import {
  type FileInfo,
  fileInfoToWire,
  localPathOfUri,
  mlflowError,
  pathInsideRoot,
  safeArtifactPath,
} from "../tracking/mod.ts";
import { artifactHeaders } from "./artifact_paths.ts";
import { checkDeclaredSize, limitedChunks } from "./request_message.ts";
import { jsonResponse, methodNotAllowed } from "./responses.ts";
import type { ServerContext } from "./server_context.ts";
import { resolvesInside, statOrUndefined } from "../fs_utils.ts";

/** A percent-encoded path, or a client error for a malformed one (never a 5xx the client would retry). */
export function decodePath(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw mlflowError("INVALID_PARAMETER_VALUE", `Malformed percent-encoding in artifact path '${encoded}'`);
  }
}

/** Default cap on one artifact upload (bytes). */
export const DEFAULT_MAX_ARTIFACT_BYTES = 2 * 1024 ** 3;

function artifactNotFound(path: string) {
  return mlflowError("RESOURCE_DOES_NOT_EXIST", `Artifact '${path}' does not exist`);
}

async function fileResponse(file: string, displayPath: string): Promise<Response> {
  const info = await statOrUndefined(file);
  if (!info?.isFile) throw artifactNotFound(displayPath);
  const handle = await Deno.open(file, { read: true });
  const headers = artifactHeaders(displayPath);
  headers.set("content-length", String(info.size));
  return new Response(handle.readable, { headers });
}

async function listDir(root: string, dir: string, prefix: string): Promise<FileInfo[]> {
  const info = await statOrUndefined(dir);
  if (!info?.isDirectory) return [];
  const files: FileInfo[] = [];
  for await (const entry of Deno.readDir(dir)) {
    // A symlink leading out of the artifact root is not listed (its target is never served either).
    if (entry.isSymlink && !(await resolvesInside(root, join(dir, entry.name)))) continue;
    const stat = await statOrUndefined(join(dir, entry.name));
    if (!stat) continue;
    files.push({
      path: prefix + entry.name,
      isDir: stat.isDirectory,
      fileSize: stat.isDirectory ? null : stat.size,
    });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function upload(request: Request, target: string, maxBytes: number): Promise<void> {
  checkDeclaredSize(request, maxBytes);
  await Deno.mkdir(dirname(target), { recursive: true }).catch((error) => {
    if (error instanceof Deno.errors.AlreadyExists || error instanceof Deno.errors.NotADirectory) {
      throw mlflowError("INVALID_PARAMETER_VALUE", "Cannot upload an artifact below an existing file");
    }
    throw error;
  });
  // Write beside the target and rename, so a failed or oversized upload leaves the old file intact.
  const partial = `${target}.kmlf-upload-${crypto.randomUUID()}`;
  const file = await Deno.open(partial, { write: true, create: true, truncate: true });
  try {
    for await (const chunk of limitedChunks(request, maxBytes)) {
      let written = 0;
      while (written < chunk.byteLength) written += await file.write(chunk.subarray(written));
    }
    file.close();
    await Deno.rename(partial, target).catch((error) => {
      if (error instanceof Deno.errors.IsADirectory || error instanceof Deno.errors.AlreadyExists) {
        throw mlflowError("INVALID_PARAMETER_VALUE", "Cannot upload an artifact over an existing directory");
      }
      throw error;
    });
  } catch (error) {
    try {
      file.close();
    } catch { /* already closed */ }
    await Deno.remove(partial).catch(() => {});
    throw error;
  }
}

/**
 * Serves `/api/2.0/mlflow-artifacts/<rest>` (rest = `artifacts[/<path>]` or `mpu/…`).
 *
 * @example
 * ```ts
 * await handleArtifactProxy(ctx, request, url, "artifacts/1/abc/artifacts/notes.txt", 1e9);
 * ```
 */
export async function handleArtifactProxy(
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
  if (rest === "artifacts" || rest === "artifacts/") {
    if (request.method !== "GET") return methodNotAllowed(url.pathname, ["GET"]);
    // The list answer names entries by basename; the client joins them to the path it asked for.
    const path = url.searchParams.get("path") ?? "";
    const dir = await pathInsideRoot(ctx.artifactsDestination, path);
    const files = await listDir(resolve(ctx.artifactsDestination), dir, "");
    return jsonResponse(files.length ? { files: files.map(fileInfoToWire) } : {});
  }
  if (!rest.startsWith("artifacts/")) {
    throw mlflowError("ENDPOINT_NOT_FOUND", `No endpoint at ${url.pathname}`);
  }
  const relPath = decodePath(rest.slice("artifacts/".length));
  const target = await pathInsideRoot(ctx.artifactsDestination, relPath);
  if ((request.method === "PUT" || request.method === "DELETE") && safeArtifactPath(relPath) === "") {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Cannot ${request.method === "PUT" ? "write" : "delete"} the artifact root itself`,
      "name a file or folder below it, e.g. 1/<run id>/artifacts/model.pkl",
    );
  }
  switch (request.method) {
    case "GET":
      return await fileResponse(target, relPath);
    case "PUT":
      await upload(request, target, maxUploadBytes);
      return jsonResponse({});
    case "DELETE":
      await Deno.remove(target, { recursive: true }).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      });
      return jsonResponse({});
    default:
      return methodNotAllowed(url.pathname, ["GET", "PUT", "DELETE"]);
  }
}

/**
 * Serves `/get-artifact?path=<rel>&run_uuid=<id>`: one file of a run's artifacts, as an attachment.
 *
 * @example
 * ```ts
 * await handleGetArtifact(ctx, new URL("http://x/get-artifact?path=notes.txt&run_uuid=abc"));
 * ```
 */
export async function handleGetArtifact(ctx: ServerContext, url: URL): Promise<Response> {
  const runId = url.searchParams.get("run_uuid") ?? url.searchParams.get("run_id");
  const path = url.searchParams.get("path");
  if (!runId || !path) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      "get-artifact needs the query parameters 'path' and 'run_uuid'",
    );
  }
  const run = await ctx.store.getRun(runId);
  const repo = ctx.artifactRepository(run.info.artifactUri);
  const root = localPathOfUri(repo.rootUri);
  if (root !== undefined) return await fileResponse(await pathInsideRoot(root, path), path);
  const bytes = await repo.readArtifact(path);
  return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: artifactHeaders(basename(path)) });
}
