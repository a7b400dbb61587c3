/**
 * The artifact root the server reads and writes for a run: its artifact URI row, once it is the run's own
 * root. The row is not trusted (anyone who can write the store's rows can set it — to a home folder,
 * `file:///`, a whole destination): a row that does not end in `<run_id>/artifacts`, or a local root that
 * leads through a symlink out of its experiment's folder, serves nothing. MLflow serves whatever the row
 * says; `kmlf gc` applies the same rule before deleting.
 *
 * @module
 */
import { localPathOfUri, mlflowError, notOwnArtifactRoot, runRootLeavesExperiment } from "../tracking/mod.ts";

/**
 * `run.info.artifactUri`, or a PERMISSION_DENIED error (403, never retried) that says why it is not served.
 * The message names no server path.
 *
 * @example
 * ```ts
 * const repo = ctx.artifactRepository(runArtifactRoot(await ctx.store.getRun(runId)));
 * ```
 */
export function runArtifactRoot(run: { info: { runId: string; artifactUri: string } }): string {
  const { runId, artifactUri } = run.info;
  let why = notOwnArtifactRoot(runId, artifactUri);
  const local = why ? undefined : localPathOfUri(artifactUri);
  if (local !== undefined && runRootLeavesExperiment(local)) {
    why = "its run folder leads through a symlink out of the experiment's folder";
  }
  if (!why) return artifactUri;
  throw mlflowError(
    "PERMISSION_DENIED",
    `The artifacts of run '${runId}' are not served: its artifact URI is not the run's own artifact root (${why}). ` +
      "The server reads a run's artifacts only from <experiment location>/<run_id>/artifacts.",
    "the run's artifact_uri row was changed after the run was created; restore it, or copy the files there",
  );
}
