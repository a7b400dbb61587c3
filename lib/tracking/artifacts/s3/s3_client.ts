/**
 * The few S3 calls an artifact repository needs (PutObject, GetObject, ListObjectsV2, DeleteObject,
 * multipart upload, HeadBucket), signed with SigV4 by npm `aws4fetch`: a 6 kB signer that loads in ~2 ms
 * where the AWS SDK's S3 client takes ~700 ms (bench/s3_bench.ts). Path-style URLs for
 * `MLFLOW_S3_ENDPOINT_URL` (MinIO and other S3-compatible servers), virtual-hosted ones for AWS. 5xx and
 * 429 answers are retried by the signer, failed connections here; a server that cannot be reached, or
 * that stops answering or sending (60 s), is a clear error naming the object and the endpoint.
 *
 * @module
 */
import { AwsClient } from "aws4fetch";
import { TrackingError } from "../../../errors.ts";
import { mlflowError } from "../../tracking_errors.ts";
import type { S3Config } from "./s3_config.ts";

/** One entry of a listing: an object, or a "directory" (a common prefix). */
export interface S3Listing {
  objects: { key: string; size: number }[];
  prefixes: string[];
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function xmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      return String.fromCodePoint(Number(name[1] === "x" ? `0${name.slice(1)}` : name.slice(1)));
    }
    return ENTITIES[name] ?? whole;
  });
}

/** Every `<tag>…</tag>` inside `xml`, decoded. */
function xmlAll(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => m[1]);
}

function xmlOne(xml: string, tag: string): string | undefined {
  const found = xmlAll(xml, tag)[0];
  return found === undefined ? undefined : xmlText(found);
}

function encodeKey(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}

/**
 * `body`, failing with `stalled(bytesSoFar, cause)` when a read waits longer than `idleMs` or the
 * connection breaks mid-body; a stalled body is cancelled, which closes its connection. The clock runs
 * only while the reader waits for the server (a slow consumer downstream is no stall), so a large object
 * streams for as long as data keeps coming.
 */
function boundedBody(
  body: ReadableStream<Uint8Array>,
  idleMs: number,
  stalled: (bytes: number, cause?: unknown) => TrackingError,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let bytes = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timedOut = false;
      // The body is cancelled, not the fetch aborted: an abort after the answer started made Deno.serve's
      // write of a response streaming this body fail ("resource closed") without closing its connection
      // (Deno 2.9.6), so kmlf server's client hung instead of seeing the download cut.
      const timer = setTimeout(() => {
        timedOut = true;
        controller.error(stalled(bytes));
        reader.cancel().catch(() => {});
      }, idleMs);
      try {
        const { done, value } = await reader.read();
        if (timedOut) return;
        if (done) controller.close();
        else {
          bytes += value.byteLength;
          controller.enqueue(value);
        }
      } catch (error) {
        if (!timedOut) controller.error(stalled(bytes, error));
      } finally {
        clearTimeout(timer);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

/**
 * A client for one bucket.
 *
 * @example
 * ```ts
 * const s3 = new S3Client("my-bucket", s3ConfigFromEnv((n) => Deno.env.get(n)));
 * await s3.putObject("mlflow/1/abc/artifacts/notes.txt", new TextEncoder().encode("hi"));
 * ```
 */
export class S3Client {
  readonly bucket: string;
  readonly #config: S3Config;
  readonly #aws: AwsClient;
  readonly #base: string;
  readonly #timeoutMs: number;
  readonly #retries: number;

  /** `timeoutMs`: longest wait for an answer's headers (boto3's 60 s), plus time to send the body. */
  constructor(bucket: string, config: S3Config, options: { retries?: number; timeoutMs?: number } = {}) {
    this.bucket = bucket;
    this.#config = config;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#retries = options.retries ?? 3;
    this.#aws = new AwsClient({
      accessKeyId: config.accessKeyId,
      secretAccessKey: config.secretAccessKey,
      sessionToken: config.sessionToken,
      service: "s3",
      region: config.region,
      retries: this.#retries,
      initRetryMs: 100,
    });
    // Bucket names with dots break TLS for virtual-hosted URLs: AWS serves them path-style.
    this.#base = config.endpoint
      ? `${config.endpoint}/${encodeURIComponent(bucket)}`
      : bucket.includes(".")
      ? `https://s3.${config.region}.amazonaws.com/${encodeURIComponent(bucket)}`
      : `https://${bucket}.s3.${config.region}.amazonaws.com`;
  }

  /** Where requests go (for messages), e.g. `http://127.0.0.1:9000/bucket`. */
  get endpoint(): string {
    return this.#base;
  }

  /** Uploads one object in one request. */
  async putObject(key: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.#send("PutObject", "PUT", key, {
      body,
      headers: { ...this.#config.uploadHeaders, "content-type": contentType },
    });
  }

  /**
   * The object's body (only bytes `[start, end)` with `range`), or undefined when there is no such key.
   */
  async getObject(key: string, range?: { start: number; end: number }): Promise<Response | undefined> {
    const response = await this.#send("GetObject", "GET", key, {
      allow404: true,
      headers: range ? { range: `bytes=${range.start}-${range.end - 1}` } : undefined,
    });
    return response.status === 404 ? undefined : response;
  }

  /** The object's size, entity tag and modification time, or undefined when there is no such key. */
  async headObject(key: string): Promise<{ size: number; etag?: string; lastModified?: Date } | undefined> {
    const response = await this.#send("HeadObject", "HEAD", key, { allow404: true });
    await response.body?.cancel();
    if (response.status === 404) return undefined;
    const modified = response.headers.get("last-modified");
    return {
      size: Number(response.headers.get("content-length") ?? 0),
      etag: response.headers.get("etag") ?? undefined,
      lastModified: modified ? new Date(modified) : undefined,
    };
  }

  /** Deletes one object (a missing key is fine, as in S3). */
  async deleteObject(key: string): Promise<void> {
    await this.#send("DeleteObject", "DELETE", key, { allow404: true });
  }

  /** One level of keys under `prefix` (with `delimiter: "/"`), or every key below it (without). */
  async list(prefix: string, options: { delimiter?: string } = {}): Promise<S3Listing> {
    const listing: S3Listing = { objects: [], prefixes: [] };
    let token: string | undefined;
    do {
      const query = new URLSearchParams({ "list-type": "2", prefix });
      if (options.delimiter) query.set("delimiter", options.delimiter);
      if (token) query.set("continuation-token", token);
      const xml = await (await this.#send("ListObjectsV2", "GET", "", { query })).text();
      for (const entry of xmlAll(xml, "Contents")) {
        listing.objects.push({ key: xmlOne(entry, "Key")!, size: Number(xmlOne(entry, "Size") ?? 0) });
      }
      for (const entry of xmlAll(xml, "CommonPrefixes")) listing.prefixes.push(xmlOne(entry, "Prefix")!);
      token = xmlOne(xml, "IsTruncated") === "true" ? xmlOne(xml, "NextContinuationToken") : undefined;
    } while (token);
    return listing;
  }

  /** Checks the bucket exists and the credentials may list it (one cheap request). */
  async checkAccess(prefix: string): Promise<void> {
    const query = new URLSearchParams({ "list-type": "2", prefix, "max-keys": "1" });
    const text = await (await this.#send("ListObjectsV2", "GET", "", { query })).text();
    // A server that answers 200 to anything (a web server at a wrong port) would swallow every upload.
    if (!text.includes("<ListBucketResult")) {
      throw this.#notS3(`ListObjectsV2 on s3://${this.bucket}/${prefix}`, 200, text);
    }
  }

  /** Starts a multipart upload; returns its id. */
  async createMultipartUpload(key: string, contentType: string): Promise<string> {
    const xml = await (await this.#send("CreateMultipartUpload", "POST", key, {
      query: new URLSearchParams({ uploads: "" }),
      headers: { ...this.#config.uploadHeaders, "content-type": contentType },
    })).text();
    const id = xmlOne(xml, "UploadId");
    if (!id) throw this.#badAnswer("CreateMultipartUpload", xml);
    return id;
  }

  /** Uploads part `partNumber` (from 1); returns its ETag. */
  async uploadPart(key: string, uploadId: string, partNumber: number, body: Uint8Array): Promise<string> {
    const query = new URLSearchParams({ partNumber: String(partNumber), uploadId });
    const response = await this.#send("UploadPart", "PUT", key, { query, body });
    await response.body?.cancel();
    const etag = response.headers.get("etag");
    if (!etag) throw this.#badAnswer("UploadPart", "no ETag header");
    return etag;
  }

  /** Completes a multipart upload from its parts' ETags, in order. */
  async completeMultipartUpload(key: string, uploadId: string, etags: readonly string[]): Promise<void> {
    const parts = etags.map((etag, i) =>
      `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`
    );
    const body = new TextEncoder().encode(
      `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${
        parts.join("")
      }</CompleteMultipartUpload>`,
    );
    const xml = await (await this.#send("CompleteMultipartUpload", "POST", key, {
      query: new URLSearchParams({ uploadId }),
      body,
    }))
      .text();
    // S3 may answer 200 with an error document when completing fails late.
    if (xml.includes("<Error>")) {
      throw this.#s3Error(`CompleteMultipartUpload on s3://${this.bucket}/${key}`, 200, xml);
    }
  }

  /** Abandons a multipart upload, freeing its parts. */
  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    await this.#send("AbortMultipartUpload", "DELETE", key, {
      query: new URLSearchParams({ uploadId }),
      allow404: true,
    });
  }

  async #send(
    action: string,
    method: string,
    key: string,
    options: {
      query?: URLSearchParams;
      body?: Uint8Array;
      headers?: Record<string, string>;
      allow404?: boolean;
    },
  ): Promise<Response> {
    const search = options.query ? `?${options.query.toString().replace(/=(?=&|$)/g, "")}` : "";
    const url = `${this.#base}${key ? `/${encodeKey(key)}` : ""}${search}`;
    let response: Response;
    // Bounded until the answer's headers arrive (a server that accepts and never answers would hang the
    // run); sending a body gets time at 64 KiB/s on top. The answer's body is bounded afterwards by
    // boundedBody: each read waits at most the timeout (boto3's read_timeout), however long the body.
    const waitMs = this.#timeoutMs + (options.body?.byteLength ?? 0) / 64;
    const object = `s3://${this.bucket}/${key || options.query?.get("prefix") || ""}`;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), waitMs);
    try {
      for (let attempt = 0;; attempt++) {
        try {
          response = await this.#aws.fetch(url, {
            method,
            headers: options.headers,
            body: options.body as Uint8Array<ArrayBuffer> | undefined,
            signal: abort.signal,
          });
          break;
        } catch (error) {
          // The signer retries 5xx and 429 answers only: a connection that failed (refused, reset, a
          // pooled keep-alive connection the server closed) is retried here, as boto3 does, for the
          // requests doing them twice cannot harm (not POST: creating or completing a multipart upload).
          if (abort.signal.aborted || method === "POST" || attempt >= this.#retries) throw error;
          await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
        }
      }
    } catch (error) {
      const reason = abort.signal.aborted
        ? `no answer within ${waitMs < 10_000 ? (waitMs / 1000).toFixed(1) : Math.round(waitMs / 1000)} s`
        : (error as Error).message;
      throw new TrackingError(
        "tracking/artifact-store-unreachable",
        `Cannot reach the S3 artifact store at ${this.#base} (${action} ${object}): ${reason}`,
        {
          cause: error,
          hint: this.#config.endpoint
            ? "check that the S3 server at MLFLOW_S3_ENDPOINT_URL is running and the URL is right"
            : "check the network, or set MLFLOW_S3_ENDPOINT_URL for an S3-compatible server",
        },
      );
    } finally {
      clearTimeout(timer);
    }
    if (response.body) {
      const stalled = (bytes: number, error?: unknown) =>
        new TrackingError(
          "tracking/artifact-store-unreachable",
          `S3 stopped sending ${action} ${object} from ${this.#base} after ${bytes} bytes: ${
            error ? (error as Error).message : `no data for ${Math.round(this.#timeoutMs / 1000)} s`
          }`,
          {
            cause: error,
            hint: this.#config.endpoint
              ? "check the S3 server at MLFLOW_S3_ENDPOINT_URL and the network to it, then try again"
              : "check the network (and any proxy) to AWS S3, then try again",
          },
        );
      response = new Response(boundedBody(response.body, this.#timeoutMs, stalled), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
    if (response.ok || (options.allow404 && response.status === 404)) return response;
    throw this.#s3Error(`${action} on ${object}`, response.status, await response.text());
  }

  #s3Error(action: string, status: number, xml: string): TrackingError {
    // A 403 may come without a body (a policy refusing the request): still a credentials matter.
    if (!xml.includes("<Error") && status !== 403) return this.#notS3(action, status, xml);
    const code = xmlOne(xml, "Code") ?? `HTTP ${status}`;
    const message = `S3 refused ${action} (${code}: ${xmlOne(xml, "Message") ?? xml.slice(0, 200)})`;
    if (code === "NoSuchBucket") {
      return new TrackingError("tracking/artifact-store-unreachable", message, {
        hint: `create the bucket "${this.bucket}", or fix the artifact location`,
      });
    }
    if (status === 403 || code === "InvalidAccessKeyId" || code === "SignatureDoesNotMatch") {
      return new TrackingError("tracking/artifact-store-denied", message, {
        hint: "check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) and the bucket policy",
      });
    }
    return mlflowError(status >= 500 ? "INTERNAL_ERROR" : "INVALID_PARAMETER_VALUE", message);
  }

  // An answer without S3's XML: the endpoint is some other server (or a proxy's error page).
  #notS3(action: string, status: number, body: string): TrackingError {
    const sample = body.replace(/\s+/g, " ").trim().slice(0, 120);
    return new TrackingError(
      "tracking/artifact-store-unreachable",
      `The server at ${this.#base} did not answer ${action} as S3 does (HTTP ${status}${
        sample ? `: ${sample}` : ""
      })`,
      {
        hint: this.#config.endpoint
          ? "check that MLFLOW_S3_ENDPOINT_URL is the S3 server's URL (e.g. http://minio:9000), not another service"
          : "check the network and any proxy between here and AWS S3, or set MLFLOW_S3_ENDPOINT_URL",
      },
    );
  }

  #badAnswer(action: string, detail: string): TrackingError {
    return new TrackingError(
      "tracking/bad-response",
      `S3 answered ${action} without the expected data: ${detail}`,
    );
  }
}
