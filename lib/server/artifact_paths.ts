/**
 * Where artifacts live on disk for the server, and the checks that keep every request inside its
 * artifact root: MLflow's `validate_path_is_safe` rules (no `..`, absolute paths, backslashes, `#`)
 * plus a symlink check on the resolved path.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type ArtifactRepository,
  LocalArtifactRepository,
  mlflowError,
  safeArtifactPath,
  type TrackingStore,
} from "../tracking/mod.ts";
import { realPathOrUndefined } from "../fs_utils.ts";

/**
 * The relative path of an `mlflow-artifacts:` URI (`mlflow-artifacts:/1/<run>/artifacts` →
 * `1/<run>/artifacts`; a `//host:port` part is ignored), or undefined for other URIs.
 *
 * @example
 * ```ts
 * proxiedPathOfUri("mlflow-artifacts:/1/abc/artifacts"); // "1/abc/artifacts"
 * ```
 */
export function proxiedPathOfUri(uri: string): string | undefined {
  const m = uri.match(/^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/);
  return m ? safeArtifactPath(m[1]) : undefined;
}

/**
 * An artifact-repository resolver for the server: `mlflow-artifacts:` URIs map into the proxy's
 * destination directory, everything else goes to the store.
 *
 * @example
 * ```ts
 * const repoFor = artifactRepositoryResolver(store, "/srv/mlartifacts");
 * repoFor("mlflow-artifacts:/1/abc/artifacts").rootUri; // "file:///srv/mlartifacts/1/abc/artifacts"
 * ```
 */
export function artifactRepositoryResolver(
  store: TrackingStore,
  destination: string,
): (artifactUri: string) => ArtifactRepository {
  return (artifactUri) => {
    const proxied = proxiedPathOfUri(artifactUri);
    if (proxied === undefined) return store.getArtifactRepository(artifactUri);
    return new LocalArtifactRepository(pathToFileURL(join(destination, proxied)).href);
  };
}

/**
 * The absolute path of `relPath` under `rootDir`, refused when unsafe or when a symlink on the way
 * leads outside the root. For paths that do not exist yet, the deepest existing ancestor is checked.
 *
 * @example
 * ```ts
 * await pathInsideRoot("/srv/mlartifacts", "1/abc/artifacts/model.pkl");
 * await pathInsideRoot("/srv/mlartifacts", "../etc/passwd"); // throws INVALID_PARAMETER_VALUE
 * ```
 */
export async function pathInsideRoot(rootDir: string, relPath: string): Promise<string> {
  const safe = safeArtifactPath(relPath);
  const root = resolve(rootDir);
  const target = safe ? join(root, safe) : root;
  const realRoot = (await realPathOrUndefined(root)) ?? root;
  let probe = target;
  let real = await realPathOrUndefined(probe);
  while (real === undefined && probe !== root && probe !== dirname(probe)) {
    probe = dirname(probe);
    real = await realPathOrUndefined(probe);
  }
  if (real !== undefined && real !== realRoot && !real.startsWith(realRoot + "/")) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid artifact path: '${relPath}'. It resolves outside the artifact root.`,
      "artifact paths must stay inside the run's artifact root; symlinks leaving it are not followed",
    );
  }
  return target;
}

const TEXT_TYPES: Record<string, string> = {
  txt: "text/plain",
  log: "text/plain",
  md: "text/plain",
  py: "text/plain",
  yaml: "text/plain",
  yml: "text/plain",
  toml: "text/plain",
  ini: "text/plain",
  cfg: "text/plain",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  json: "application/json",
  // Served as text so a user's HTML never runs on the server's origin; the UI previews it sandboxed.
  html: "text/plain",
  htm: "text/plain",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  bmp: "image/bmp",
  webp: "image/webp",
  pdf: "application/pdf",
};

/**
 * MIME type for an artifact file name (`MLmodel`, `MLproject` and text extensions as text/plain).
 *
 * @example
 * ```ts
 * guessMimeType("model/MLmodel"); // "text/plain"
 * ```
 */
export function guessMimeType(path: string): string {
  const name = path.split("/").at(-1) ?? "";
  if (name === "MLmodel" || name === "MLproject") return "text/plain";
  const ext = name.includes(".") ? name.split(".").at(-1)!.toLowerCase() : "";
  return TEXT_TYPES[ext] ?? "application/octet-stream";
}

/**
 * Headers for serving an artifact: its type, download name, and a sandbox so that nothing served
 * from a run (SVG, PDF, HTML) can run scripts on the server's origin.
 *
 * @example
 * ```ts
 * new Response(bytes, { headers: artifactHeaders("plots/loss.png") });
 * ```
 */
export function artifactHeaders(path: string): Headers {
  const type = guessMimeType(path);
  const name = path.split("/").at(-1) || "artifact";
  // Header values are bytes: an ASCII fallback name, plus the exact name in RFC 5987 form.
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return new Headers({
    "content-type": type.startsWith("text/") ? `${type}; charset=utf-8` : type,
    "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    "x-content-type-options": "nosniff",
    "content-security-policy": "sandbox",
  });
}
