/**
 * Cross-origin requests (CSRF), shared by the tracking server and `kmlf models serve`: a web page on another
 * site can make a visitor's browser send a "simple" POST (`text/plain` or form body, no preflight) to a
 * server on localhost or the intranet — the UI's artifact upload takes any body, so a page could write into
 * runs, and a scoring server's model would run on the page's data. As MLflow 3.5's security middleware, a
 * request that changes something (any method but GET, HEAD and OPTIONS) is refused when its `Origin` is
 * neither the server's own (the `Host` it was sent to) nor one the operator allowed
 * (`--cors-allowed-origins`, `MLFLOW_SERVER_CORS_ALLOWED_ORIGINS`; by default any localhost origin, as
 * MLflow). Requests without `Origin` (the MLflow Python client, curl) are not browsers' and pass. An
 * allowed foreign origin gets CORS headers and answered preflights, so its pages can call the API.
 *
 * @module
 */

/** The environment variable of the allowed origins, as MLflow 3.5 names it. */
export const CORS_ORIGINS_ENV = "MLFLOW_SERVER_CORS_ALLOWED_ORIGINS";

/** MLflow 3.5's default: pages served from this machine (a notebook, a local app). */
export const DEFAULT_CORS_ORIGINS: readonly string[] = [
  "http://localhost:*",
  "http://127.0.0.1:*",
  "http://[::1]:*",
];

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The origin patterns of a comma-separated setting (`--cors-allowed-origins`), or the default when unset.
 *
 * @example
 * ```ts
 * corsOriginsFrom("https://app.company.com, https://*.corp.example"); // two patterns
 * corsOriginsFrom(undefined); // DEFAULT_CORS_ORIGINS
 * ```
 */
export function corsOriginsFrom(setting: string | undefined): readonly string[] {
  if (setting === undefined || setting.trim() === "") return DEFAULT_CORS_ORIGINS;
  return setting.split(",").map((o) => o.trim().replace(/\/+$/, "").toLowerCase()).filter((o) => o !== "");
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === "https:" ? "443" : url.protocol === "http:" ? "80" : "");
}

// Whether `origin` is the origin the request was sent to: same host name and port as its Host header
// (the scheme is not compared: a TLS-terminating proxy forwards https pages over http).
function isOwnOrigin(origin: URL, host: string | null): boolean {
  if (!host) return false;
  let sent: URL;
  try {
    sent = new URL(`${origin.protocol}//${host.trim()}`);
  } catch {
    return false;
  }
  return sent.hostname === origin.hostname && effectivePort(sent) === effectivePort(origin);
}

// A trailing `:*` is a port, or none: MLflow's localhost patterns are `^http://localhost(:[0-9]+)?$`, and a
// page on the default port sends its Origin without one.
function matches(patterns: readonly string[], origin: string): boolean {
  return patterns.some((pattern) => {
    if (pattern === "*") return true;
    const anyPort = pattern.endsWith(":*");
    const source = (anyPort ? pattern.slice(0, -2) : pattern).split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
    return new RegExp(`^${source}${anyPort ? "(?::\\d+)?" : ""}$`).test(origin);
  });
}

/** What to do with a request's origin: answer it at once (`answer`), or serve it, with CORS headers for `allow`. */
interface OriginDecision {
  answer?: Response;
  allow?: string;
}

/**
 * Judges a request's `Origin` against `allowed` (patterns, `*` wildcards; `*` alone for any).
 *
 * @example
 * ```ts
 * const { answer, allow } = judgeOrigin(request, DEFAULT_CORS_ORIGINS);
 * if (answer) return answer; // a refused cross-site write (403) or a preflight (204)
 * ```
 */
function judgeOrigin(request: Request, allowed: readonly string[]): OriginDecision {
  const raw = request.headers.get("origin");
  if (raw === null) return {};
  let origin: URL | undefined;
  try {
    origin = raw === "null" ? undefined : new URL(raw);
  } catch {
    origin = undefined;
  }
  const own = origin !== undefined && isOwnOrigin(origin, request.headers.get("host"));
  const permitted = own || matches(allowed, origin ? origin.origin.toLowerCase() : raw.toLowerCase());
  const preflight = request.method === "OPTIONS" && request.headers.has("access-control-request-method");
  if (permitted && !own && preflight) {
    return {
      answer: new Response(null, {
        status: 204,
        headers: {
          ...corsHeaders(raw),
          "access-control-allow-methods": "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
          "access-control-allow-headers": request.headers.get("access-control-request-headers") ?? "",
          "access-control-max-age": "600",
        },
      }),
    };
  }
  if (permitted) return own ? {} : { allow: raw };
  if (SAFE_METHODS.has(request.method)) return {};
  const path = new URL(request.url).pathname;
  return {
    answer: new Response(
      JSON.stringify({
        error_code: "PERMISSION_DENIED",
        message:
          `Cross-origin request refused: ${request.method} ${path} came from a page of origin '${raw}', ` +
          `which is neither this server's own (${request.headers.get("host") ?? "no Host header"}) nor an ` +
          `allowed one (${allowed.join(", ") || "none"}). To let pages of that origin call this server, ` +
          `start it with --cors-allowed-origins ${origin?.origin ?? raw} (or set ${CORS_ORIGINS_ENV}).`,
      }),
      { status: 403, headers: { "content-type": "application/json", vary: "Origin" } },
    ),
  };
}

function corsHeaders(origin: string): Record<string, string> {
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-credentials": "true",
    vary: "Origin",
  };
}

/**
 * `response` with the CORS headers that let a page of `origin` read it.
 *
 * @example
 * ```ts
 * return allow ? withCorsHeaders(await serve(request), allow) : await serve(request);
 * ```
 */
function withCorsHeaders(response: Response, origin: string): Response {
  const copy = new Response(response.body, response);
  for (const [name, value] of Object.entries(corsHeaders(origin))) copy.headers.set(name, value);
  return copy;
}

/**
 * `serve` behind the origin policy: a refused cross-origin write or an allowed origin's preflight is
 * answered here, an allowed foreign origin's request is served with CORS headers, any other request as is.
 * Both kmlf servers wrap their handler with it.
 *
 * @example
 * ```ts
 * Deno.serve(withOriginPolicy(handler, corsOriginsFrom(Deno.env.get(CORS_ORIGINS_ENV))));
 * ```
 */
export function withOriginPolicy(
  serve: (request: Request) => Promise<Response>,
  allowed: readonly string[] = DEFAULT_CORS_ORIGINS,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const { answer, allow } = judgeOrigin(request, allowed);
    if (answer) return answer;
    return allow ? withCorsHeaders(await serve(request), allow) : await serve(request);
  };
}
