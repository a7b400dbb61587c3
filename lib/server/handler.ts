/**
 * `createRequestHandler`: kmlf's MLflow-compatible tracking server as one `(Request) => Response`
 * function over a `TrackingStore` — REST API under `/api/2.0/mlflow/` and `/ajax-api/2.0/mlflow/`,
 * the `mlflow-artifacts` proxy, `/get-artifact`, `/health`, `/version`, and the web UI. It never
 * touches sockets, so tests call it directly.
 *
 * @module
 */
import { dirname, isAbsolute, join, resolve } from "../path.ts";
import { hostRefusal } from "../allowed_hosts.ts";
import { withOriginPolicy } from "../cross_origin.ts";
import { type ArtifactRepositoryOptions, mlflowError, type TrackingStore } from "../tracking/mod.ts";
import { remoteProxyDestination } from "./artifact_proxy_remote.ts";
import { artifactRepositoryResolver, refusingProxiedRoots, unquote } from "./artifact_paths.ts";
import {
  DEFAULT_MAX_ARTIFACT_BYTES,
  handleArtifactProxy,
  handleGetArtifact,
  localProxyDestination,
} from "./artifact_routes.ts";
import { artifactRootsOf, refusingUnreadableRoots, storeRunFolders } from "./artifact_location_rule.ts";
import { isAuthorized, type ServerAuth } from "./auth.ts";
import { handleLoggedModels } from "./logged_models.ts";
import { handleModelVersionArtifact } from "./model_version_artifact.ts";
import { registryRoute } from "./registry_routes.ts";
import {
  DEFAULT_BODY_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_JSON_BYTES,
  readRequestMessage,
  type RequestMessage,
  setBodyIdleTimeout,
} from "./request_message.ts";
import {
  checkMethod,
  errorResponse,
  jsonResponse,
  methodNotAllowed,
  notFound,
  serverPathRedactor,
  textResponse,
} from "./responses.ts";
import type { ServerContext } from "./server_context.ts";
import { AJAX_ONLY, AJAX_ROUTES } from "./ajax_routes.ts";
import { decodeRequest, readJsonBody } from "./request/decode.ts";
import { fromPy } from "./request/py_values.ts";
import { TRACKING_RPCS } from "./tracking_routes.ts";
import { serveUi } from "./ui/ui_routes.ts";
import { healthResponse, rawPath } from "./serve.ts";
import { isRemoteDestination } from "./server_options.ts";
import {
  backendLocationRedactor,
  clientFacingError,
  newErrorRef,
  serverErrorLine,
  type ServerErrorLog,
} from "./server_errors.ts";
import { artifactsRule, disabledEndpoint, type ServeMode } from "./server_modes.ts";

/** The MLflow release whose REST API the server speaks; `/version` answers it (clients gate features on it). */
export const MLFLOW_API_VERSION = "2.17.2";

/** Options of {@link createRequestHandler}. */
export interface RequestHandlerOptions {
  /** Directory (or remote store, `s3://bucket/prefix`) behind the `mlflow-artifacts` proxy (default `./mlartifacts`). */
  artifactsDestination?: string;
  /** Settings of a remote destination (default: S3 settings from the process environment). */
  artifactOptions?: ArtifactRepositoryOptions;
  /**
   * Where the server keeps its own records (MLflow 3 logged models); default: `.kmlf/server` beside the
   * artifacts destination. Never inside it, so the artifact proxy cannot reach the records.
   */
  stateDir?: string;
  /** Require these credentials on every request but `/health`. */
  auth?: ServerAuth;
  /**
   * Host names or `*` patterns (port ignored) the `Host` header may carry; undefined = any. A server on
   * loopback sets its loopback names so a web page cannot reach it through DNS rebinding
   * (`allowedHostsFor` in lib/allowed_hosts.ts).
   */
  allowedHosts?: readonly string[];
  /**
   * Origins (`*` patterns; `*` alone for any) whose pages may change runs here besides the server's own —
   * other cross-origin writes are refused (lib/cross_origin.ts). Default: localhost origins, as MLflow 3.5.
   */
  corsAllowedOrigins?: readonly string[];
  /** Largest JSON body accepted (bytes; default 16 MiB). */
  maxJsonBytes?: number;
  /** Largest artifact upload accepted (bytes; default 2 GiB), streamed to disk. */
  maxUploadBytes?: number;
  /** Longest silence between two pieces of a request body before the request fails with 408 (ms; default 120 s). */
  bodyIdleTimeoutMs?: number;
  /**
   * Folders (paths, `file://` URIs) or remote prefixes (`s3://bucket/prefix`), besides the artifacts
   * destination and the store's default artifact root, where a client may put a new experiment's local
   * artifact location and the server writes and reads a run's artifacts (`--allowed-artifact-roots`).
   */
  allowedArtifactRoots?: readonly string[];
  /** Relative artifact locations of new experiments resolve against this (default: the process's cwd). */
  cwd?: string;
  /** Serves the web UI's pages and assets (default: kmlf's embedded UI); undefined = not a UI path. */
  ui?: (url: URL) => Response | undefined;
  /** Which parts of the API answer (default: all, the proxy included), as `mlflow server`'s switches. */
  mode?: Partial<ServeMode>;
  /**
   * Where a request the server failed (a 5xx) is reported in full, with the reference its answer gives
   * (default: stderr). Passwords are masked; the answer itself never names the database's location.
   */
  logError?: ServerErrorLog;
}

const API_PATH = /^\/(api|ajax-api)\/2\.0\/(mlflow|mlflow-artifacts)\/(.*)$/s;
const ARTIFACTS_PREFIX = /^\/+(api|ajax-api)\/+2\.0\/+mlflow-artifacts\/+artifacts\/+/;

/**
 * The local directory of a store (a SQLite file's folder, an mlruns folder), if it has one: from its
 * absolute paths, since its URI keeps a relative path (`sqlite:///mlflow.db`) as given.
 */
function storeDirectory(store: { kind: string; path?: unknown; root?: unknown }): string | undefined {
  if (store.kind === "sqlite" && typeof store.path === "string" && isAbsolute(store.path)) {
    return dirname(store.path);
  }
  return store.kind === "file" && typeof store.root === "string" ? resolve(store.root) : undefined;
}

/** Whether `%XX` escapes in a path are not valid UTF-8 (werkzeug would substitute U+FFFD). */
function malformedEscapes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/**
 * werkzeug's `merge_slashes`: a path with doubled slashes outside an artifact path is redirected
 * (308) to the merged one; inside `mlflow-artifacts/artifacts/<path>` they stay the path's own.
 */
function mergedSlashes(path: string): string | undefined {
  const artifacts = path.match(ARTIFACTS_PREFIX);
  if (artifacts) {
    const canonical = `/${artifacts[1]}/2.0/mlflow-artifacts/artifacts/`;
    return artifacts[0] === canonical ? undefined : canonical + path.slice(artifacts[0].length);
  }
  return path.includes("//") ? path.replace(/\/{2,}/g, "/") : undefined;
}
const REGISTRY_PATH = /^(registered-models|model-versions)\//;

/**
 * A request handler serving MLflow's tracking REST API and kmlf's UI over `store`.
 *
 * @example
 * ```ts
 * const handler = createRequestHandler(store, { artifactsDestination: "/srv/mlartifacts" });
 * const response = await handler(new Request("http://localhost/api/2.0/mlflow/experiments/get?experiment_id=0"));
 * ```
 */
export function createRequestHandler(
  store: TrackingStore,
  options: RequestHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const artifactsDestination = options.artifactsDestination ?? join(Deno.cwd(), "mlartifacts");
  const remote = isRemoteDestination(artifactsDestination);
  const proxied = artifactRepositoryResolver(store, artifactsDestination, options.artifactOptions);
  // Without the proxy, runs whose root is proxied are not read from its destination (as MLflow).
  const served = options.mode?.serveArtifacts === false ? refusingProxiedRoots(proxied) : proxied;
  const artifactRoots = artifactRootsOf([
    artifactsDestination,
    store.artifactRoot,
    ...(options.allowedArtifactRoots ?? []),
  ]);
  // The server reads and writes where clients may put locations, and where its store keeps its own runs.
  const servedRoots = {
    ...artifactRoots,
    local: [...new Set([...artifactRoots.local, ...storeRunFolders(store)])],
  };
  const cwd = options.cwd ?? Deno.cwd();
  const ctx: ServerContext = {
    store,
    artifactsDestination,
    proxyDestination: remote
      ? remoteProxyDestination(() => proxied("mlflow-artifacts:/"))
      : localProxyDestination(artifactsDestination),
    stateDir: options.stateDir ??
      (remote
        ? join(Deno.cwd(), ".kmlf", "server")
        : join(dirname(resolve(artifactsDestination)), ".kmlf", "server")),
    artifactRepository: refusingUnreadableRoots(served, servedRoots, cwd),
    artifactRoots,
    servedRoots,
    cwd,
  };
  const redact = serverPathRedactor({
    "<artifacts destination>": resolve(artifactsDestination),
    "<server state>": ctx.stateDir,
    "<backend store>": storeDirectory(store),
    "<server directory>": ctx.cwd,
  });
  const hideBackend = backendLocationRedactor(store.uri);
  const logError = options.logError ?? ((line: string) => console.error(line));
  const maxJson = options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES;
  const maxUpload = options.maxUploadBytes ?? DEFAULT_MAX_ARTIFACT_BYTES;
  const bodyIdleMs = options.bodyIdleTimeoutMs ?? DEFAULT_BODY_IDLE_TIMEOUT_MS;
  const serveArtifacts = options.mode?.serveArtifacts ?? true;
  const artifactsOnly = options.mode?.artifactsOnly ?? false;

  const serve = async (request: Request): Promise<Response> => {
    setBodyIdleTimeout(request, bodyIdleMs);
    const url = new URL(request.url);
    // Routes match the path as sent, percent-decoded and not dot-normalised (as werkzeug routes):
    // `artifacts/../x` must reach the artifact checks, not resolve to another route.
    const path = unquote(rawPath(request.url));
    try {
      if (path === "/health") return healthResponse();
      const foreignHost = hostRefusal(request, options.allowedHosts);
      if (foreignHost) return jsonResponse(foreignHost, 403);
      if (!isAuthorized(request.headers.get("authorization"), options.auth)) {
        return new Response(
          JSON.stringify({ error_code: "UNAUTHENTICATED", message: "Authentication required" }),
          {
            status: 401,
            headers: {
              "content-type": "application/json",
              // Browsers prompt only for Basic; a token-only server asks clients for a bearer token.
              "www-authenticate": options.auth?.username ? 'Basic realm="kmlf"' : 'Bearer realm="kmlf"',
            },
          },
        );
      }
      if (path === "/version") return textResponse(MLFLOW_API_VERSION, "text/html; charset=utf-8");
      const merged = mergedSlashes(path);
      if (merged !== undefined) {
        return new Response(null, {
          status: 308,
          headers: { location: `${url.origin}${encodeURI(merged)}${url.search}` },
        });
      }
      const api = path.match(API_PATH);
      if (api) {
        const [, prefix, service, rest] = api;
        if (service === "mlflow-artifacts") {
          if (malformedEscapes(rawPath(request.url))) {
            throw mlflowError("INVALID_PARAMETER_VALUE", "Malformed percent-encoding in the artifact path");
          }
          const gate = serveArtifacts
            ? undefined
            : () => disabledEndpoint(artifactsRule(prefix, rest), "no-serve-artifacts");
          return await handleArtifactProxy(ctx, request, url, rest, maxUpload, maxJson, gate);
        }
        // A tracking or registry call of an artifacts-only server: MLflow's 503 once routed and the method checked.
        const trackingOff = () =>
          artifactsOnly ? disabledEndpoint(`/${prefix}/2.0/${service}/${rest}`, "artifacts-only") : undefined;
        if (rest === "logged-models" || rest.startsWith("logged-models/")) {
          const off = trackingOff();
          if (off) return off;
          const msg = await readRequestMessage(request, url, maxJson);
          return jsonResponse(
            await handleLoggedModels(ctx, request.method, rest.slice("logged-models".length), msg),
          );
        }
        if (REGISTRY_PATH.test(rest)) {
          const route = registryRoute(rest, request.method === "HEAD" ? "GET" : request.method);
          if (!route) return notFound(path);
          const refused = checkMethod(request, path, route.allowed);
          if (refused) return refused;
          if (!route.handler) return methodNotAllowed(path, route.allowed);
          const off = trackingOff();
          if (off) return off;
          const fromQuery = request.method === "GET" || request.method === "HEAD";
          // As in MLflow, a registry call other than GET takes its fields from the body only, read as
          // the tracking calls read theirs.
          const msg = fromQuery
            ? await readRequestMessage(request, url, maxJson)
            : fromPy(await readJsonBody(request, maxJson)) as RequestMessage;
          return jsonResponse(await route.handler(ctx, msg, fromQuery));
        }
        const ajax = prefix === "ajax-api" ? AJAX_ROUTES[rest] : undefined;
        if (ajax) {
          const refused = checkMethod(request, path, ajax.methods);
          if (refused) return refused;
          const off = trackingOff();
          if (off) return off;
          return await ajax.handle(ctx, request, url, maxUpload);
        }
        const rpc = TRACKING_RPCS[rest];
        if (!rpc || (AJAX_ONLY.has(rest) && prefix !== "ajax-api")) return notFound(path);
        const refused = checkMethod(request, path, rpc.methods);
        if (refused) return refused;
        const off = trackingOff();
        if (off) return off;
        const { message } = await decodeRequest(request, url, rpc.desc, rpc.schema, maxJson, rpc.lenient);
        return jsonResponse(await rpc.handle(ctx, message, url.searchParams));
      }
      if (/^\/(?:api|ajax-api)\/3\.0\/mlflow\/server-info$/.test(path)) {
        return jsonResponse({
          store_type: store.kind === "file" ? "FileStore" : "SqlStore",
          workspaces_enabled: false,
        });
      }
      if (path === "/get-artifact" || path === "/model-versions/get-artifact") {
        const refused = checkMethod(request, path, ["GET"]);
        if (refused) return refused;
        return path === "/get-artifact"
          ? await handleGetArtifact(ctx, url, request)
          : await handleModelVersionArtifact(ctx, url, request);
      }
      if (request.method === "GET" || request.method === "HEAD") {
        const page = (options.ui ?? serveUi)(url);
        if (page) return page;
      }
      return notFound(path);
    } catch (error) {
      const ref = newErrorRef();
      const answer = errorResponse(clientFacingError(error, ref), (m) => hideBackend(redact(m)));
      if (answer.status >= 500) logError(serverErrorLine(request, answer.status, ref, error));
      return answer;
    }
  };
  // Before anything reads the body: a cross-site page's write is refused unread.
  return withOriginPolicy(serve, options.corsAllowedOrigins);
}
