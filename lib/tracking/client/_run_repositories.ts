/**
 * Where `MlflowClient` finds a run's artifacts: the artifact repository of each run (resolved once from
 * its `artifactUri`), and the check that an artifact location is usable before any work is done.
 *
 * @module
 */
import type { ArtifactRepository } from "../artifacts/artifact_repository.ts";
import type { TrackingStore } from "../stores/store.ts";
import { checkTempFolder } from "../../temp_folder.ts";
import { runIdArgument } from "./_arguments.ts";

/**
 * The artifact repositories of a client's runs, cached by run id.
 *
 * @example
 * ```ts
 * const repositories = new RunRepositories();
 * const repo = await repositories.of(store, runId);
 * ```
 */
export class RunRepositories {
  readonly #repositories = new Map<string, ArtifactRepository>();

  /** The artifact repository of run `runId` (resolved from its `artifactUri` on first use). */
  async of(
    store: Pick<TrackingStore, "getRun" | "getArtifactRepository">,
    runId: string,
  ): Promise<ArtifactRepository> {
    let repo = this.#repositories.get(runIdArgument(runId, "artifactRepository"));
    if (!repo) {
      repo = store.getArtifactRepository((await store.getRun(runId)).info.artifactUri);
      this.#repositories.set(runId, repo);
    }
    return repo;
  }
}

/**
 * Fails, with the fix, when the artifact location `artifactUri` cannot be used: an unsupported scheme,
 * missing credentials, an unreachable server, a folder that cannot be written, or (for a repository that
 * cannot build a folder in place) no usable temp folder.
 *
 * @example
 * ```ts
 * await checkArtifactLocationOf(store, "s3://bucket/mlflow/1");
 * ```
 */
export async function checkArtifactLocationOf(
  store: Pick<TrackingStore, "getArtifactRepository">,
  artifactUri: string,
): Promise<void> {
  const repo = store.getArtifactRepository(artifactUri);
  await repo.checkAccess?.();
  // A repository that cannot build a folder in place gets it built in a temp folder, then uploaded.
  if (!repo.buildArtifacts) await checkTempFolder();
}
