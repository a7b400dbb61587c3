/**
 * Where `kmlf gc` removes a run's artifacts from. Like `mlflow gc`, through the run's artifact URI: a
 * local folder or `s3://` directly; an `mlflow-artifacts:` (proxy) URI through the tracking server given
 * by `--tracking-uri` / `MLFLOW_TRACKING_URI` (its DELETE endpoint) — or, without one, straight from the
 * proxy's destination (`--artifacts-destination`, `MLFLOW_ARTIFACTS_DESTINATION`, else `mlartifacts` in
 * the project or working directory: where `kmlf server` and `kmlf mlflow ui` keep them), so no server has
 * to run. An artifact URI kmlf cannot reach is skipped with MLflow's warning; the run is still deleted.
 *
 * @module
 */
import { join } from "../path.ts";
import {
  type ArtifactRepository,
  artifactRepositoryFor,
  HttpArtifactRepository,
  HttpClient,
  LocalArtifactRepository,
  localPathOfUri,
  proxyLocation,
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
 * artifactTarget(store, "mlflow-artifacts:/1/abc/artifacts", { destination: "/project/mlartifacts" });
 * ```
 */
export function artifactTarget(
  store: TrackingStore,
  artifactUri: string,
  proxy: ProxyAccess,
): ArtifactTarget {
  if (!artifactUri) return { none: true };
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
        return { repo: new LocalArtifactRepository(path, { within: local }), where: path };
      }
      const uri = `${proxy.destination.replace(/\/+$/, "")}/${rel}`;
      return { repo: artifactRepositoryFor(uri), where: uri };
    }
    return { repo: store.getArtifactRepository(artifactUri), where: artifactUri };
  } catch (error) {
    return { skip: error instanceof Error ? error.message : String(error) };
  }
}
