/**
 * The one join of an artifact path onto an artifact URI (a run's `artifact_uri`, a registry source). Where
 * the URI's readers percent-decode its path (`file:`, `http(s):`, `mlflow-artifacts:` — kmlf's and
 * MLflow's), the path is percent-encoded first, so a file named `a b`, `100%20`, `x#1` or `q?` is read as
 * itself and not as `a b`, `100 `, `x` or `q`. Elsewhere (a plain path, `s3://`, `gs://`: keys read as
 * written) it is appended as it is. MLflow's `append_to_uri_path` never encodes.
 *
 * @module
 */
import { percentDecode, quoteUriPath } from "../../path.ts";

/** Schemes whose readers decode `%XX` in the path (and end the path at `?` or `#`). */
const DECODED = /^(?:file|https?|mlflow-artifacts):/i;

/**
 * `uri` + `/` + the artifact path `path` (already checked by the caller), one slash between them and
 * encoded as the URI's scheme needs (see the module comment). An empty path gives `uri` back.
 *
 * @example
 * ```ts
 * joinArtifactUri("file:///srv/1/abc/artifacts/", "my model/100%"); // "file:///srv/1/abc/artifacts/my%20model/100%25"
 * joinArtifactUri("s3://bucket/1/abc/artifacts", "my model"); // "s3://bucket/1/abc/artifacts/my model"
 * ```
 */
export function joinArtifactUri(uri: string, path: string): string {
  const rel = path.replace(/^\/+/, "");
  if (!rel) return uri;
  return `${uri.replace(/\/+$/, "")}/${DECODED.test(uri.trim()) ? quoteUriPath(rel) : rel}`;
}

/**
 * The artifact path a tail of `uri` (the text after its root, as {@link joinArtifactUri} wrote it) names:
 * percent-decoded where the scheme's readers decode, as written elsewhere.
 *
 * @example
 * ```ts
 * artifactPathInUri("file:///srv/1/abc/artifacts/my%20model", "my%20model"); // "my model"
 * artifactPathInUri("s3://bucket/1/abc/artifacts/a%20b", "a%20b"); // "a%20b"
 * ```
 */
export function artifactPathInUri(uri: string, tail: string): string {
  return DECODED.test(uri.trim()) ? percentDecode(tail) : tail;
}
