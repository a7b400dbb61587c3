/**
 * Where `kmlf gc` removes a run's artifacts from. Like `mlflow gc`, through the run's artifact URI: a
 * local folder or `s3://` directly; an `mlflow-artifacts:` (proxy) URI through the tracking server given
 * by `--tracking-uri` / `MLFLOW_TRACKING_URI` (its DELETE endpoint) — or, without one, straight from the
 * proxy's destination (`--artifacts-destination`, `MLFLOW_ARTIFACTS_DESTINATION`, else `mlartifacts` in
 * the project or working directory: where `kmlf server` and `kmlf mlflow ui` keep them), so no server has
 * to run. An artifact URI kmlf cannot reach is skipped with MLflow's warning; the run is still deleted.
 *
 * Unlike `mlflow gc`, the artifact URI column is not trusted (anyone who can write the store's rows can set
 * it): gc deletes only a run's own artifact root — a URI ending in `<run_id>/artifacts`, as every store
 * creates it, without `.`/`..` segments (also percent-encoded) — and, for a local folder, only when no
 * symlink on the way leads the run's folder out of its experiment's folder. Anything else is skipped with a
 * warning that says why; the files stay.
 *
 * @module
 */
import { dirname, join } from "../path.ts";
import {
  type ArtifactRepository,
  artifactRepositoryFor,
  HttpArtifactRepository,
  HttpClient,
  LocalArtifactRepository,
  localPathOfUri,
  notOwnArtifactRoot,
  proxyLocation,
  runRootLeavesExperiment,
  safeArtifactPath,
  type TrackingStore,
} from "../tracking/mod.ts";

/** How proxied (`mlflow-artifacts:`) artifact URIs are reached. */
export interface ProxyAccess {
  /** An http(s) tracking server (its artifact proxy). */
  trackingUri?: string;
  /** Else the proxy's destination: an absolute folder or `s3://bucket/prefix`. */
  destination: string;
}

/** A run's artifacts: the repository to empty, or why they are left. */
export type ArtifactTarget = { repo: ArtifactRepository; where: string } | { skip: string } | { none: true };

/**
 * The repository holding the artifacts at `artifactUri`.
 *
 * @example
 * ```ts
 * artifactTarget(store, "abc", "mlflow-artifacts:/1/abc/artifacts", { destination: "/project/mlartifacts" });
 * ```
 */
export function artifactTarget(
  store: TrackingStore,
  runId: string,
  artifactUri: string,
  proxy: ProxyAccess,
): ArtifactTarget {
  if (!artifactUri) return { none: true };
  const notOwn = notOwnRoot(runId, artifactUri);
  if (notOwn) return { skip: notOwn };
  try {
    const proxied = proxyLocation(artifactUri, proxy.trackingUri ?? "http://localhost");
    if (proxied && proxy.trackingUri) {
      const repo = new HttpArtifactRepository(artifactUri, new HttpClient(proxy.trackingUri), proxied);
      return { repo, where: `${proxied.endpoint}/${proxied.root}` };
    }
    if (proxied) {
      const rel = safeArtifactPath(proxied.root);
      const local = localPathOfUri(proxy.destination);
      if (local !== undefined) {
        const path = join(local, rel);
        const out = leadsOut(path);
        if (out) return { skip: out };
        return { repo: new LocalArtifactRepository(path, { within: local }), where: path };
      }
      const uri = `${proxy.destination.replace(/\/+$/, "")}/${rel}`;
      return { repo: artifactRepositoryFor(uri), where: uri };
    }
    const path = localPathOfUri(artifactUri);
    const out = path === undefined ? undefined : leadsOut(path);
    if (out) return { skip: out };
    return { repo: store.getArtifactRepository(artifactUri), where: artifactUri };
  } catch (error) {
    return { skip: error instanceof Error ? error.message : String(error) };
  }
}

// Why `artifactUri` is not the run's own artifact root (`…/<run_id>/artifacts`), or undefined when it is.
function notOwnRoot(runId: string, artifactUri: string): string | undefined {
  const why = notOwnArtifactRoot(runId, artifactUri);
  return why && `its artifact URI ${artifactUri} is not the run's own artifact root (${why}); ` +
      "kmlf gc deletes nothing outside a run's <experiment location>/<run_id>/artifacts";
}

// Why deleting the local folder `path` (`…/<run_id>/artifacts`) would follow a symlink out of its
// experiment's folder, or undefined when it stays inside.
function leadsOut(path: string): string | undefined {
  return runRootLeavesExperiment(path)
    ? `${path} leads through a symlink out of ${dirname(dirname(path))}; ` +
      "kmlf gc does not follow symlinks out of an experiment's artifact folder"
    : undefined;
}
