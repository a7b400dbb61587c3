/**
 * The one factory from an artifact URI to its repository, for every store that keeps its own
 * artifact locations (SQLite, PostgreSQL, file store, and a REST client given a direct location):
 * `file://` URIs and absolute paths → {@link LocalArtifactRepository}, `s3://bucket/prefix` →
 * {@link S3ArtifactRepository} configured from the environment as MLflow reads it. Anything else is
 * refused with the list of what works.
 *
 * @module
 */
import { TrackingError } from "../../errors.ts";
import type { ArtifactRepository } from "./artifact_repository.ts";
import { LocalArtifactRepository, localPathOfUri } from "./local_repository.ts";
import { writtenLocalLocationProblem } from "./local_uri.ts";
import { type EnvReader, s3ConfigFromEnv } from "./s3/s3_config.ts";
import { S3ArtifactRepository, type S3RepositoryOptions } from "./s3/s3_repository.ts";

/** Options of {@link artifactRepositoryFor}. */
export interface ArtifactRepositoryOptions {
  /** Where S3 settings and credentials are read (default: the process environment). */
  env?: EnvReader;
  /** S3 upload tuning (multipart threshold and part size). */
  s3?: S3RepositoryOptions;
}

/** The artifact locations kmlf can write, for error hints. */
export const SUPPORTED_ARTIFACT_LOCATIONS =
  "a local path or file:///<path>, s3://<bucket>/<prefix> (MLFLOW_S3_ENDPOINT_URL for S3-compatible servers), " +
  "or mlflow-artifacts:/ through a tracking server";

/**
 * The repository serving `artifactUri`.
 *
 * @example
 * ```ts
 * artifactRepositoryFor("s3://my-bucket/mlflow/1/abc/artifacts"); // an S3ArtifactRepository
 * ```
 */
export function artifactRepositoryFor(
  artifactUri: string,
  options: ArtifactRepositoryOptions = {},
): ArtifactRepository {
  if (localPathOfUri(artifactUri) !== undefined) return new LocalArtifactRepository(artifactUri);
  if (/^s3:\/\//i.test(artifactUri)) {
    const env = options.env ?? ((name: string) => Deno.env.get(name));
    return new S3ArtifactRepository(artifactUri, s3ConfigFromEnv(env), options.s3);
  }
  const scheme = artifactUri.match(/^([a-zA-Z][a-zA-Z0-9+.-]+):/)?.[1];
  // A stored `file:` URI naming no absolute folder (`file:`, `file:x`, `FILE:///x`, written before the
  // rule or by another client) says so: kmlf reads file: URIs.
  const local = /^file:/i.test(artifactUri) ? writtenLocalLocationProblem(artifactUri) : undefined;
  throw new TrackingError(
    "tracking/unsupported-artifact-uri",
    `Cannot store artifacts at ${artifactUri}: ` +
      (local
        ? local.problem
        : scheme
        ? `the scheme "${scheme}:" is not supported by kmlf`
        : "not an absolute path or a URI"),
    { hint: local?.hint ?? `use ${SUPPORTED_ARTIFACT_LOCATIONS}` },
  );
}
