/**
 * Artifact endpoints as MLflow 2.17.2 serves them: the `mlflow-artifacts` proxy (list, download,
 * upload, delete under the server's artifacts destination — a local folder here, a remote store in
 * `artifact_proxy_remote.ts`, one request handling for both; multipart upload answers 501 like
 * MLflow's local repository) and the UI's `/get-artifact?path=&run_id=`. Every client path goes
 * through MLflow's `validate_path_is_safe` (`Invalid path`) and a symlink check; a missing file is
 * a 404 and a directory a 400 (MLflow: 500).
 *
 * @module
 */
import { dirname, join, resolve } from "../path.ts";
import {
  type FileInfo,
  fileInfoToWire,
  isPartialArtifact,
  LocalArtifactRepository,
  mlflowError,
  partialBeside,
  pathInsideRoot,
  safeArtifactPath,
} from "../tracking/mod.ts";
import { artifactHeaders } from "./artifact_content_type.ts";
import {
  decideRange,
  fileSlice,
  type FileValidators,
  partialHeaders,
  rangeNotSatisfiable,
} from "./byte_ranges.ts";
import { sendRepositoryFile } from "./artifact_proxy_remote.ts";
import { evaluatePreconditions, preconditionResponse, setValidatorHeaders } from "./conditional_requests.ts";
import { artifactIsDirectory, noArtifactAt, validateArtifactPathParam } from "./artifact_paths.ts";
import type { MessageDesc } from "./request/proto_parse.ts";
import { decodeRequest } from "./request/decode.ts";
import { pyStr } from "./request/py_values.ts";
import { intlike, required, type Schema, string } from "./request/schema.ts";
import { checkDeclaredSize, limitedChunks } from "./request_message.ts";
import { checkMethod, jsonResponse, notFound } from "./responses.ts";
import type { ProxyDestination, ServerContext } from "./server_context.ts";
import { resolvesInside, statOrUndefined } from "../fs_utils.ts";
import { promised } from "../promised.ts";
import { runArtifactRoot } from "./run_artifact_root.ts";

/** Default cap on one artifact upload (bytes). */
export const DEFAULT_MAX_ARTIFACT_BYTES = 2 * 1024 ** 3;

/**
 * One artifact file as a download (`relPath` is what the client asked for, for messages and the
 * file name): 404 when missing, 400 for a directory. With the file's `ETag` and `Last-Modified`, its
 * preconditions answered (304, 412: `conditional_requests.ts`), and a `Range` in `request` answered as
 * Werkzeug's `send_file` (206 with the slice streamed from its offset, 416 when it cannot be served).
 *
 * @example
 * ```ts
 * return await sendArtifactFile(pathInsideRoot(root, "notes.txt"), "notes.txt", request);
 * ```
 */
export async function sendArtifactFile(file: string, relPath: string, request?: Request): Promise<Response> {
  const info = statOrUndefined(file);
  if (!info) throw noArtifactAt(relPath);
  if (!info.isFile) throw artifactIsDirectory(relPath);
  const headers = artifactHeaders(relPath);
  const validators = fileValidators(info);
  setValidatorHeaders(headers, validators);
  headers.set("accept-ranges", "bytes");
  const outcome = request ? evaluatePreconditions(request, validators) : "proceed";
  if (outcome !== "proceed") return preconditionResponse(outcome, headers);
  const decision = request ? decideRange(request, info.size, validators) : { kind: "full" as const };
  if (decision.kind === "unsatisfiable") return rangeNotSatisfiable(info.size);
  const handle = await Deno.open(file, { read: true });
  if (decision.kind === "partial") {
    const status = partialHeaders(headers, decision.range, info.size);
    return new Response(fileSlice(handle, decision.range), { status, headers });
  }
  headers.set("content-length", String(info.size));
  return new Response(handle.readable, { headers });
}

// As Werkzeug's send_file: a strong tag from the file's modification time and size, and the time itself.
function fileValidators(info: Deno.FileInfo): FileValidators {
  if (!info.mtime) return {};
  return { etag: `"${info.mtime.getTime() / 1000}-${info.size}"`, lastModified: info.mtime };
}

async function upload(request: Request, target: string, maxBytes: number): Promise<void> {
  checkDeclaredSize(request, maxBytes);
  try {
    Deno.mkdirSync(dirname(target), { recursive: true });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists || error instanceof Deno.errors.NotADirectory) {
      throw mlflowError("INVALID_PARAMETER_VALUE", "Cannot upload an artifact below an existing file");
    }
    throw error;
  }
  // Write beside the target and rename, so a failed or oversized upload leaves the old file intact.
  const partial = partialBeside(target);
  const file = await Deno.open(partial, { write: true, create: true, truncate: true });
  try {
    for await (const chunk of limitedChunks(request, maxBytes)) {
      // A synchronous write (page cache, microseconds per 64 KiB) keeps this loop ahead of the client.
      // An awaited write made it slower than a fast sender, and Deno 2.9's HTTP/1 server then reads the
      // socket into an unbounded buffer that each body read shifts from the front: 300 MB took 40-77 s
      // instead of 2 s (bench/README.md, "Large uploads to kmlf server").
      let written = 0;
      while (written < chunk.byteLength) written += file.writeSync(chunk.subarray(written));
    }
    file.close();
    try {
      Deno.renameSync(partial, target);
    } catch (error) {
      if (error instanceof Deno.errors.IsADirectory || error instanceof Deno.errors.AlreadyExists) {
        throw mlflowError("INVALID_PARAMETER_VALUE", "Cannot upload an artifact over an existing directory");
      }
      throw error;
    }
  } catch (error) {
    try {
      file.close();
    } catch { /* already closed */ }
    await Deno.remove(partial).catch(() => {});
    throw error;
  }
}

function listFolder(root: string, path: string | undefined): FileInfo[] {
  const dir = pathInsideRoot(root, path ?? "");
  const info = statOrUndefined(dir);
  const files: FileInfo[] = [];
  if (info?.isDirectory) {
    const resolvedRoot = resolve(root);
    for (const entry of Deno.readDirSync(dir)) {
      // A symlink leading out of the artifact root is not listed (its target is never served either).
      if (entry.isSymlink && !resolvesInside(resolvedRoot, join(dir, entry.name))) continue;
      // An upload still streaming in (or cut off by a crash) is not an artifact yet.
      if (isPartialArtifact(entry.name)) continue;
      const stat = statOrUndefined(join(dir, entry.name));
      if (stat) {
        files.push({
          path: entry.name,
          isDir: stat.isDirectory,
          fileSize: stat.isDirectory ? null : stat.size,
        });
      }
    }
  }
  return files;
}

/**
 * The server's local artifacts folder as the proxy's destination (`kmlf server --artifacts-destination
 * /srv/mlartifacts`); every path is resolved inside it, symlinks out of it refused.
 *
 * @example
 * ```ts
 * const destination = localProxyDestination("/srv/mlartifacts");
 * ```
 */
export function localProxyDestination(root: string): ProxyDestination {
  return {
    list: (path) => promised(() => listFolder(root, path)),
    send: async (relPath, request) => await sendArtifactFile(pathInsideRoot(root, relPath), relPath, request),
    upload: async (request, relPath, maxBytes) =>
      await upload(request, pathInsideRoot(root, relPath), maxBytes),
    async remove(relPath) {
      await Deno.remove(pathInsideRoot(root, relPath), { recursive: true }).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      });
    },
  };
}

const s = (name: string) => ({ name, type: "string" as const });
const LIST_MESSAGE: MessageDesc = { name: "ListArtifacts", fields: [s("path")] };
const MPU: Record<string, { desc: MessageDesc; schema: Schema }> = {
  create: {
    desc: { name: "CreateMultipartUpload", fields: [s("path"), { name: "num_parts", type: "int64" }] },
    schema: [["path", [required, string]], ["num_parts", [intlike]]],
  },
  complete: {
    desc: { name: "CompleteMultipartUpload", fields: [s("path"), s("upload_id")] },
    schema: [["path", [required, string]], ["upload_id", [string]]],
  },
  abort: {
    desc: { name: "AbortMultipartUpload", fields: [s("path"), s("upload_id")] },
    schema: [["path", [required, string]], ["upload_id", [string]]],
  },
};

/**
 * Serves `/api/2.0/mlflow-artifacts/<rest>`: `artifacts` (list), `artifacts/<path>` (GET, PUT,
 * DELETE) and `mpu/{create,complete,abort}/<path>`. `rest` is percent-decoded, not dot-normalised.
 * `gate`, when given, answers instead once the route and method are known (a server not serving
 * artifacts).
 *
 * @example
 * ```ts
 * await handleArtifactProxy(ctx, request, url, "artifacts/1/abc/artifacts/notes.txt", 1e9, 1e6);
 * ```
 */
export async function handleArtifactProxy(
  ctx: ServerContext,
  request: Request,
  url: URL,
  rest: string,
  maxUploadBytes: number,
  maxJsonBytes: number,
  gate?: () => Response,
): Promise<Response> {
  const mpu = rest.match(/^mpu\/(create|complete|abort)\/(.+)$/s);
  if (mpu) {
    const refused = checkMethod(request, url.pathname, ["POST"]);
    if (refused) return refused;
    if (gate) return gate();
    await decodeRequest(request, url, MPU[mpu[1]].desc, MPU[mpu[1]].schema, maxJsonBytes);
    validateArtifactPathParam(mpu[2]);
    throw mlflowError(
      "NOT_IMPLEMENTED",
      "Multipart upload is not supported for the current artifact repository",
    );
  }
  if (rest === "artifacts") {
    const refused = checkMethod(request, url.pathname, ["GET"]);
    if (refused) return refused;
    if (gate) return gate();
    const { message } = await decodeRequest(request, url, LIST_MESSAGE, [], maxJsonBytes);
    const path = message.has("path") ? validateArtifactPathParam(message.str("path")) : undefined;
    // The list answer names entries by basename; the client joins them to the path it asked for.
    const files = (await ctx.proxyDestination.list(path))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return jsonResponse(files.length ? { files: files.map(fileInfoToWire) } : {});
  }
  const path = rest.match(/^artifacts\/(.+)$/s)?.[1];
  if (path === undefined) return notFound(url.pathname);
  const refused = checkMethod(request, url.pathname, ["GET", "PUT", "DELETE"]);
  if (refused) return refused;
  if (gate) return gate();
  const relPath = validateArtifactPathParam(path);
  if ((request.method === "PUT" || request.method === "DELETE") && safeArtifactPath(relPath) === "") {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Cannot ${request.method === "PUT" ? "write" : "delete"} the artifact root itself`,
      "name a file or folder below it, e.g. 1/<run id>/artifacts/model.pkl",
    );
  }
  switch (request.method) {
    case "PUT":
      if (relPath.endsWith("/")) {
        throw mlflowError(
          "INVALID_PARAMETER_VALUE",
          `Cannot upload to '${relPath}': the path names a directory`,
        );
      }
      await ctx.proxyDestination.upload(request, relPath, maxUploadBytes);
      return jsonResponse({});
    case "DELETE":
      await ctx.proxyDestination.remove(relPath);
      return jsonResponse({});
    default:
      return await ctx.proxyDestination.send(relPath, request);
  }
}

/**
 * Serves `/get-artifact?path=<rel>&run_id=<id>` (or `run_uuid`): one file of a run's artifacts,
 * as an attachment.
 *
 * @example
 * ```ts
 * await handleGetArtifact(ctx, new URL("http://x/get-artifact?path=notes.txt&run_id=abc"));
 * ```
 */
export async function handleGetArtifact(ctx: ServerContext, url: URL, request?: Request): Promise<Response> {
  const runId = url.searchParams.get("run_id") || url.searchParams.get("run_uuid") || pyStr(null);
  const rawPath = url.searchParams.get("path");
  if (rawPath === null) {
    throw mlflowError("INVALID_PARAMETER_VALUE", "Missing value for required parameter 'path'.");
  }
  const path = validateArtifactPathParam(rawPath);
  const run = await ctx.store.getRun(runId);
  return await sendRepositoryArtifact(ctx, runArtifactRoot(run), path, request);
}

/**
 * One file under an artifact root URI: streamed from disk for local and proxied roots, through the
 * repository otherwise (S3), with the same answers (a `Range` in `request` included).
 *
 * @example
 * ```ts
 * await sendRepositoryArtifact(ctx, run.info.artifactUri, "model/MLmodel", request);
 * ```
 */
export async function sendRepositoryArtifact(
  ctx: ServerContext,
  rootUri: string,
  path: string,
  request?: Request,
): Promise<Response> {
  const repo = ctx.artifactRepository(rootUri);
  if (repo instanceof LocalArtifactRepository) {
    return await sendArtifactFile(repo.localPath(path), path, request);
  }
  return await sendRepositoryFile(repo, path, request);
}
