/**
 * Which `Host` headers a kmlf server answers (DNS-rebinding protection), shared by the tracking server and
 * `kmlf models serve`. Bound to loopback it answers the loopback names only, so a web page whose name
 * rebinds to 127.0.0.1 cannot read or change runs; `MLFLOW_SERVER_ALLOWED_HOSTS` (MLflow 3.5's setting:
 * comma-separated names or `*` patterns such as `*.company.com` or `192.168.*`, `*` alone for any) adds the
 * names a reverse proxy forwards — or, on an exposed address, restricts the server to them.
 *
 * @module
 */

/** The environment variable naming extra allowed hosts, as MLflow 3.5+ calls it. */
export const ALLOWED_HOSTS_ENV = "MLFLOW_SERVER_ALLOWED_HOSTS";

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

// A Host header or a pattern without its port and IPv6 brackets, lower-cased.
function bareHost(value: string): string {
  const host = value.trim().toLowerCase();
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]") < 0 ? undefined : host.indexOf("]"));
  // A bare IPv6 address (`::1`) has several colons and no port.
  return host.split(":").length > 2 ? host : host.replace(/:\d*$/, "");
}

/**
 * The host patterns a server bound to `bindHost` answers, or undefined for any: the loopback names on a
 * loopback address, plus the entries of `setting` (`MLFLOW_SERVER_ALLOWED_HOSTS`); `*` among them lifts
 * the check. Without a setting, an exposed address answers any name (as MLflow 2.17 does).
 *
 * @example
 * ```ts
 * allowedHostsFor("127.0.0.1"); // ["localhost", "127.0.0.1", "::1"]
 * allowedHostsFor("127.0.0.1", "mlflow.internal:5000"); // [..., "mlflow.internal"]
 * allowedHostsFor("0.0.0.0"); // undefined
 * allowedHostsFor("127.0.0.1", "*"); // undefined
 * ```
 */
export function allowedHostsFor(bindHost: string, setting?: string): string[] | undefined {
  const extra = (setting ?? "").split(",").map(bareHost).filter((h) => h !== "");
  if (extra.includes("*")) return undefined;
  const bind = bareHost(bindHost);
  if (!isLoopback(bind) && extra.length === 0) return undefined;
  return [...new Set([...LOOPBACK_NAMES, ...(isLoopback(bind) ? [bind] : []), ...extra])];
}

/**
 * Whether the `Host` header `header` matches one of `allowed` (exact names, or `*` patterns matching any
 * run of characters); the port is ignored.
 *
 * @example
 * ```ts
 * hostAllowed(["localhost", "*.company.com"], "mlflow.company.com:5000"); // true
 * hostAllowed(["localhost"], "evil.example"); // false
 * ```
 */
export function hostAllowed(allowed: readonly string[], header: string | null): boolean {
  const host = bareHost(header ?? "");
  return allowed.some((pattern) => {
    const bare = bareHost(pattern);
    if (!bare.includes("*")) return bare === host;
    const source = bare.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
    return new RegExp(`^${source}$`).test(host);
  });
}

/** A refused `Host`: MLflow's error body, answered with status 403. */
export interface HostRefusal {
  error_code: "PERMISSION_DENIED";
  message: string;
}

/**
 * The refusal of a request whose `Host` is not among `allowed` (undefined: any host passes), in the words
 * both kmlf servers answer with. A request without a `Host` header (built in-process, an HTTP/1.0 client;
 * browsers always send one) is judged by its URL's host.
 *
 * @example
 * ```ts
 * const refused = hostRefusal(request, allowedHostsFor("127.0.0.1"));
 * if (refused) return Response.json(refused, { status: 403 });
 * ```
 */
export function hostRefusal(
  request: Request,
  allowed: readonly string[] | undefined,
): HostRefusal | undefined {
  const host = request.headers.get("host") ?? new URL(request.url).host;
  if (!allowed || hostAllowed(allowed, host)) return undefined;
  return {
    error_code: "PERMISSION_DENIED",
    message: `Invalid Host header '${host}': this server answers only ${allowed.join(", ")} (a reverse ` +
      `proxy forwarding another name: set ${ALLOWED_HOSTS_ENV} to it, or to * for any)`,
  };
}
