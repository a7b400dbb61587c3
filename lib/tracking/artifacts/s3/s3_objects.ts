/**
 * The work of `S3ArtifactRepository`: every read, write, listing and multipart upload against the
 * bucket. It loads with the repository's first call (`s3_repository.ts`), so a store whose artifacts are
 * local never reads it.
 *
 * @module
 */
import { basename, dirname, join, relative } from "../../../path.ts";
import { concatBytes } from "../../../bytes.ts";
import { TrackingError } from "../../../errors.ts";
import type { FileInfo } from "../../entities.ts";
import { mlflowError } from "../../tracking_errors.ts";
import {
  type ArtifactRepository,
  completeListing,
  type ListArtifactsOptions,
  safeArtifactPath,
} from "../artifact_repository.ts";
import { uploadContentType } from "../upload_content_type.ts";
import { downloadInto } from "../download_folder.ts";
import type { S3Client } from "./s3_client.ts";
import type { S3Config } from "./s3_config.ts";
import { readFile } from "../../../file_io.ts";
import { statIfAny } from "../../../fs_utils.ts";

/** `S3ArtifactRepository`'s options with their defaults applied. */
export interface S3ObjectsOptions {
  multipartThreshold: number;
  partSize: number;
  retries?: number;
  timeoutMs?: number;
}

/**
 * The objects of one `s3://` root, as `S3ArtifactRepository` serves them.
 *
 * @example
 * ```ts
 * const objects = new S3Objects("s3://bucket/mlflow", parseS3Uri("s3://bucket/mlflow"), config, { multipartThreshold: 8 << 20, partSize: 8 << 20 });
 * await objects.writeArtifact("notes.txt", "hello");
 * ```
 */
export class S3Objects implements ArtifactRepository {
  readonly rootUri: string;
  readonly #bucket: string;
  readonly #config: S3Config;
  readonly #retries?: number;
  readonly #timeoutMs?: number;
  #client?: Promise<S3Client>;
  readonly #root: string;
  readonly #threshold: number;
  readonly #partSize: number;

  constructor(
    rootUri: string,
    { bucket, prefix }: { bucket: string; prefix: string },
    config: S3Config,
    options: S3ObjectsOptions,
  ) {
    this.rootUri = rootUri;
    this.#root = prefix;
    this.#bucket = bucket;
    this.#config = config;
    this.#retries = options.retries;
    this.#timeoutMs = options.timeoutMs;
    this.#partSize = options.partSize;
    this.#threshold = options.multipartThreshold;
  }

  // The S3 client (and its SigV4 signer) loads on first use: runs that never touch S3 never load it.
  #s3(): Promise<S3Client> {
    this.#client ??= import("./s3_client.ts").then(({ S3Client }) =>
      new S3Client(this.#bucket, this.#config, { retries: this.#retries, timeoutMs: this.#timeoutMs })
    );
    return this.#client;
  }

  #key(rel: string): string {
    return [this.#root, rel].filter((p) => p !== "").join("/");
  }

  /** Checks the bucket can be listed with these credentials: before any work is done (pre-run). */
  async checkAccess(): Promise<void> {
    const s3 = await this.#s3();
    await s3.checkAccess(this.#root ? `${this.#root}/` : "");
  }

  async logArtifact(localFile: string, artifactPath?: string): Promise<void> {
    const s3 = await this.#s3();
    const info = statIfAny(localFile);
    if (!info?.isFile) {
      throw mlflowError("INVALID_PARAMETER_VALUE", `Cannot log artifact ${localFile}: no such file`);
    }
    const rel = [safeArtifactPath(artifactPath), basename(localFile)].filter((p) => p !== "").join("/");
    if (info.size <= this.#threshold) {
      await s3.putObject(this.#key(rel), await readFile(localFile), uploadContentType(rel));
      return;
    }
    using file = await Deno.open(localFile, { read: true });
    await this.#multipart(this.#key(rel), file.readable);
  }

  async logArtifacts(localDir: string, artifactPath?: string): Promise<void> {
    const info = statIfAny(localDir);
    if (!info?.isDirectory) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `Cannot log artifacts from ${localDir}: no such directory`,
      );
    }
    const base = safeArtifactPath(artifactPath);
    for await (const file of walkFiles(localDir)) {
      const dir = dirname(relative(localDir, file)).split("\\").join("/");
      await this.logArtifact(file, [base, dir === "." ? "" : dir].filter((p) => p !== "").join("/"));
    }
  }

  async writeArtifact(artifactFile: string, data: Uint8Array | string): Promise<void> {
    const s3 = await this.#s3();
    const rel = safeArtifactPath(artifactFile);
    if (!rel) throw mlflowError("INVALID_PARAMETER_VALUE", "Cannot write an artifact without a file name");
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    await s3.putObject(this.#key(rel), bytes, uploadContentType(rel));
  }

  /** Streams an artifact up: one PUT when it fits under the threshold, else part by part. */
  async writeArtifactStream(artifactFile: string, stream: ReadableStream<Uint8Array>): Promise<void> {
    const rel = safeArtifactPath(artifactFile);
    if (!rel) throw mlflowError("INVALID_PARAMETER_VALUE", "Cannot write an artifact without a file name");
    await this.#multipart(this.#key(rel), stream);
  }

  async readArtifactStream(
    artifactFile: string,
    range?: { start: number; end: number },
  ): Promise<{ body: ReadableStream<Uint8Array>; size?: number; etag?: string; lastModified?: Date }> {
    const s3 = await this.#s3();
    const rel = safeArtifactPath(artifactFile);
    const response = rel ? await s3.getObject(this.#key(rel), range) : undefined;
    if (!response?.body) {
      throw mlflowError(
        "RESOURCE_DOES_NOT_EXIST",
        `No artifact file '${artifactFile}' under ${this.rootUri}`,
      );
    }
    const length = response.headers.get("content-length");
    const modified = response.headers.get("last-modified");
    return {
      body: response.body,
      size: length === null ? undefined : Number(length),
      etag: response.headers.get("etag") ?? undefined,
      lastModified: modified ? new Date(modified) : undefined,
    };
  }

  async statArtifact(
    artifactFile: string,
  ): Promise<{ size: number; etag?: string; lastModified?: Date } | undefined> {
    const rel = safeArtifactPath(artifactFile);
    // A "folder" key (ending in /) is not a file, as in listArtifacts.
    return rel ? await (await this.#s3()).headObject(this.#key(rel)) : undefined;
  }

  async readArtifact(artifactFile: string): Promise<Uint8Array> {
    const s3 = await this.#s3();
    const rel = safeArtifactPath(artifactFile);
    const response = rel ? await s3.getObject(this.#key(rel)) : undefined;
    if (!response) {
      throw mlflowError(
        "RESOURCE_DOES_NOT_EXIST",
        `No artifact file '${artifactFile}' under ${this.rootUri}`,
      );
    }
    return new Uint8Array(await response.arrayBuffer());
  }

  async listArtifacts(path?: string, options: ListArtifactsOptions = {}): Promise<FileInfo[]> {
    const s3 = await this.#s3();
    const rel = safeArtifactPath(path);
    const prefix = this.#key(rel);
    const listing = await s3.list(prefix ? `${prefix}/` : "", { delimiter: "/" });
    const below = (key: string) => {
      // MLflow's _verify_listed_object_contains_artifact_path_prefix: S3 must answer inside the prefix.
      if (!key.startsWith(prefix ? `${prefix}/` : "")) {
        throw mlflowError("INTERNAL_ERROR", `S3 listed '${key}' outside the artifact path '${prefix}'`);
      }
      const path = [rel, key.slice(prefix ? prefix.length + 1 : 0)].filter((p) => p !== "").join("/");
      return this.#listedPath(path.replace(/\/$/, ""), key) + (path.endsWith("/") ? "/" : "");
    };
    const entries: FileInfo[] = [
      ...listing.prefixes.map((p) => ({ path: below(p).replace(/\/$/, ""), isDir: true, fileSize: null })),
      // A zero-byte key ending in "/" is a folder marker some tools write, not a file.
      ...listing.objects.filter((o) => !o.key.endsWith("/")).map((o) => ({
        path: below(o.key),
        isDir: false,
        fileSize: o.size,
      })),
    ];
    return await completeListing(entries, options, (p) => this.listArtifacts(p, options));
  }

  /**
   * A path S3 listed, checked like any artifact path: a key another tool wrote (`runs/../../x`) is the
   * bucket's problem, not the caller's, and is never followed out of the root.
   */
  #listedPath(path: string, key: string): string {
    try {
      return safeArtifactPath(path);
    } catch (error) {
      throw new TrackingError(
        "tracking/bad-response",
        `S3 listed the object '${key}' in bucket '${this.#bucket}' under ${this.rootUri}, whose key is not a ` +
          `safe artifact path: ${(error as Error).message}`,
        { hint: "rename or delete that object with an S3 tool (kmlf and MLflow never write such keys)" },
      );
    }
  }

  async downloadArtifacts(artifactPath: string, dstDir?: string): Promise<string> {
    const s3 = await this.#s3();
    const rel = safeArtifactPath(artifactPath);
    return await downloadInto(dstDir, "kmlf-s3-artifacts-", async (dest) => {
      const file = rel ? await s3.getObject(this.#key(rel)) : undefined;
      if (file) {
        const target = join(dest, rel);
        await saveResponse(file, target);
        return target;
      }
      const entries = (await this.listArtifacts(rel, { recursive: true })).filter((e) => !e.isDir);
      if (entries.length === 0) {
        throw mlflowError("RESOURCE_DOES_NOT_EXIST", `No artifact '${artifactPath}' under ${this.rootUri}`);
      }
      for (const entry of entries) {
        const response = await s3.getObject(this.#key(entry.path));
        if (response) await saveResponse(response, join(dest, entry.path));
      }
      return rel ? join(dest, rel) : dest;
    });
  }

  async deleteArtifacts(artifactPath?: string): Promise<void> {
    const s3 = await this.#s3();
    const rel = safeArtifactPath(artifactPath);
    const prefix = this.#key(rel);
    // The path itself (a file) and everything below it (a folder); never a sibling sharing its prefix.
    const listing = await s3.list(prefix ? `${prefix}/` : "");
    const keys = listing.objects.map((o) => o.key);
    if (rel) keys.push(prefix);
    for (const key of keys) await s3.deleteObject(key);
  }

  // Reads `stream` part by part: content up to the threshold goes up in one PUT, more in a multipart
  // upload that is aborted if anything fails, so no orphaned parts stay billed in the bucket.
  async #multipart(key: string, stream: ReadableStream<Uint8Array>): Promise<void> {
    const s3 = await this.#s3();
    const parts = readParts(stream, this.#partSize);
    const head: Uint8Array[] = [];
    let total = 0;
    while (total <= this.#threshold) {
      const next = await parts.next();
      if (next.done) {
        await s3.putObject(key, concatBytes(head), uploadContentType(key));
        return;
      }
      head.push(next.value);
      total += next.value.byteLength;
    }
    const uploadId = await s3.createMultipartUpload(key, uploadContentType(key));
    try {
      const etags: string[] = [];
      for (const part of head) etags.push(await s3.uploadPart(key, uploadId, etags.length + 1, part));
      for await (const part of parts) etags.push(await s3.uploadPart(key, uploadId, etags.length + 1, part));
      await s3.completeMultipartUpload(key, uploadId, etags);
    } catch (error) {
      await s3.abortMultipartUpload(key, uploadId).catch(() => {});
      throw error;
    }
  }
}

/** Collects a stream into chunks of exactly `size` bytes (the last one shorter), copying only to join. */
async function* readParts(stream: ReadableStream<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let filled = 0;
  for await (let chunk of stream) {
    while (filled + chunk.byteLength >= size) {
      const take = size - filled;
      pending.push(chunk.subarray(0, take));
      yield concatBytes(pending);
      chunk = chunk.subarray(take);
      pending = [];
      filled = 0;
    }
    if (chunk.byteLength > 0) {
      pending.push(chunk);
      filled += chunk.byteLength;
    }
  }
  if (filled > 0) yield concatBytes(pending);
}

/**
 * Streams an object into `target` through a temp file beside it, renamed into place once the whole body
 * arrived: a download that stalls or breaks leaves no file that looks complete (and no temp file).
 */
async function saveResponse(response: Response, target: string): Promise<void> {
  Deno.mkdirSync(dirname(target), { recursive: true });
  const partial = join(
    dirname(target),
    `.${basename(target)}.${Deno.pid}-${crypto.randomUUID().slice(0, 8)}.tmp`,
  );
  try {
    const file = await Deno.open(partial, { write: true, createNew: true });
    // Closing the writable (not the file under it) waits for the last writes to land.
    if (response.body) await response.body.pipeTo(file.writable);
    else file.close();
    Deno.renameSync(partial, target);
  } catch (error) {
    await response.body?.cancel().catch(() => {});
    await Deno.remove(partial).catch(() => {});
    throw error;
  }
}

async function* walkFiles(dir: string): AsyncGenerator<string> {
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    const info = Deno.statSync(path);
    if (info.isDirectory) yield* walkFiles(path);
    else yield path;
  }
}
