/**
 * Binding the request handler to a socket: `startServer` listens, reports the URL, turns a busy
 * port into a clear error, and shuts down cleanly; `healthFirst` answers `/health` while the API loads.
 *
 * @module
 */
import { KmlfError } from "../errors.ts";
import { maskUriCredentials } from "../uri_credentials.ts";

/** A request handler. */
export type Handler = (request: Request) => Promise<Response>;

/** The path of a request URL as sent: no origin, query or fragment, nothing decoded or resolved. */
export function rawPath(requestUrl: string): string {
  return requestUrl.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/, "").split(/[?#]/)[0] || "/";
}

/** MLflow's answer to `GET /health` (no credentials needed, whatever the Host). */
export function healthResponse(): Response {
  return new Response("OK", { headers: { "content-type": "text/html; charset=utf-8" } });
}

/** Options of {@link healthFirst}. */
export interface HealthFirstOptions {
  /** Receives the log line of a request the API could not be loaded for (default: `console.error`). */
  logError?: (line: string) => void;
}

/**
 * A handler that answers `/health` at once and every other request with the handler `load` resolves
 * to; `load` runs once (again only if it failed), for the first such request, which waits for it. `kmlf
 * server` listens with it so that `/health` does not wait for the API's code (~150 modules) or its store's,
 * which load only when a request needs them. A request the API cannot be loaded for (a bundle file removed
 * by an upgrade, a store that cannot be built) is answered MLflow's 500 `INTERNAL_ERROR` saying so, with a
 * reference to the full error in the server's log, never Deno's bare "Internal Server Error".
 *
 * @example
 * ```ts
 * const server = startServer(healthFirst(async () => createRequestHandler(store)), { port: 5000 });
 * ```
 */
export function healthFirst(load: () => Promise<Handler>, options: HealthFirstOptions = {}): Handler {
  let api: Promise<Handler> | undefined;
  const loaded = () => {
    // A load that failed is tried again by the next request (this one is told it failed).
    api ??= load().catch((error) => {
      api = undefined;
      throw error;
    });
    return api;
  };
  const logError = options.logError ?? ((line: string) => console.error(line));
  return async (request) => {
    if (rawPath(request.url) === "/health") return healthResponse();
    let handle: Handler;
    try {
      handle = await loaded();
    } catch (error) {
      return apiLoadFailure(request, error, logError);
    }
    return handle(request);
  };
}

// The answer to a request the API could not be loaded for. Its message names no path (the API's
// redaction of server paths is not loaded); the log line has the error, its hint and its cause.
function apiLoadFailure(request: Request, error: unknown, logError: (line: string) => void): Response {
  const ref = crypto.randomUUID().slice(0, 8);
  const code = error instanceof KmlfError ? error.code : (error as Error)?.name ?? "Error";
  const parts = [
    `kmlf server: ${request.method} ${
      rawPath(request.url)
    } answered 500 (ref ${ref}): the tracking API could ` +
    "not be loaded:",
  ];
  if (error instanceof KmlfError) {
    parts.push(`[${error.code}] ${error.message}`);
    const cause = error.cause as Error | undefined;
    if (cause?.message && !error.message.includes(cause.message)) parts.push(`cause: ${cause.message}`);
    parts.push(`hint: ${error.hint ?? "restart the server"}`);
  } else {
    parts.push((error as Error)?.stack ?? String(error));
    parts.push("hint: restart the server; if this persists, reinstall kmlf (a file of it may be missing)");
  }
  // Any URI in the line with its password masked (a PostgreSQL store's, in a connection error).
  logError(parts.join(" ").replace(/[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, (uri) => maskUriCredentials(uri)));
  const message =
    `The tracking server could not load its API (${code}); its log has the details under ref ${ref}`;
  return new Response(JSON.stringify({ error_code: "INTERNAL_ERROR", message }), {
    status: 500,
    headers: { "content-type": "application/json" },
  });
}

/**
 * `mlflow server --static-prefix`: every route (UI, API, `/health`) is served under `prefix` (e.g.
 * `/mlflow` behind a reverse proxy), the prefix taken off before `handler` routes; the bare prefix
 * redirects to `prefix/` (the UI's addresses are relative to it) and any other path is a 404, as in
 * MLflow. `prefix` is already checked (`checkStaticPrefix`).
 *
 * @example
 * ```ts
 * const server = startServer(withStaticPrefix("/mlflow", handler), { port: 5000 });
 * ```
 */
export function withStaticPrefix(prefix: string, handler: Handler): Handler {
  return (request) => {
    const path = rawPath(request.url);
    const url = new URL(request.url);
    if (path === prefix) {
      return Promise.resolve(
        new Response(null, { status: 308, headers: { location: `${prefix}/${url.search}` } }),
      );
    }
    if (!path.startsWith(`${prefix}/`)) {
      return Promise.resolve(
        new Response(`Not found: ${path} (this server answers under ${prefix}/, its --static-prefix)`, {
          status: 404,
          headers: { "content-type": "text/plain; charset=utf-8" },
        }),
      );
    }
    const origin = request.url.match(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/)?.[0] ?? "";
    const rest = request.url.slice(origin.length + prefix.length);
    return handler(new Request(origin + rest, request));
  };
}

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Default 127.0.0.1. */
  hostname?: string;
  /** 0 = any free port. */
  port: number;
  /** The flag that sets the port, named in the port-in-use error (default `--port`). */
  portFlag?: string;
}

/** A listening server. */
export interface RunningServer {
  /** `http://host:port` (IPv6 hosts bracketed). */
  url: string;
  port: number;
  /** Stops accepting connections and waits for open requests to finish. */
  shutdown(): Promise<void>;
  /** Resolves when the server has stopped. */
  finished: Promise<void>;
}

/**
 * Serves `handler` on `hostname:port`.
 *
 * @example
 * ```ts
 * const server = startServer(createRequestHandler(store), { port: 5000 });
 * console.log(server.url);
 * await server.shutdown();
 * ```
 */
export function startServer(
  handler: Handler,
  options: StartServerOptions,
): RunningServer {
  const hostname = options.hostname ?? "127.0.0.1";
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({ hostname, port: options.port, onListen: () => {} }, handler);
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new KmlfError(
        "server/port-in-use",
        `Cannot start the server: port ${options.port} on ${hostname} is already in use`,
        {
          hint: `stop the other process or choose another port with ${options.portFlag ?? "--port"}, e.g. ${
            options.portFlag ?? "--port"
          } ${options.port + 1}`,
          cause: error,
        },
      );
    }
    if (error instanceof Deno.errors.AddrNotAvailable || error instanceof Deno.errors.PermissionDenied) {
      throw new KmlfError(
        "server/cannot-bind",
        `Cannot start the server on ${hostname}:${options.port}`,
        {
          hint: "use --host 127.0.0.1 (this machine only) or an address of this machine, and a port ≥ 1024",
          cause: error,
        },
      );
    }
    // Deno refuses a malformed or unresolvable host name with a TypeError or a lookup error: the flag's fault.
    if (
      error instanceof TypeError || error instanceof Deno.errors.NotFound ||
      /host|lookup/i.test(String(error))
    ) {
      throw new KmlfError(
        "server/bad-host",
        `Cannot start the server: --host ${JSON.stringify(hostname)} is not an address of this machine`,
        {
          hint:
            "use --host 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or an IP or name of this machine",
          cause: error,
        },
      );
    }
    throw error;
  }
  const port = server.addr.port;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    url: `http://${host}:${port}`,
    port,
    shutdown: () => server.shutdown(),
    finished: server.finished,
  };
}
