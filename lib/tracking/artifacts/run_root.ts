/**
 * Whether a run's artifact URI row can be trusted as the run's own artifact root. Every store creates it as
 * `<experiment location>/<run_id>/artifacts`; anyone who can write the store's rows can set it to anything
 * (a home folder, `file:///`, a whole bucket), so what deletes (`kmlf gc`) or serves (`kmlf server`) a run's
 * artifacts checks it first.
 *
 * @module
 */
import { dirname, percentDecode } from "../../path.ts";
import { resolvesInside } from "../../fs_utils.ts";
import { localPathOfUri } from "./local_repository.ts";

/**
 * Why `artifactUri` is not run `runId`'s own artifact root, or undefined when it is: it must end in
 * `<run_id>/artifacts`, with no `.`/`..` segment, NUL or backslash (also percent-encoded).
 *
 * @example
 * ```ts
 * notOwnArtifactRoot("abc", "file:///srv/mlruns/1/abc/artifacts"); // undefined
 * notOwnArtifactRoot("abc", "file:///home/me"); // "it does not end in abc/artifacts"
 * ```
 */
export function notOwnArtifactRoot(runId: string, artifactUri: string): string | undefined {
  let local: string | undefined;
  try {
    local = localPathOfUri(artifactUri);
  } catch {
    return "it names no local folder: an encoded '/' or a NUL";
  }
  const path = local ?? artifactUri.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:(?:\/\/[^/]*)?/, "");
  const segments = path.replace(/\/+$/, "").split("/").map(percentDecode);
  return segments.some((s) => s === "." || s === ".." || s.includes("\0") || s.includes("\\"))
    ? "it holds '.', '..', a NUL or a backslash"
    : segments.slice(-2).join("/") !== `${runId}/artifacts`
    ? `it does not end in ${runId}/artifacts`
    : undefined;
}

/**
 * Whether the local run root `path` (`…/<run_id>/artifacts`) leads through a symlink out of its
 * experiment's folder (the run's folder, or its `artifacts`, planted as a link elsewhere).
 *
 * @example
 * ```ts
 * runRootLeavesExperiment("/srv/mlruns/1/abc/artifacts"); // false
 * ```
 */
export function runRootLeavesExperiment(path: string): boolean {
  return !resolvesInside(dirname(dirname(path)), path);
}
