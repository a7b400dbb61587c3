/**
 * Decoding an MLflow REST request into a plain message, as MLflow's `_get_request_message` does:
 * GET fields from the query string (a repeated key is a list), other methods from a JSON body
 * (`application/json` required for POST/PUT, empty body = `{}`, a double-encoded JSON string tolerated),
 * and typed field readers that fail with MLflow's INVALID_PARAMETER_VALUE wording.
 *
 * @module
 */
import { concatBytes } from "../bytes.ts";
import { doubleFromWire, mlflowError } from "../tracking/mod.ts";

/** A decoded request: field name → JSON value (query strings give strings or string lists). */
export type RequestMessage = Record<string, unknown>;

/** Default cap on JSON request bodies (MLflow's server has no cap; a local tool wants one). */
export const DEFAULT_MAX_JSON_BYTES = 16 * 1024 * 1024;

/**
 * Default longest wait for the next piece of a request body (ms): MLflow's gunicorn ends a request that
 * takes longer than 120 s; kmlf bounds the silence between two pieces instead, so large uploads that
 * keep sending are never cut.
 */
export const DEFAULT_BODY_IDLE_TIMEOUT_MS = 120_000;

const idleTimeouts = new WeakMap<Request, number>();

/**
 * Sets how long {@link limitedChunks} waits for the next piece of `request`'s body before failing it
 * (HTTP 408, MLflow's error shape): a client that stops midway (crashed, or a slowloris) cannot hold a
 * request, an upload's partial file or a server's shutdown forever. Default {@link DEFAULT_BODY_IDLE_TIMEOUT_MS}.
 *
 * @example
 * ```ts
 * setBodyIdleTimeout(request, 60_000);
 * const bytes = await readBodyLimited(request, 1024);
 * ```
 */
export function setBodyIdleTimeout(request: Request, idleMs: number): void {
  idleTimeouts.set(request, idleMs);
}

/** The body's pieces, failing when none comes for `idleMs`; the body is cancelled then. */
async function* idleBoundedChunks(
  body: ReadableStream<Uint8Array>,
  idleMs: number,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    while (true) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(bodyStalled(idleMs)), idleMs);
      });
      // The timer is cleared before the piece is handed on: a slow consumer is not the client's silence.
      const next = await Promise.race([reader.read(), stalled]).finally(() => clearTimeout(timer));
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Stops reading a body left unread (stalled, oversized, refused): the client gets its answer now.
    reader.cancel().catch(() => {});
  }
}

/** The error for a body whose client went silent; the handler answers it with HTTP 408. */
function bodyStalled(idleMs: number) {
  const error = mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Request body incomplete: the client sent nothing for ${idleMs / 1000} s`,
    "send the whole body without long pauses; a stalled upload is discarded",
  );
  return Object.assign(error, { httpStatus: 408 });
}

/** Refuses a request whose `Content-Length` is over `maxBytes`, before anything is read or written. */
export function checkDeclaredSize(request: Request, maxBytes: number): void {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) throw bodyTooLarge(maxBytes);
}

/**
 * A request body's chunks, refusing (with {@link bodyTooLarge}) a declared or actual size over `maxBytes`
 * before the excess is read — the one size check for JSON bodies and streamed uploads. Consume the pieces
 * without an awaited op each where you can: a consumer slower than the client makes Deno 2.9's server
 * buffer the rest quadratically (bench/README.md, "Large uploads to kmlf server").
 *
 * @example
 * ```ts
 * for await (const chunk of limitedChunks(request, 1024)) file.writeSync(chunk);
 * ```
 */
export async function* limitedChunks(request: Request, maxBytes: number): AsyncGenerator<Uint8Array> {
  checkDeclaredSize(request, maxBytes);
  if (!request.body) return;
  let total = 0;
  for await (
    const chunk of idleBoundedChunks(request.body, idleTimeouts.get(request) ?? DEFAULT_BODY_IDLE_TIMEOUT_MS)
  ) {
    total += chunk.byteLength;
    if (total > maxBytes) throw bodyTooLarge(maxBytes);
    yield chunk;
  }
}

/**
 * Reads a request body into bytes, refusing more than `maxBytes` without buffering the excess.
 *
 * @example
 * ```ts
 * const bytes = await readBodyLimited(request, 1024);
 * ```
 */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<Uint8Array> {
  return concatBytes(await Array.fromAsync(limitedChunks(request, maxBytes)));
}

/** The error for an oversized body; the handler answers it with HTTP 413. */
function bodyTooLarge(maxBytes: number) {
  const error = mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Request body is larger than the server's limit of ${maxBytes} bytes`,
    "send smaller batches (≤ 1000 metrics per log-batch) or raise the server's limit",
  );
  return Object.assign(error, { httpStatus: 413 });
}

/**
 * The request's message: query fields for GET/DELETE without a body, the JSON body otherwise.
 *
 * @example
 * ```ts
 * const msg = await readRequestMessage(request, new URL(request.url));
 * ```
 */
export async function readRequestMessage(
  request: Request,
  url: URL,
  maxBytes = DEFAULT_MAX_JSON_BYTES,
): Promise<RequestMessage> {
  if (request.method === "GET" || request.method === "HEAD") return queryMessage(url.searchParams);
  const type = request.headers.get("content-type") ?? "";
  const notJson = (request.method === "POST" || request.method === "PUT") &&
    !/^application\/json\s*(;|$)/i.test(type);
  const badType = () =>
    mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid content type: '${type}'`,
      "send the request body as JSON with the header Content-Type: application/json",
    );
  // A form or text/plain POST is what a cross-site page can send unasked: refused even with no body.
  if (notJson && type !== "") {
    await request.body?.cancel();
    throw badType();
  }
  const bytes = await readBodyLimited(request, maxBytes);
  if (bytes.byteLength === 0) return request.method === "DELETE" ? queryMessage(url.searchParams) : {};
  if (notJson) throw badType();
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof parsed === "string") parsed = JSON.parse(parsed);
  } catch (error) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Request body is not valid JSON: ${(error as Error).message}`,
      'send a JSON object, e.g. {"run_id": "…"}',
    );
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw mlflowError("INVALID_PARAMETER_VALUE", "Request body must be a JSON object");
  }
  return parsed as RequestMessage;
}

function queryMessage(params: URLSearchParams): RequestMessage {
  const msg: RequestMessage = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    msg[key] = all.length === 1 ? all[0] : all;
  }
  return msg;
}

function missing(field: string) {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`,
  );
}

function invalid(field: string, value: unknown, expected: string) {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Invalid value ${JSON.stringify(value)} for parameter '${field}' supplied: expected ${expected}`,
  );
}

/**
 * A string field (numbers are accepted and stringified, as protobuf does for ids).
 *
 * @example
 * ```ts
 * const runId = str(msg, "run_id", { required: true, alias: "run_uuid" });
 * ```
 */
export function str(
  msg: RequestMessage,
  field: string,
  options: { required?: boolean; alias?: string } = {},
): string | undefined {
  let value = msg[field];
  if ((value === undefined || value === "") && options.alias) value = msg[options.alias];
  if (Array.isArray(value)) value = value.at(-1);
  if (value === undefined || value === null || (value === "" && options.required)) {
    if (options.required) throw missing(field);
    return undefined;
  }
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw invalid(field, value, "a string");
}

/** A required string field. */
export function requiredStr(msg: RequestMessage, field: string, alias?: string): string {
  return str(msg, field, { required: true, alias })!;
}

/**
 * A list of strings (a JSON array, or repeated query keys).
 *
 * @example
 * ```ts
 * strList({ run_ids: ["a", "b"] }, "run_ids"); // ["a", "b"]
 * ```
 */
export function strList(msg: RequestMessage, field: string): string[] {
  const value = msg[field];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v === "string") return v;
    if (typeof v === "number") return String(v);
    throw invalid(field, value, "a list of strings");
  });
}

/**
 * An int64 field (JSON number or numeric string).
 *
 * @example
 * ```ts
 * int(msg, "max_results"); // 1000 | undefined
 * ```
 */
export function int(
  msg: RequestMessage,
  field: string,
  options: { required?: boolean } = {},
): number | undefined {
  const raw = Array.isArray(msg[field]) ? (msg[field] as unknown[]).at(-1) : msg[field];
  if (raw === undefined || raw === null || raw === "") {
    if (options.required) throw missing(field);
    return undefined;
  }
  // Stricter than the lenient wire reader: protobuf refuses 1.5 or "12abc" for an int64.
  const value = typeof raw === "number"
    ? raw
    : typeof raw === "string" && /^-?\d+$/.test(raw.trim())
    ? Number(raw)
    : NaN;
  if (!Number.isInteger(value)) throw invalid(field, raw, "an integer");
  return value;
}

/**
 * A double field (`"NaN"`, `"Infinity"`, `"-Infinity"` accepted).
 *
 * @example
 * ```ts
 * double({ value: "NaN" }, "value"); // NaN
 * ```
 */
export function double(msg: RequestMessage, field: string): number {
  const raw = msg[field];
  if (raw === undefined || raw === null) throw missing(field);
  try {
    return doubleFromWire(raw);
  } catch {
    throw invalid(field, raw, "a number");
  }
}

/**
 * A list of JSON objects (e.g. `tags`, `metrics`).
 *
 * @example
 * ```ts
 * objects(msg, "tags"); // [{ key: "team", value: "ml" }]
 * ```
 */
export function objects(msg: RequestMessage, field: string): RequestMessage[] {
  const value = msg[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => v === null || typeof v !== "object" || Array.isArray(v))) {
    throw invalid(field, value, "a list of objects");
  }
  return value as RequestMessage[];
}
