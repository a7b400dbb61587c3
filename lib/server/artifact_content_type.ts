/**
 * The headers of a served artifact as MLflow's `_response_with_file_attachment_headers` sets them:
 * `Content-Type` from `_guess_mime_type` (MLflow's text extensions, `MLmodel` and `MLproject` as
 * `text/plain` without a charset, else Python's `mimetypes`), `Content-Disposition: attachment`,
 * `X-Content-Type-Options: nosniff` — plus a `sandbox` CSP, and HTML served as text, so nothing
 * from a run runs scripts on the server's origin.
 *
 * @module
 */

import { MLFLOW_TEXT_EXTENSIONS as TEXT_EXTENSIONS } from "../tracking/mod.ts";

// Python's mimetypes for the types runs commonly hold (lower-cased extension → type).
const MIME_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  bmp: "image/bmp",
  webp: "image/webp",
  tif: "image/tiff",
  tiff: "image/tiff",
  ico: "image/vnd.microsoft.icon",
  svg: "image/svg+xml",
  pdf: "application/pdf",
  zip: "application/zip",
  tar: "application/x-tar",
  sh: "application/x-sh",
  mp3: "audio/mpeg",
  wav: "audio/x-wav",
  mp4: "video/mp4",
  // MLflow answers text/html; kmlf serves HTML as text so a user's page never runs on the server's origin.
  html: "text/plain",
  htm: "text/plain",
  css: "text/css",
};

/**
 * MLflow's `_guess_mime_type` of an artifact's file name.
 *
 * @example
 * ```ts
 * guessMimeType("model/MLmodel"); // "text/plain"
 * guessMimeType("plots/loss.png"); // "image/png"
 * ```
 */
export function guessMimeType(path: string): string {
  const name = path.split("/").at(-1) ?? "";
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? name.slice(dot + 1) : name;
  if (TEXT_EXTENSIONS.has(extension)) return "text/plain";
  if (dot <= 0) return "application/octet-stream";
  return MIME_TYPES[extension.toLowerCase()] ??
    (TEXT_EXTENSIONS.has(extension.toLowerCase()) ? "text/plain" : "application/octet-stream");
}

// RFC 2616 token characters: werkzeug sends the file name unquoted when it is one.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * werkzeug's `Content-Disposition: attachment; filename=…` for a download name (quoted when it is
 * not a token; a non-ASCII name also as RFC 5987 `filename*`).
 *
 * @example
 * ```ts
 * contentDisposition("notes.txt"); // "attachment; filename=notes.txt"
 * ```
 */
export function contentDisposition(name: string): string {
  const quote = (v: string) => (TOKEN.test(v) ? v : `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`);
  if (/^[ -~]*$/.test(name)) return `attachment; filename=${quote(name)}`;
  const ascii = name.normalize("NFKD").replace(/[^ -~]/g, "");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename=${quote(ascii)}; filename*=UTF-8''${encoded}`;
}

/**
 * Headers for serving an artifact.
 *
 * @example
 * ```ts
 * new Response(bytes, { headers: artifactHeaders("plots/loss.png") });
 * ```
 */
export function artifactHeaders(path: string): Headers {
  return new Headers({
    "content-type": guessMimeType(path),
    "content-disposition": contentDisposition(path.split("/").at(-1) || "artifact"),
    "x-content-type-options": "nosniff",
    "content-security-policy": "sandbox",
  });
}
