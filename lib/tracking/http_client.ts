/**
 * The HTTP layer of the REST store: MLflow's request conventions (query strings for GET with repeated
 * keys for lists, JSON bodies otherwise), authentication (`MLFLOW_TRACKING_USERNAME`/`MLFLOW_TRACKING_PASSWORD` → Basic, else
 * `MLFLOW_TRACKING_TOKEN` → Bearer — MLflow's own precedence — plus extra headers), retries with
 * exponential backoff for 408, 429, 500, 502, 503, 504 and connection errors only, and MLflow error
 * JSON mapped to `TrackingError`s.
 *
 * @module
 */
import { TrackingError } from "../errors.ts";
import { KMLF_VERSION } from "../version.ts";
import { timerDelay } from "../timer_delay.ts";
import { httpError, networkReason, parseJsonObject, RETRYABLE_STATUSES } from "./http_errors.ts";
import { maskUriCredentials } from "../uri_credentials.ts";

/** Extra request headers, or a function giving them per request (kedro-mlflow's request header provider). */
export type HeaderSource =
  | Record<string, string>
  | (() => Record<string, string> | Promise<Record<string, string>>);

/** Options of {@link HttpClient}. */
export interface HttpClientOptions {
  /** Extra headers sent with every request; they win over the Authorization derived from `env`. */
  headers?: HeaderSource;
  /** Where credentials come from (default: the process environment, when readable). */
  env?: (name: string) => string | undefined;
  /** Retries after the first attempt for retryable failures (default `MLFLOW_HTTP_REQUEST_MAX_RETRIES`, else 5). */
  maxRetries?: number;
  /** Delay before the first retry in ms, doubled for each further retry (default 500). */
  backoffMs?: number;
  /** Per-attempt timeout in ms (default `MLFLOW_HTTP_REQUEST_TIMEOUT` seconds, else 120 s). */
  timeoutMs?: number;
}

/** Query values: lists become repeated keys, undefined values are left out. */
export type QueryValues = Record<string, string | number | boolean | readonly string[] | undefined>;

/** One request of {@link HttpClient.send}. */
export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Absolute URL or a path below the client's base URL (e.g. `/api/2.0/mlflow/runs/get`). */
  url: string;
  query?: QueryValues;
  /** The body; a function is called for each attempt and streams (large files, re-read on retries). */
  body?: RequestBody;
  contentType?: string;
  /** Stream a 2xx answer's body into this file (written beside it, then renamed) instead of memory. */
  saveTo?: string;
}

/** A request body: bytes, text, or a stream opened anew for each attempt. */
export type RequestBody = Uint8Array | string | (() => Promise<ReadableStream<Uint8Array>>);

/** A successful (2xx) answer, fully read. */
export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/** A failure of the local file system during a request: reported at once, never retried. */
class LocalIoError extends Error {
  constructor(readonly trackingError: TrackingError) {
    super(trackingError.message);
    this.name = "LocalIoError";
  }
}

function localIoError(action: string, error: unknown): LocalIoError {
  return new LocalIoError(
    new TrackingError(
      "tracking/local-io",
      `Cannot ${action}: ${(error as Error)?.message ?? String(error)}`,
      {
        hint: "check that the local path exists and is writable (and that kmlf runs with file permissions)",
        cause: error,
      },
    ),
  );
}

function processEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined; // no --allow-env: no credentials
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, timerDelay(ms)));
}

/**
 * A URL with MLflow's query-string encoding (repeated keys for lists).
 *
 * @example
 * ```ts
 * withQuery("http://h/api/2.0/mlflow/x", { run_ids: ["a", "b"], max_results: 5 });
 * // "http://h/api/2.0/mlflow/x?run_ids=a&run_ids=b&max_results=5"
 * ```
 */
export function withQuery(url: string, query: QueryValues | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) { for (const v of value) params.append(key, v); }
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `${url}${url.includes("?") ? "&" : "?"}${text}` : url;
}

/**
 * Sends requests to one MLflow server with auth, retries and error mapping.
 *
 * @example
 * ```ts
 * const http = new HttpClient("http://127.0.0.1:5000", { backoffMs: 10 });
 * const body = await http.callJson("GET", "/api/2.0/mlflow/experiments/get", { experiment_id: "0" });
 * ```
 */
export class HttpClient {
  /** The server's base URL without a trailing slash, e.g. `http://127.0.0.1:5000`. */
  readonly baseUrl: string;
  readonly #options: HttpClientOptions;

  constructor(baseUrl: string, options: HttpClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.#options = options;
  }

  get #env(): (name: string) => string | undefined {
    return this.#options.env ?? processEnv;
  }

  // `least` 1 for a timeout: requests refuses 0 ("timeout cannot be set to a value less than or equal to 0"),
  // where kmlf would abort every request at once and blame the server.
  #envNumber(name: string, least = 0): number | undefined {
    const text = this.#env(name);
    if (text === undefined || text.trim() === "") return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < least) {
      throw new TrackingError(
        "tracking/bad-env",
        `Cannot use ${name}=${JSON.stringify(text)}: expected a whole number${least ? ` from ${least}` : ""}`,
        {
          hint: `unset ${name} or set it to e.g. ${name === "MLFLOW_HTTP_REQUEST_TIMEOUT" ? "120" : "5"}`,
        },
      );
    }
    return value;
  }

  /** Headers of one request: User-Agent, Authorization from the environment, then the extra headers. */
  async headers(): Promise<Headers> {
    const headers = new Headers({ "User-Agent": `kmlf/${KMLF_VERSION}` });
    const env = this.#env;
    const token = env("MLFLOW_TRACKING_TOKEN");
    const username = env("MLFLOW_TRACKING_USERNAME");
    const password = env("MLFLOW_TRACKING_PASSWORD");
    // MLflow's http_request prefers basic credentials when both kinds are set.
    if (username && password !== undefined) {
      const bytes = new TextEncoder().encode(`${username}:${password}`);
      headers.set("Authorization", `Basic ${btoa(String.fromCharCode(...bytes))}`);
    } else if (token) headers.set("Authorization", `Bearer ${token}`);
    const extra = this.#options.headers;
    const resolved = typeof extra === "function" ? await extra() : extra;
    for (const [key, value] of Object.entries(resolved ?? {})) headers.set(key, value);
    return headers;
  }

  /** Sends a request, retrying retryable failures; resolves with a 2xx answer or throws a TrackingError. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const base = /^https?:\/\//i.test(request.url) ? request.url : `${this.baseUrl}${request.url}`;
    const url = withQuery(base, request.query);
    const maxRetries = this.#options.maxRetries ?? this.#envNumber("MLFLOW_HTTP_REQUEST_MAX_RETRIES") ?? 5;
    const backoffMs = this.#options.backoffMs ?? 500;
    for (let attempt = 0;; attempt++) {
      const headers = await this.headers();
      if (request.contentType) headers.set("Content-Type", request.contentType);
      const outcome = await this.#attempt(request.method, url, headers, request.body, request.saveTo);
      if (outcome instanceof LocalIoError) throw outcome.trackingError;
      const retryable = outcome instanceof Error ? outcome.name !== "TimeoutError" : RETRYABLE_STATUSES.has(
        outcome.status,
      );
      if (retryable && attempt < maxRetries) {
        await sleep(backoffMs * 2 ** attempt);
        continue;
      }
      if (outcome instanceof Error) throw this.#networkError(request.method, url, outcome, attempt);
      if (outcome.status >= 200 && outcome.status < 300) return outcome;
      throw httpError(request.method, url, outcome.status, new TextDecoder().decode(outcome.body));
    }
  }

  /**
   * Sends an MLflow API call: `query` goes into the query string for GET, otherwise into a JSON body.
   * Resolves with the answer's JSON object (`{}` for an empty body).
   */
  async callJson(method: HttpRequest["method"], endpoint: string, message: object = {}): Promise<unknown> {
    const request: HttpRequest = method === "GET"
      ? { method, url: endpoint, query: message as QueryValues }
      : { method, url: endpoint, body: JSON.stringify(message), contentType: "application/json" };
    const response = await this.send(request);
    return parseJsonObject(response.body, `${this.baseUrl}${endpoint}`);
  }

  async #attempt(
    method: string,
    url: string,
    headers: Headers,
    body: RequestBody | undefined,
    saveTo?: string,
  ): Promise<HttpResponse | Error> {
    const controller = new AbortController();
    const timeout = this.#options.timeoutMs ??
      (this.#envNumber("MLFLOW_HTTP_REQUEST_TIMEOUT", 1) ?? 120) * 1000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let finished = false;
    // The timeout bounds silence, not total time: each streamed chunk restarts it, as with requests.
    const restart = () => {
      if (finished) return;
      clearTimeout(timer);
      timer = setTimeout(
        () => controller.abort(new DOMException("timed out", "TimeoutError")),
        timerDelay(timeout),
      );
    };
    // Passes chunks on, restarting the timeout; once the attempt is over it stops the stream, so a
    // server that answered early leaves no upload running (and no file handle open) behind it.
    const watch = () =>
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          if (finished) throw new DOMException("request finished", "AbortError");
          restart();
          out.enqueue(chunk);
        },
      });
    restart();
    try {
      let payload: BodyInit | undefined;
      if (typeof body === "function") {
        try {
          payload = (await body()).pipeThrough(watch());
        } catch (error) {
          return localIoError("read the upload", error);
        }
      } else payload = body as BodyInit | undefined;
      const response = await fetch(url, { method, headers, body: payload, signal: controller.signal });
      if (saveTo && response.ok) return await this.#saveBody(response, saveTo, watch());
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { status: response.status, headers: response.headers, body: bytes };
    } catch (error) {
      if (controller.signal.aborted) {
        return new DOMException(`no answer within ${timeout} ms`, "TimeoutError");
      }
      return error instanceof Error ? error : new Error(String(error));
    } finally {
      finished = true;
      clearTimeout(timer);
    }
  }

  /** Streams a 2xx answer into `saveTo` (beside it first, then renamed); local file trouble is not retried. */
  async #saveBody(
    response: Response,
    saveTo: string,
    watch: TransformStream<Uint8Array, Uint8Array>,
  ): Promise<HttpResponse | Error> {
    const partial = `${saveTo}.${crypto.randomUUID().slice(0, 8)}.kmlf-download`;
    let file: Deno.FsFile;
    try {
      file = await Deno.open(partial, { write: true, create: true, truncate: true });
    } catch (error) {
      await response.body?.cancel().catch(() => {});
      return localIoError(`write ${saveTo}`, error);
    }
    try {
      if (response.body) await response.body.pipeThrough(watch).pipeTo(file.writable);
      else file.close();
    } catch (error) {
      await Deno.remove(partial).catch(() => {});
      throw error;
    }
    try {
      Deno.renameSync(partial, saveTo);
    } catch (error) {
      await Deno.remove(partial).catch(() => {});
      return localIoError(`write ${saveTo}`, error);
    }
    return { status: response.status, headers: response.headers, body: new Uint8Array() };
  }

  #networkError(method: string, url: string, error: Error, retries: number): TrackingError {
    const timedOut = error.name === "TimeoutError";
    const tried = retries ? ` (after ${retries} ${retries === 1 ? "retry" : "retries"})` : "";
    return new TrackingError(
      timedOut ? "tracking/server-timeout" : "tracking/server-unreachable",
      `Cannot ${method} ${maskUriCredentials(url)}${tried}: ${networkReason(error)}`,
      {
        hint: timedOut
          ? "the MLflow server did not answer in time; check that it is healthy"
          : `check that an MLflow server is running at ${maskUriCredentials(this.baseUrl)} ` +
            "(e.g. mlflow server --port <port>) " +
            "and that the tracking URI is right",
        cause: error,
      },
    );
  }
}
