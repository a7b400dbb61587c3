/**
 * Artifacts on the local file system (`file://` URIs and absolute paths), laid out as MLflow does:
 * `<root>/<exp>/<run>/artifacts/<artifact path>`.
 *
 * @module
 */
import { basename, dirname, isAbsolute, join, resolve } from "../../path.ts";
import { TrackingError } from "../../errors.ts";
import type { FileInfo } from "../entities.ts";
import { mlflowError } from "../tracking_errors.ts";
import {
  type ArtifactRepository,
  completeListing,
  type ListArtifactsOptions,
  safeArtifactPath,
} from "./artifact_repository.ts";
import { resolvesInside, statOrUndefined } from "../../fs_utils.ts";
import { copyFile, readFile, writeFile, writeTextFile } from "../../file_io.ts";
import { checkLocalArtifactRoot } from "./local_access.ts";
import { localUriProblem } from "./local_uri.ts";
import { fileUriPath, readLocalUri } from "../../local_uri_reading.ts";

/**
 * The local path of a `file:` URI or an absolute path, or undefined for other schemes. One that names no
 * local path (another host, an encoded `/`, a NUL) is INVALID_PARAMETER_VALUE, naming the URI.
 *
 * @example
 * ```ts
 * localPathOfUri("file:///tmp/mlartifacts/1"); // "/tmp/mlartifacts/1"
 * ```
 */
export function localPathOfUri(uri: string): string | undefined {
  const reading = readLocalUri(uri);
  // A stored `FILE:` URI is not read (MLflow reads it as a relative folder `FILE:`): the caller says why.
  const local = reading?.file ? !reading.file.otherCase : reading !== undefined && isAbsolute(uri);
  if (!local) return undefined;
  // Another host, an encoded `/` or a NUL: MLflow reads another folder, Node refuses; a 400, never a 500.
  const unusable = localUriProblem(uri);
  if (unusable) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Cannot use '${JSON.stringify(uri).slice(1, -1)}' as a local artifact location: ${unusable.problem}`,
      unusable.hint,
    );
  }
  if (!reading!.file) return uri;
  const read = fileUriPath(reading!);
  return "path" in read ? read.path : undefined;
}

/**
 * The absolute path of `relPath` under `rootDir`, refused (INVALID_PARAMETER_VALUE, naming only `relPath`)
 * when it breaks MLflow's path rules or when a symlink on the way leads outside the root — or outside
 * `within`, a folder holding the root (a server's artifacts destination), so a root that is itself a link
 * (a run's or an experiment's folder) cannot lead out either. For paths that do not exist yet, the deepest
 * existing ancestor is checked.
 *
 * @example
 * ```ts
 * pathInsideRoot("/srv/mlartifacts", "1/abc/artifacts/model.pkl");
 * pathInsideRoot("/srv/mlartifacts", "../etc/passwd"); // throws INVALID_PARAMETER_VALUE
 * pathInsideRoot("/srv/mlartifacts/1/abc/artifacts", "m.pkl", "/srv/mlartifacts");
 * ```
 */
export function pathInsideRoot(rootDir: string, relPath: string | undefined, within?: string): string {
  const safe = safeArtifactPath(relPath);
  const root = resolve(rootDir);
  const target = safe ? join(root, safe) : root;
  if (!resolvesInside(root, target) || (within !== undefined && !resolvesInside(resolve(within), target))) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid artifact path: '${relPath ?? ""}'. It resolves outside the artifact root.`,
      "artifact paths must stay inside the run's artifact root; symlinks leaving it are not followed",
    );
  }
  return target;
}

// A client's path that the artifacts already on disk leave no room for: its mistake (400), as the proxy says.
function pathTaken(rel: string, why: string): TrackingError {
  return mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Cannot write artifact '${rel}': ${why}`,
    "write it under another path, or delete the artifact in the way first",
  );
}

const PARTIAL = /^\.kmlf-partial-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A fresh temp path in `abs`'s folder: an artifact is written there, then renamed in, so readers never
 * see half of it. Listings leave such paths out ({@link isPartialArtifact}). Its name is short whatever
 * the artifact's: a name that fits the file system's 255 bytes must not stop fitting with a suffix.
 *
 * @example
 * ```ts
 * partialBeside("/srv/mlartifacts/1/abc/artifacts/model.pkl"); // ".../artifacts/.kmlf-partial-<uuid>"
 * ```
 */
export function partialBeside(abs: string): string {
  return join(dirname(abs), `.kmlf-partial-${crypto.randomUUID()}`);
}

/**
 * Whether a folder entry is an artifact still being written (or left by a writer that was killed):
 * not an artifact, so never listed.
 *
 * @example
 * ```ts
 * isPartialArtifact(basename(partialBeside("model.pkl"))); // true
 * ```
 */
export function isPartialArtifact(name: string): boolean {
  return PARTIAL.test(name);
}

/** Copies a tree; with `within`, entries that resolve outside that folder (symlinks) are left out. */
async function copyTree(src: string, dst: string, within?: string): Promise<void> {
  Deno.mkdirSync(dst, { recursive: true });
  for (const entry of Deno.readDirSync(src)) {
    const from = join(src, entry.name);
    const to = join(dst, entry.name);
    if (within !== undefined && entry.isSymlink && !resolvesInside(within, from)) continue;
    const info = Deno.statSync(from);
    if (info.isDirectory) await copyTree(from, to, within);
    else await copyFile(from, to);
  }
}

/**
 * An artifact repository rooted at a local directory.
 *
 * @example
 * ```ts
 * const repo = new LocalArtifactRepository("file:///tmp/mlartifacts/1/abc/artifacts");
 * await repo.writeArtifact("notes.txt", "hello");
 * await repo.listArtifacts(); // [{ path: "notes.txt", isDir: false, fileSize: 5 }]
 * ```
 */
export class LocalArtifactRepository implements ArtifactRepository {
  readonly rootUri: string;
  readonly rootPath: string;
  /** A folder holding the root that no path may leave, even when the root itself is a link. */
  readonly within?: string;

  /** `options.within`: a folder the root lies in (a server's artifacts destination); see {@link pathInsideRoot}. */
  constructor(rootUri: string, options: { within?: string } = {}) {
    const path = localPathOfUri(rootUri);
    if (path === undefined) {
      throw new TrackingError(
        "tracking/unsupported-artifact-uri",
        `Cannot use ${rootUri} as a local artifact location: expected a file:// URI or an absolute path`,
      );
    }
    this.rootUri = rootUri;
    this.rootPath = path;
    this.within = options.within;
  }

  /**
   * The local file of `artifactPath`, checked as every access is (for callers that stream it themselves).
   *
   * @example
   * ```ts
   * const file = repo.localPath("model/MLmodel");
   * ```
   */
  localPath(artifactPath: string | undefined): string {
    return this.#path(artifactPath).abs;
  }

  /** Every path goes through here: MLflow's rules, then no symlink may lead out of the root. */
  #path(artifactPath: string | undefined): { rel: string; abs: string } {
    const abs = pathInsideRoot(this.rootPath, artifactPath, this.within);
    return { rel: safeArtifactPath(artifactPath), abs };
  }

  /** Checks files can be created under the root (a file in the way, a read-only folder), before any work. */
  checkAccess(): Promise<void> {
    return Promise.resolve().then(() => checkLocalArtifactRoot(this.rootPath));
  }

  async logArtifact(localFile: string, artifactPath?: string): Promise<void> {
    const info = statOrUndefined(localFile);
    if (!info?.isFile) {
      throw mlflowError("INVALID_PARAMETER_VALUE", `Cannot log artifact ${localFile}: no such file`);
    }
    const { abs } = this.#path(artifactPath);
    Deno.mkdirSync(abs, { recursive: true });
    await copyFile(localFile, join(abs, basename(localFile)));
  }

  async logArtifacts(localDir: string, artifactPath?: string): Promise<void> {
    const info = statOrUndefined(localDir);
    if (!info?.isDirectory) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `Cannot log artifacts from ${localDir}: no such directory`,
      );
    }
    await copyTree(localDir, this.#path(artifactPath).abs);
  }

  async buildArtifacts<T>(artifactPath: string, fill: (dir: string) => Promise<T>): Promise<T> {
    const { rel, abs } = this.#path(artifactPath);
    if (!rel) throw mlflowError("INVALID_PARAMETER_VALUE", "Cannot build artifacts without a folder name");
    Deno.mkdirSync(dirname(abs), { recursive: true });
    // An existing folder gets the files merged in, as logArtifacts does.
    const tmp = partialBeside(abs);
    Deno.mkdirSync(tmp);
    try {
      const result = await fill(tmp);
      if (statOrUndefined(abs)) await copyTree(tmp, abs);
      else Deno.renameSync(tmp, abs);
      return result;
    } finally {
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
    }
  }

  async writeArtifact(artifactFile: string, data: Uint8Array | string): Promise<void> {
    const { rel, abs } = this.#path(artifactFile);
    if (!rel) throw mlflowError("INVALID_PARAMETER_VALUE", "Cannot write an artifact without a file name");
    try {
      Deno.mkdirSync(dirname(abs), { recursive: true });
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists || error instanceof Deno.errors.NotADirectory) {
        throw pathTaken(rel, "a file holds the place of one of its folders");
      }
      throw error;
    }
    const tmp = partialBeside(abs);
    try {
      if (typeof data === "string") await writeTextFile(tmp, data);
      else await writeFile(tmp, data);
      Deno.renameSync(tmp, abs);
    } catch (error) {
      await Deno.remove(tmp).catch(() => {}); // never leave the partial file behind
      if (error instanceof Deno.errors.IsADirectory) throw pathTaken(rel, "a folder of that name exists");
      throw error;
    }
  }

  async readArtifact(artifactFile: string): Promise<Uint8Array> {
    const { abs } = this.#path(artifactFile);
    const info = statOrUndefined(abs);
    if (!info?.isFile) {
      throw mlflowError(
        "RESOURCE_DOES_NOT_EXIST",
        `No artifact file '${artifactFile}' under ${this.rootUri}`,
      );
    }
    return await readFile(abs);
  }

  async listArtifacts(path?: string, options: ListArtifactsOptions = {}): Promise<FileInfo[]> {
    const { rel, abs } = this.#path(path);
    const info = statOrUndefined(abs);
    if (!info?.isDirectory) return [];
    const entries: FileInfo[] = [];
    for (const entry of Deno.readDirSync(abs)) {
      // A symlink leading out of the root is not part of the artifacts: not listed, never read.
      if (entry.isSymlink && !resolvesInside(this.rootPath, join(abs, entry.name))) continue;
      if (isPartialArtifact(entry.name)) continue;
      const stat = Deno.statSync(join(abs, entry.name));
      entries.push({
        path: rel ? `${rel}/${entry.name}` : entry.name,
        isDir: stat.isDirectory,
        fileSize: stat.isDirectory ? null : stat.size,
      });
    }
    return await completeListing(entries, options, (path) => this.listArtifacts(path, options));
  }

  async downloadArtifacts(artifactPath: string, dstDir?: string): Promise<string> {
    const { rel, abs } = this.#path(artifactPath);
    const info = statOrUndefined(abs);
    if (!info) {
      throw mlflowError("RESOURCE_DOES_NOT_EXIST", `No artifact '${artifactPath}' under ${this.rootUri}`);
    }
    if (dstDir === undefined) return abs;
    const dest = rel ? join(dstDir, rel) : dstDir;
    if (info.isDirectory) await copyTree(abs, dest, this.rootPath);
    else {
      Deno.mkdirSync(dirname(dest), { recursive: true });
      await copyFile(abs, dest);
    }
    return dest;
  }

  async deleteArtifacts(artifactPath?: string): Promise<void> {
    const { abs } = this.#path(artifactPath);
    await Deno.remove(abs, { recursive: true }).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }
}

/**
 * The repository for a local artifact URI; other schemes are refused with a clear error (the REST
 * store serves `mlflow-artifacts:` URIs itself).
 *
 * @example
 * ```ts
 * const repo = localArtifactRepository(run.info.artifactUri);
 * ```
 */
export function localArtifactRepository(artifactUri: string): ArtifactRepository {
  if (localPathOfUri(artifactUri) === undefined) {
    throw new TrackingError(
      "tracking/unsupported-artifact-uri",
      `Cannot store artifacts at ${artifactUri}: only file:// URIs and absolute paths are supported by local stores`,
      {
        hint:
          "use a local artifact root, or log through an MLflow server (http://…) to use its artifact store",
      },
    );
  }
  return new LocalArtifactRepository(artifactUri);
}
