/**
 * Where artifacts live on disk for the server (every request path goes through lib/tracking's
 * `pathInsideRoot`: MLflow's `validate_path_is_safe` rules plus a symlink check), and how they are served.
 *
 * @module
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type ArtifactRepository,
  LocalArtifactRepository,
  safeArtifactPath,
  type TrackingStore,
} from "../tracking/mod.ts";

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
