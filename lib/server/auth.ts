/**
 * Optional authentication for exposed servers: a bearer token or a basic-auth user/password,
 * configured from the environment (`KMLF_SERVER_TOKEN`, `KMLF_SERVER_USERNAME` + `KMLF_SERVER_PASSWORD`)
 * — the same headers MLflow clients send from `MLFLOW_TRACKING_TOKEN` / `MLFLOW_TRACKING_USERNAME`.
 *
 * @module
 */

/** Credentials a client must present; empty = no authentication. */
export interface ServerAuth {
  token?: string;
  username?: string;
  password?: string;
}

/**
 * The server credentials from environment variables.
 *
 * @example
 * ```ts
 * const auth = serverAuthFromEnv(Deno.env.toObject());
 * ```
 */
export function serverAuthFromEnv(env: Record<string, string | undefined>): ServerAuth {
  const auth: ServerAuth = {};
  if (env.KMLF_SERVER_TOKEN) auth.token = env.KMLF_SERVER_TOKEN;
  if (env.KMLF_SERVER_USERNAME) {
    auth.username = env.KMLF_SERVER_USERNAME;
    auth.password = env.KMLF_SERVER_PASSWORD ?? "";
  }
  return auth;
}

/** Whether any credential is configured. */
export function authEnabled(auth: ServerAuth | undefined): boolean {
  return Boolean(auth?.token || auth?.username);
}

function sameString(a: string, b: string): boolean {
  // Length-independent comparison time, so a token cannot be guessed byte by byte.
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  }
  return diff === 0;
}

/**
 * Whether a request's `Authorization` header satisfies `auth` (always true without credentials).
 *
 * @example
 * ```ts
 * isAuthorized(request.headers.get("authorization"), { token: "s3cret" });
 * ```
 */
export function isAuthorized(header: string | null, auth: ServerAuth | undefined): boolean {
  if (!authEnabled(auth)) return true;
  if (!header) return false;
  const [scheme, value = ""] = header.split(/\s+/, 2);
  if (auth!.token && scheme.toLowerCase() === "bearer") return sameString(value, auth!.token);
  if (auth!.username && scheme.toLowerCase() === "basic") {
    let decoded = "";
    try {
      decoded = new TextDecoder().decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
    } catch {
      return false;
    }
    return sameString(decoded, `${auth!.username}:${auth!.password ?? ""}`);
  }
  return false;
}
