/**
 * `kmlf artifacts list|download|log-artifact|log-artifacts`: MLflow 2.17.2's `mlflow artifacts`
 * commands over the run's artifact repository (local folder, S3, or a tracking server's proxy).
 */
import { KmlfError, TrackingError, UsageError } from "../errors.ts";
import { statOrUndefined } from "../fs_utils.ts";
import { type ArtifactRepository, type FileInfo, safeArtifactPath } from "../tracking/mod.ts";
import { type CliStore, runIdNotFound, type StoreCommandOptions, withCliStore } from "./cli_store.ts";
import { pyJsonDump } from "../py_json.ts";
import { err, out } from "./terminal.ts";

/** Options of `kmlf artifacts list`. */
export interface ArtifactsListOptions extends StoreCommandOptions {
  runId: string;
  artifactPath?: string;
}

/** Options of `kmlf artifacts download`. */
export interface ArtifactsDownloadOptions extends StoreCommandOptions {
  runId?: string;
  artifactPath?: string;
  artifactUri?: string;
  destPath?: string;
}

/** Options of `kmlf artifacts log-artifact` (`localFile`) and `log-artifacts` (`localDir`). */
export interface ArtifactsLogOptions extends StoreCommandOptions {
  runId: string;
  localFile?: string;
  localDir?: string;
  artifactPath?: string;
}

async function runRepository(
  { client, where }: CliStore,
  runId: string,
  flag?: string,
): Promise<ArtifactRepository> {
  return await client.artifactRepository(runId).catch((error) => {
    throw runIdNotFound(error, runId, where, flag);
  });
}

/**
 * Prints the entries directly under the run's artifact root (or `--artifact-path`) as MLflow's JSON list.
 *
 * @example
 * ```ts
 * await artifactsList({ runId: "0a1b…", artifactPath: "model" });
 * ```
 */
export function artifactsList(options: ArtifactsListOptions): Promise<number> {
  return withCliStore(options, async (store) => {
    checkArtifactPath(options.artifactPath);
    const repo = await runRepository(store, options.runId);
    out(fileInfosJson(await repo.listArtifacts(options.artifactPath ?? "")));
  });
}

// MLflow's `_file_infos_to_json`: each FileInfo as `message_to_json` (indent 2), joined by ", " in [].
function fileInfosJson(infos: readonly FileInfo[]): string {
  const items = infos.map((f) =>
    pyJsonDump(
      { path: f.path, is_dir: f.isDir, ...(f.fileSize === null ? {} : { file_size: f.fileSize }) },
      { indent: 2 },
    )
  );
  return `[${items.join(", ")}]`;
}

/**
 * Downloads a run's artifact (`--run-id`, `--artifact-path`) or an artifact URI (`--artifact-uri`:
 * `runs:/<run_id>/<path>`, `models:/<name>/<version>`, `models:/<name>@<alias>` or a location URI) into `--dest-path` (default: where a local artifact already
 * is, else a new temp folder); prints the local path.
 *
 * @example
 * ```ts
 * await artifactsDownload({ runId: "0a1b…", artifactPath: "model", destPath: "out" });
 * ```
 */
export function artifactsDownload(options: ArtifactsDownloadOptions): Promise<number> {
  return withCliStore(options, async (store) => {
    if (options.runId === undefined && options.artifactUri === undefined) {
      throw new KmlfError(
        "cli/mlflow-download-source",
        "Either --run-id or --artifact-uri must be provided.",
        {
          hint: "kmlf artifacts download --run-id <id> [--artifact-path model], " +
            "or --artifact-uri runs:/<id>/model, models:/<name>/<version> (or an artifact location URI)",
        },
      );
    }
    checkDestPath(options.destPath);
    if (options.artifactUri !== undefined) {
      const uri = options.artifactUri;
      const extra = [
        options.runId !== undefined && "--run-id",
        options.artifactPath !== undefined && "--artifact-path",
      ]
        .filter(Boolean);
      if (extra.length) {
        // MLflow downloads the URI and ignores the others: a user who gave them meant something else.
        throw new UsageError(
          "cli/download-flags",
          `--artifact-uri cannot be combined with ${
            extra.join(" or ")
          }: the URI already names what to download`,
          {
            hint: `pass --artifact-uri alone (a path inside it goes in the URI: runs:/<id>/model/MLmodel), ` +
              `or --run-id with --artifact-path`,
          },
        );
      }
      // Every error past this point names --artifact-uri: it is the only flag the user gave.
      const flag = `--artifact-uri ${uri}`;
      if (/^models:/i.test(uri.trim())) {
        const { downloadModelsUri } = await import("./models_uri_download.ts");
        out(
          await downloadModelsUri(store.client.store, uri, options.destPath, store.where).catch((error) => {
            throw destError(error, options.destPath) ?? namedMiss(error, flag, "the web UI's Models page");
          }),
        );
        return;
      }
      const look = "kmlf artifacts list -r <run_id> [-a <folder>]";
      const { repo, path } = await uriRepository(store, uri).catch((error) => {
        throw namedMiss(error, flag, look);
      });
      out(
        await repo.downloadArtifacts(path, options.destPath).catch((error) => {
          throw destError(error, options.destPath) ?? namedMiss(error, flag, look);
        }),
      );
      return;
    }
    const runId = options.runId!;
    checkArtifactPath(options.artifactPath);
    const repo = await runRepository(store, runId);
    out(
      await repo.downloadArtifacts(options.artifactPath ?? "", options.destPath).catch((error) => {
        throw destError(error, options.destPath) ?? namedMiss(
          error,
          `--artifact-path ${options.artifactPath ?? "''"} of run ${runId}`,
          `kmlf artifacts list -r ${runId} [-a <folder>]`,
        );
      }),
    );
  });
}

// `--artifact-path` checked before the store is asked, so its error names the flag.
function checkArtifactPath(path: string | undefined): void {
  if (path === undefined) return;
  try {
    safeArtifactPath(path);
  } catch (error) {
    throw namedMiss(error, "--artifact-path", "kmlf artifacts list -r <run_id>");
  }
}

const DEST_HINT =
  "name a folder for --dest-path (it is created when missing), or leave it out for a temp folder";

// A --dest-path that is a file cannot take the download (MLflow fails with Python's OSError, exit 1).
function checkDestPath(dest: string | undefined): void {
  const info = dest === undefined ? undefined : statOrUndefined(dest);
  if (!info || info.isDirectory) return;
  throw new KmlfError("cli/mlflow-dest-path", `Cannot download into --dest-path ${dest}: it is a file`, {
    hint: DEST_HINT,
  });
}

// The file system refusing a download under --dest-path (a file where a folder goes, no permission).
function destError(error: unknown, dest: string | undefined): KmlfError | undefined {
  if (
    !(error instanceof Deno.errors.NotADirectory || error instanceof Deno.errors.AlreadyExists ||
      error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.IsADirectory)
  ) return undefined;
  return new KmlfError(
    "cli/mlflow-dest-path",
    `Cannot download into ${dest === undefined ? "a temp folder" : `--dest-path ${dest}`}: ${error.message}`,
    { hint: DEST_HINT, cause: error },
  );
}

// A download's miss (the store's words) with the flag that named it and how to see what is there.
function namedMiss(error: unknown, flag: string, look: string): unknown {
  if (!(error instanceof TrackingError)) return error;
  if (error.code === "tracking/unsupported-artifact-uri") {
    // The repositories' words are for a run's artifact location; a download only reads there.
    return new TrackingError(
      error.code,
      `${error.message.replace(/^Cannot store/, "Cannot read")} (${flag})`,
      {
        hint: error.hint,
        cause: error.cause,
      },
    );
  }
  if (
    !["RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE"].includes(error.code) &&
    !error.code.startsWith("model/")
  ) {
    return error;
  }
  if (error.message.includes(flag)) return error;
  return new TrackingError(error.code, `${error.message} (${flag})`, {
    hint: error.hint ?? `see what is there: ${look}`,
    cause: error.cause,
  });
}

// As MLflow's `_download_artifact_from_uri`: `runs:/<run_id>/<path>` through the run, any other URI as
// the repository of its parent and the last segment.
async function uriRepository(
  store: CliStore,
  uri: string,
): Promise<{ repo: ArtifactRepository; path: string }> {
  const runs = uri.match(/^runs:\/+([^/]+)\/?(.*?)\/*$/i);
  if (uri.trim() === "" || (!runs && /^runs:/i.test(uri))) {
    throw new KmlfError(
      "cli/mlflow-artifact-uri",
      `--artifact-uri ${uri === "" ? "is empty" : `${uri} names no run`}`,
      {
        hint: "write runs:/<run_id>/<path> (or runs:/<run_id> for all its artifacts), " +
          "models:/<name>/<version>, models:/<name>@<alias>, or an artifact location (s3://…, a folder)",
      },
    );
  }
  if (runs) {
    // As MLflow, the last segment lands directly in --dest-path: the repository is its parent's.
    const [runId, path] = [runs[1], runs[2]];
    const flag = `--artifact-uri ${uri}`;
    const cut = path.lastIndexOf("/");
    if (cut < 0) return { repo: await runRepository(store, runId, flag), path };
    const run = await store.client.getRun(runId).catch((error) => {
      throw runIdNotFound(error, runId, store.where, flag);
    });
    const parent = `${run.info.artifactUri.replace(/\/+$/, "")}/${safeArtifactPath(path.slice(0, cut))}`;
    return { repo: store.client.store.getArtifactRepository(parent), path: path.slice(cut + 1) };
  }
  const trimmed = uri.replace(/\/+$/, "");
  const cut = trimmed.lastIndexOf("/");
  const parent = cut <= 0 ? trimmed.slice(0, cut + 1) : trimmed.slice(0, cut);
  if (cut < 0 || parent === "" || /^[a-zA-Z][a-zA-Z0-9+.-]*:\/*$/.test(parent)) {
    return { repo: store.client.store.getArtifactRepository(trimmed), path: "" };
  }
  return { repo: store.client.store.getArtifactRepository(parent), path: trimmed.slice(cut + 1) };
}

/**
 * Logs a local file (`localFile`) or the files of a local folder (`localDir`) into the run's artifacts,
 * under `--artifact-path` when given.
 *
 * @example
 * ```ts
 * await artifactsLog({ runId: "0a1b…", localFile: "report.html", artifactPath: "reports" });
 * ```
 */
export function artifactsLog(options: ArtifactsLogOptions): Promise<number> {
  return withCliStore(options, async (store) => {
    checkArtifactPath(options.artifactPath);
    const repo = await runRepository(store, options.runId);
    const where = options.artifactPath ?? "None";
    if (options.localFile !== undefined) {
      checkLocal(options.localFile, "--local-file", "file");
      await repo.logArtifact(options.localFile, options.artifactPath);
      err(`Logged artifact from local file ${options.localFile} to artifact_path=${where}`);
    } else {
      checkLocal(options.localDir!, "--local-dir", "directory");
      await repo.logArtifacts(options.localDir!, options.artifactPath);
      err(`Logged artifact from local dir ${options.localDir} to artifact_path=${where}`);
    }
  });
}

// The path MLflow would fail on with a Python OSError, named with its flag.
function checkLocal(path: string, flag: string, kind: "file" | "directory"): void {
  const info = statOrUndefined(path);
  const ok = kind === "file" ? info?.isFile : info?.isDirectory;
  if (ok) return;
  const flagOther = kind === "file" ? "log-artifacts --local-dir" : "log-artifact --local-file";
  throw new KmlfError(
    "cli/mlflow-local-path",
    `Cannot log ${flag} ${path}: ${info ? `it is not a ${kind}` : "no such file or directory"}`,
    {
      hint: info
        ? `use kmlf artifacts ${flagOther} for a ${kind === "file" ? "directory" : "file"}`
        : "check the path (relative paths start from the working directory)",
    },
  );
}
