/**
 * Artifacts in S3 (`s3://bucket/prefix`), as MLflow's S3ArtifactRepository keeps them: one object per
 * file under `<prefix>/<artifact path>`, "directories" as common prefixes, MLflow's path rules for
 * every path, each object typed as MLflow's client types uploads. Files above {@link MULTIPART_THRESHOLD} go up in parts (boto3's default 8 MiB), read
 * from disk or from a stream part by part, so memory stays bounded. This module checks the location; the
 * work against the bucket (`s3_objects.ts`) loads with a repository's first call.
 *
 * @module
 */
import { TrackingError } from "../../../errors.ts";
import type { FileInfo } from "../../entities.ts";
import type { ArtifactRepository, ListArtifactsOptions } from "../artifact_repository.ts";
import type { S3Config } from "./s3_config.ts";
import type { S3Objects } from "./s3_objects.ts";

/** Uploads above this many bytes use multipart upload (boto3's `multipart_threshold`). */
export const MULTIPART_THRESHOLD = 8 * 1024 * 1024;

/** Size of each part (boto3's `multipart_chunksize`; S3's minimum is 5 MiB except the last part). */
export const PART_SIZE = 8 * 1024 * 1024;

/**
 * `s3://bucket/some/prefix/` → `{ bucket, prefix: "some/prefix" }`, or a clear error.
 *
 * @example
 * ```ts
 * parseS3Uri("s3://my-bucket/mlflow/1"); // { bucket: "my-bucket", prefix: "mlflow/1" }
 * ```
 */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = uri.match(/^s3:\/\/([^/?#]+)\/*([^?#]*)$/i);
  if (!m) {
    throw new TrackingError("tracking/unsupported-artifact-uri", `Cannot use ${uri} as an S3 location`, {
      hint: "write s3://<bucket>/<prefix>, e.g. s3://my-bucket/mlflow",
    });
  }
  return { bucket: m[1], prefix: m[2].split("/").filter((p) => p !== "").join("/") };
}

/** Options of {@link S3ArtifactRepository}. */
export interface S3RepositoryOptions {
  /** Bytes above which uploads go in parts (default {@link MULTIPART_THRESHOLD}). */
  multipartThreshold?: number;
  /** Part size (default {@link PART_SIZE}). */
  partSize?: number;
  /** Retries of 5xx/429 answers (default 3). */
  retries?: number;
  /** Longest wait in ms for a request's answer to start (default 60 s, as boto3). */
  timeoutMs?: number;
}

/**
 * An artifact repository rooted at an `s3://` URI.
 *
 * @example
 * ```ts
 * const repo = new S3ArtifactRepository("s3://bucket/mlflow/1/abc/artifacts", s3ConfigFromEnv((n) => Deno.env.get(n)));
 * await repo.writeArtifact("notes.txt", "hello");
 * ```
 */
export class S3ArtifactRepository implements ArtifactRepository {
  readonly rootUri: string;
  readonly #objects: () => Promise<S3Objects>;

  // The location is checked here, as the factory is asked for the repository; the code that talks to the
  // bucket (s3_objects.ts, then the S3 client) loads with the first call: stores whose artifacts are local
  // never read it.
  constructor(rootUri: string, config: S3Config, options: S3RepositoryOptions = {}) {
    const location = parseS3Uri(rootUri);
    this.rootUri = rootUri;
    const settings = {
      multipartThreshold: options.multipartThreshold ?? MULTIPART_THRESHOLD,
      partSize: options.partSize ?? PART_SIZE,
      retries: options.retries,
      timeoutMs: options.timeoutMs,
    };
    let objects: Promise<S3Objects> | undefined;
    this.#objects = () =>
      objects ??= s3Objects().then(({ S3Objects }) => new S3Objects(rootUri, location, config, settings));
  }

  /** Checks the bucket can be listed with these credentials: before any work is done (pre-run). */
  async checkAccess(): Promise<void> {
    return await (await this.#objects()).checkAccess();
  }

  async logArtifact(localFile: string, artifactPath?: string): Promise<void> {
    return await (await this.#objects()).logArtifact(localFile, artifactPath);
  }

  async logArtifacts(localDir: string, artifactPath?: string): Promise<void> {
    return await (await this.#objects()).logArtifacts(localDir, artifactPath);
  }

  async writeArtifact(artifactFile: string, data: Uint8Array | string): Promise<void> {
    return await (await this.#objects()).writeArtifact(artifactFile, data);
  }

  /** Streams an artifact up: one PUT when it fits under the threshold, else part by part. */
  async writeArtifactStream(artifactFile: string, stream: ReadableStream<Uint8Array>): Promise<void> {
    return await (await this.#objects()).writeArtifactStream(artifactFile, stream);
  }

  async readArtifactStream(
    artifactFile: string,
    range?: { start: number; end: number },
  ): Promise<{ body: ReadableStream<Uint8Array>; size?: number; etag?: string; lastModified?: Date }> {
    return await (await this.#objects()).readArtifactStream(artifactFile, range);
  }

  async statArtifact(
    artifactFile: string,
  ): Promise<{ size: number; etag?: string; lastModified?: Date } | undefined> {
    return await (await this.#objects()).statArtifact(artifactFile);
  }

  async readArtifact(artifactFile: string): Promise<Uint8Array> {
    return await (await this.#objects()).readArtifact(artifactFile);
  }

  async listArtifacts(path?: string, options: ListArtifactsOptions = {}): Promise<FileInfo[]> {
    return await (await this.#objects()).listArtifacts(path, options);
  }

  async downloadArtifacts(artifactPath: string, dstDir?: string): Promise<string> {
    return await (await this.#objects()).downloadArtifacts(artifactPath, dstDir);
  }

  async deleteArtifacts(artifactPath?: string): Promise<void> {
    return await (await this.#objects()).deleteArtifacts(artifactPath);
  }
}

// By a computed URL, which Deno does not read with this module (the bundle makes it an entry point).
const s3Objects = (): Promise<typeof import("./s3_objects.ts")> =>
  import(new URL("./s3_objects.ts", import.meta.url).href);
