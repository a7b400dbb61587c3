/**
 * HTTP responses in MLflow's shapes: JSON bodies, `{error_code, message}` errors with MLflow's status
 * codes (a user error is never a 5xx, or MLflow clients retry for minutes), plain text.
 *
 * @module
 */
import { pathToFileUri, pathToFileURL } from "../path.ts";
import { TrackingError } from "../errors.ts";
import { ioProblem } from "../io_errors.ts";
import { errorToWire, mlflowError } from "../tracking/mod.ts";

const JSON_HEADERS = { "content-type": "application/json" };

/**
 * A JSON response (200 unless told otherwise).
 *
 * @example
 * ```ts
 * jsonResponse({ experiment_id: "1" });
 * ```
 */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });
}

/**
 * A plain-text response.
 *
 * @example
 * ```ts
 * textResponse("OK");
 * ```
 */
export function textResponse(body: string, contentType = "text/plain; charset=utf-8"): Response {
  return new Response(body, { headers: { "content-type": contentType } });
}

/**
 * Any thrown value as MLflow's error JSON. TrackingErrors keep their code and status (an
 * `httpStatus` property overrides it, e.g. 413); anything else is an INTERNAL_ERROR 500.
 *
 * @example
 * ```ts
 * errorResponse(mlflowError("RESOURCE_DOES_NOT_EXIST", "Run with id=x not found")); // 404
 * ```
 */
export function errorResponse(error: unknown, redact: (message: string) => string = (m) => m): Response {
  const tracking = error instanceof TrackingError ? error : clientFileNameError(error) ??
    mlflowError("INTERNAL_ERROR", `Internal server error: ${(error as Error)?.message ?? String(error)}`);
  const { status, body } = errorToWire(tracking);
  const override = (error as { httpStatus?: number }).httpStatus;
  return jsonResponse(
    { ...body, message: redact(body.message) },
    typeof override === "number" ? override : status,
  );
}

/**
 * A name the client sent that the file system cannot hold (an artifact path, a file-store key or model
 * name over 255 bytes): the client's mistake, a 400 naming no server path — not a 500 that MLflow
 * clients would retry for minutes.
 */
function clientFileNameError(error: unknown): TrackingError | undefined {
  if (ioProblem(error, "")?.code !== "name-too-long") return undefined;
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    "A name in the request is too long to be stored as a file: each file or folder name holds at most " +
      "255 bytes of UTF-8",
    "use shorter names (non-ASCII letters take 2-4 bytes each)",
  );
}

/**
 * A function that replaces the server's own directories in a message by a label, so no answer
 * tells a client where the server keeps its files (`/srv/mlruns/1/…` → `<backend store>/1/…`).
 *
 * @example
 * ```ts
 * const redact = serverPathRedactor({ "<artifacts destination>": "/srv/mlartifacts" });
 * redact("No artifact under file:///srv/mlartifacts/1"); // "No artifact under <artifacts destination>/1"
 * ```
 */
export function serverPathRedactor(roots: Record<string, string | undefined>): (message: string) => string {
  const pairs: [string, string][] = [];
  for (const [label, root] of Object.entries(roots)) {
    if (!root || root === "/") continue;
    const path = root.replace(/\/+$/, "");
    pairs.push([pathToFileUri(path), label], [pathToFileURL(path).href, label], [`file://${path}`, label], [
      path,
      label,
    ]);
  }
  pairs.sort((a, b) => b[0].length - a[0].length);
  return (message) => {
    for (const [from, to] of pairs) message = message.replaceAll(from, to);
    return message;
  };
}

/**
 * The answer for a path no route serves.
 *
 * @example
 * ```ts
 * notFound("/api/2.0/mlflow/nope");
 * ```
 */
export function notFound(path: string): Response {
  return jsonResponse({ error_code: "ENDPOINT_NOT_FOUND", message: `No endpoint at ${path}` }, 404);
}

/** The `Allow` header Flask sends for a route: its methods, HEAD with GET, and OPTIONS, sorted. */
function allowHeader(allowed: readonly string[]): string {
  const methods = new Set([...allowed, "OPTIONS"]);
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods].sort().join(", ");
}

/** The answer for a known path called with the wrong HTTP method. */
export function methodNotAllowed(path: string, allowed: readonly string[]): Response {
  return new Response(
    JSON.stringify({
      error_code: "BAD_REQUEST",
      message: `Method not allowed for ${path}; use ${allowed.join(" or ")}`,
    }),
    { status: 405, headers: { ...JSON_HEADERS, allow: allowHeader(allowed) } },
  );
}

/**
 * Flask's method handling for a route: OPTIONS answers 200 with `Allow`, HEAD counts as GET, any
 * other method outside `allowed` is a 405. Undefined when the request may go on.
 *
 * @example
 * ```ts
 * const refused = checkMethod(request, url.pathname, ["POST"]);
 * if (refused) return refused;
 * ```
 */
export function checkMethod(
  request: Request,
  path: string,
  allowed: readonly string[],
): Response | undefined {
  if (request.method === "OPTIONS") {
    return new Response(null, {
      headers: { allow: allowHeader(allowed), "content-type": "text/html; charset=utf-8" },
    });
  }
  const method = request.method === "HEAD" ? "GET" : request.method;
  return allowed.includes(method) ? undefined : methodNotAllowed(path, allowed);
}

/**
 * A page of results as MLflow answers it: the list under `listKey` and `next_page_token`, each omitted
 * when empty.
 *
 * @example
 * ```ts
 * pageBody("runs", [], undefined); // {}
 * ```
 */
export function pageBody(listKey: string, items: unknown[], nextPageToken?: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (items.length) body[listKey] = items;
  if (nextPageToken) body.next_page_token = nextPageToken;
  return body;
}
