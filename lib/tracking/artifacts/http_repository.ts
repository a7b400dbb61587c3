/**
 * Artifacts through an MLflow server's artifact proxy (`/api/2.0/mlflow-artifacts/artifacts`):
 * PUT raw bytes to upload, GET to download, GET `?path=<dir>` to list (the answer's `path` is the
 * basename; this client re-joins it), DELETE to remove. Also resolves which repository serves an
 * artifact URI of a REST store.
 *
 * @module
 */
import { basename, dirname, join, percentDecode, relative } from "../../path.ts";
import { TrackingError } from "../../errors.ts";
import type { FileInfo } from "../entities.ts";
import {
  type ArtifactRepository,
  completeListing,
  type ListArtifactsOptions,
  safeArtifactPath,
} from "./artifact_repository.ts";
import { artifactRepositoryFor, type ArtifactRepositoryOptions } from "./repository_for.ts";
import { mlflowError } from "../tracking_errors.ts";
import { fileInfoFromWire, type FileInfoWire } from "../wire.ts";
import type { HttpClient, RequestBody } from "../http_client.ts";
import { parseJsonObject } from "../http_errors.ts";
import { uploadContentType } from "./upload_content_type.ts";
import { downloadInto } from "./download_folder.ts";
import { readFile } from "../../file_io.ts";
import { statIfAny } from "../../fs_utils.ts";
import { maskUriCredentials } from "../../uri_credentials.ts";

/** The artifact proxy endpoint, below a server's base URL. */
export const ARTIFACTS_ENDPOINT = "/api/2.0/mlflow-artifacts/artifacts";

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, "");
}

function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== "").join("/");
}

/** Files above this size are streamed instead of read into memory (smaller ones keep a Content-Length). */
export const STREAM_UPLOAD_BYTES = 8 * 1024 * 1024;

/** A local file as an upload body: its bytes, or for big files a stream reopened on each attempt. */
async function fileBody(path: string): Promise<RequestBody> {
  const info = Deno.statSync(path);
  if (info.size <= STREAM_UPLOAD_BYTES) return await readFile(path);
  return async () => (await Deno.open(path, { read: true })).readable;
}

/**
 * An artifact repository served by an MLflow server's artifact proxy.
 *
 * @example
 * ```ts
 * const repo = new HttpArtifactRepository("mlflow-artifacts:/1/abc/artifacts", http, {
 *   endpoint: "http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts",
 *   root: "1/abc/artifacts",
 * });
 * await repo.writeArtifact("notes.txt", "hello");
 * ```
 */
export class HttpArtifactRepository implements ArtifactRepository {
  readonly rootUri: string;
  readonly #http: HttpClient;
  /** Absolute URL of the proxy endpoint, e.g. `http://h:5000/api/2.0/mlflow-artifacts/artifacts`. */
  readonly #endpoint: string;
  /** The root below the endpoint, e.g. `1/<run>/artifacts`. */
  readonly #root: string;

  constructor(rootUri: string, http: HttpClient, location: { endpoint: string; root: string }) {
    this.rootUri = rootUri;
    this.#http = http;
    this.#endpoint = location.endpoint.replace(/\/+$/, "");
    // The root comes from a run's artifact URI (the server's answer): the same rules as any path, so a
    // `..` in it can never make the client reach another part of the server.
    this.#root = safeArtifactPath(trimSlashes(location.root));
  }

  #fileUrl(rel: string): string {
    return `${this.#endpoint}/${encodePath(joinPath(this.#root, rel))}`;
  }

  async #put(rel: string, data: RequestBody): Promise<void> {
    if (!rel) throw mlflowError("INVALID_PARAMETER_VALUE", "Cannot write an artifact without a file name");
    await this.#http.send({
      method: "PUT",
      url: this.#fileUrl(rel),
      body: data,
      contentType: uploadContentType(rel),
    });
  }

  async logArtifact(localFile: string, artifactPath?: string): Promise<void> {
    const dir = safeArtifactPath(artifactPath);
    let data: RequestBody;
    try {
      data = await fileBody(localFile);
    } catch (error) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `Cannot log artifact ${localFile}: ${(error as Error).message}`,
      );
    }
    await this.#put(joinPath(dir, basename(localFile)), data);
  }

  async logArtifacts(localDir: string, artifactPath?: string): Promise<void> {
    const dir = safeArtifactPath(artifactPath);
    const info = statIfAny(localDir);
    if (!info?.isDirectory) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `Cannot log artifacts from ${localDir}: no such directory`,
      );
    }
    const walk = async (abs: string): Promise<void> => {
      for (const entry of Deno.readDirSync(abs)) {
        const path = join(abs, entry.name);
        const stat = Deno.statSync(path);
        if (stat.isDirectory) await walk(path);
        else {
          const rel = relative(localDir, path).split("\\").join("/");
          await this.#put(joinPath(dir, rel), await fileBody(path));
        }
      }
    };
    await walk(localDir);
  }

  async writeArtifact(artifactFile: string, data: Uint8Array | string): Promise<void> {
    await this.#put(safeArtifactPath(artifactFile), data);
  }

  /** Streams one artifact file to a local path (large models never sit in memory). */
  async #download(rel: string, local: string): Promise<void> {
    await this.#http.send({ method: "GET", url: this.#fileUrl(rel), saveTo: local }).catch((error) => {
      throw error instanceof TrackingError && error.code === "ENDPOINT_NOT_FOUND"
        ? mlflowError("RESOURCE_DOES_NOT_EXIST", `No artifact file '${rel}' under ${this.rootUri}`)
        : error;
    });
  }

  async readArtifact(artifactFile: string): Promise<Uint8Array> {
    const rel = safeArtifactPath(artifactFile);
    try {
      return (await this.#http.send({ method: "GET", url: this.#fileUrl(rel) })).body;
    } catch (error) {
      if (error instanceof TrackingError && error.code === "ENDPOINT_NOT_FOUND") {
        throw mlflowError(
          "RESOURCE_DOES_NOT_EXIST",
          `No artifact file '${artifactFile}' under ${this.rootUri}`,
        );
      }
      throw error;
    }
  }

  async listArtifacts(path?: string, options: ListArtifactsOptions = {}): Promise<FileInfo[]> {
    const rel = safeArtifactPath(path);
    const response = await this.#http.send({
      method: "GET",
      url: this.#endpoint,
      query: { path: joinPath(this.#root, rel) },
    });
    const body = parseJsonObject(response.body, this.#endpoint);
    const entries = (body.files as FileInfoWire[] | undefined ?? []).map((w) => {
      const info = fileInfoFromWire(w);
      // The proxy answers basenames; re-join them under the listed directory.
      return { ...info, name: info.path.split("/").at(-1) ?? info.path };
    }).filter((e) => e.name !== "" && e.name !== "." && e.name !== "..") // a bad server must not loop us
      .map(({ name, ...info }) => ({ ...info, path: joinPath(rel, name) }));
    // Downloads write these names under a local folder: a name a server made up (`a\\..`, NUL) is refused.
    for (const e of entries) this.#serverPath(e.path);
    return await completeListing(entries, options, (path) => this.listArtifacts(path, options));
  }

  /** A path named by the server, checked like any artifact path (a bad answer, not the caller's mistake). */
  #serverPath(path: string): string {
    try {
      return safeArtifactPath(path);
    } catch (error) {
      throw new TrackingError(
        "tracking/bad-response",
        `The server at ${
          maskUriCredentials(this.#endpoint)
        } listed an unsafe artifact name under ${this.rootUri}: ` +
          (error as Error).message,
        { hint: "check that the tracking URI points at a trusted MLflow server" },
      );
    }
  }

  async downloadArtifacts(artifactPath: string, dstDir?: string): Promise<string> {
    const rel = safeArtifactPath(artifactPath);
    return await downloadInto(dstDir, "kmlf-artifacts-", async (target) => {
      const dest = rel ? join(target, rel) : target;
      const listing = await this.listArtifacts(rel, { recursive: true });
      if (listing.length === 0 && rel === "") {
        Deno.mkdirSync(dest, { recursive: true });
        return dest;
      }
      if (listing.length === 0) {
        Deno.mkdirSync(dirname(dest), { recursive: true });
        await this.#download(rel, dest);
        return dest;
      }
      for (const entry of listing) {
        const local = join(target, entry.path);
        if (entry.isDir) Deno.mkdirSync(local, { recursive: true });
        else {
          Deno.mkdirSync(dirname(local), { recursive: true });
          await this.#download(entry.path, local);
        }
      }
      return dest;
    });
  }

  async deleteArtifacts(artifactPath?: string): Promise<void> {
    const rel = safeArtifactPath(artifactPath);
    await this.#http.send({ method: "DELETE", url: this.#fileUrl(rel) });
  }
}

/**
 * Where an artifact URI of a REST store lives: the proxy endpoint URL and the root below it, or
 * undefined for URIs the proxy does not serve.
 *
 * | URI | endpoint |
 * | --- | --- |
 * | `mlflow-artifacts:/1/<run>/artifacts` | `<tracking URL>/api/2.0/mlflow-artifacts/artifacts` |
 * | `mlflow-artifacts://host:port/1/<run>/artifacts` | `<tracking scheme>://host:port/api/2.0/…` |
 * | `http(s)://…/api/2.0/mlflow-artifacts/artifacts/1/<run>/artifacts` | the URI up to the endpoint |
 *
 * @example
 * ```ts
 * proxyLocation("mlflow-artifacts:/1/abc/artifacts", "http://h:5000");
 * // { endpoint: "http://h:5000/api/2.0/mlflow-artifacts/artifacts", root: "1/abc/artifacts" }
 * ```
 */
export function proxyLocation(
  artifactUri: string,
  trackingUrl: string,
): { endpoint: string; root: string } | undefined {
  const proxied = artifactUri.match(/^mlflow-artifacts:(?:\/\/([^/]*))?(\/.*)?$/);
  if (proxied) {
    const [, host, path = ""] = proxied;
    const base = host ? `${new URL(trackingUrl).protocol}//${host}` : trackingUrl.replace(/\/+$/, "");
    return { endpoint: `${base}${ARTIFACTS_ENDPOINT}`, root: trimSlashes(percentDecode(path)) };
  }
  if (/^https?:\/\//i.test(artifactUri)) {
    const at = artifactUri.indexOf("/mlflow-artifacts/artifacts");
    if (at < 0) return undefined;
    const endpoint = artifactUri.slice(0, at + "/mlflow-artifacts/artifacts".length);
    return { endpoint, root: trimSlashes(percentDecode(artifactUri.slice(endpoint.length))) };
  }
  return undefined;
}

/**
 * The artifact repository for an artifact URI of a REST store: the server's proxy for
 * `mlflow-artifacts:` and proxy `http(s)` URIs; a location the client writes itself (`file://`, an
 * absolute path, `s3://`) as MLflow's client does, through {@link artifactRepositoryFor}.
 *
 * @example
 * ```ts
 * const repo = artifactRepositoryForRest(run.info.artifactUri, store.http);
 * ```
 */
export function artifactRepositoryForRest(
  artifactUri: string,
  http: HttpClient,
  options: ArtifactRepositoryOptions = {},
): ArtifactRepository {
  const location = proxyLocation(artifactUri, http.baseUrl);
  if (location) return new HttpArtifactRepository(artifactUri, http, location);
  if (/^https?:\/\//i.test(artifactUri)) {
    throw new TrackingError(
      "tracking/unsupported-artifact-uri",
      `Cannot store artifacts at ${artifactUri}: an http(s) location must be a server's ` +
        "…/mlflow-artifacts/artifacts/… proxy",
      {
        hint:
          "start the MLflow server with --serve-artifacts (the default) so runs get mlflow-artifacts: URIs",
      },
    );
  }
  return artifactRepositoryFor(artifactUri, options);
}
