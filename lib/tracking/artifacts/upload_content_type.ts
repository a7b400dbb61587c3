/**
 * The `Content-Type` of an artifact upload, as MLflow's client guesses it
 * (`mlflow/utils/mime_type_utils.py`): text-like extensions (JSON included), `MLmodel` and
 * `MLproject` are `text/plain`; a few binary types by extension; anything else
 * `application/octet-stream`. (What the server answers on download is the server's business.)
 *
 * @module
 */

/** MLflow's text extensions (`get_text_extensions()`), compared case-sensitively as MLflow does. */
export const MLFLOW_TEXT_EXTENSIONS: ReadonlySet<string> = new Set([
  "txt",
  "log",
  "err",
  "cfg",
  "conf",
  "cnf",
  "cf",
  "ini",
  "properties",
  "prop",
  "hocon",
  "toml",
  "yaml",
  "yml",
  "xml",
  "json",
  "js",
  "py",
  "py3",
  "csv",
  "tsv",
  "md",
  "rst",
  "MLmodel",
  "MLproject",
]);

const BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  svg: "image/svg+xml",
  webp: "image/webp",
  html: "text/html",
  htm: "text/html",
  pdf: "application/pdf",
};

/**
 * The MIME type MLflow's client sends when uploading `path`.
 *
 * @example
 * ```ts
 * uploadContentType("cfg/config.json"); // "text/plain"
 * uploadContentType("model/MLmodel"); // "text/plain"
 * uploadContentType("plots/loss.png"); // "image/png"
 * ```
 */
export function uploadContentType(path: string): string {
  const name = path.split("/").at(-1) ?? path;
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? name.slice(dot + 1) : name;
  if (MLFLOW_TEXT_EXTENSIONS.has(extension)) return "text/plain";
  return BY_EXTENSION[extension.toLowerCase()] ?? "application/octet-stream";
}
