/**
 * Artifacts on the local file system (`file://` URIs and absolute paths), laid out as MLflow does:
 * `<root>/<exp>/<run>/artifacts/<artifact path>`.
 *
 * @module
 */
import { basename, dirname, fileURLToPath, isAbsolute, join, resolve } from "../../path.ts";
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
import { writeFile, writeTextFile } from "../../write_file.ts";

/**
 * The local path of a `file:` URI or an absolute path, or undefined for other schemes.
 *
 * @example
 * ```ts
 * localPathOfUri("file:///tmp/mlartifacts/1"); // "/tmp/mlartifacts/1"
 * ```
 */
export function localPathOfUri(uri: string): string | undefined {
  if (uri.startsWith("file:")) {
    const m = uri.match(/^file:(?:\/\/(?:localhost)?)?(\/.*)$/);
    return m ? fileURLToPath(`file://${m[1]}`) : undefined;
  }
  if (isAbsolute(uri) && !/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(uri)) return uri;
  return undefined;
}

/**
 * The absolute path of `relPath` under `rootDir`, refused (INVALID_PARAMETER_VALUE, naming only `relPath`)
 * when it breaks MLflow's path rules or when a symlink on the way leads outside the root. For paths that
 * do not exist yet, the deepest existing ancestor is checked.
 *
 * @example
 * ```ts
 * await pathInsideRoot("/srv/mlartifacts", "1/abc/artifacts/model.pkl");
 * await pathInsideRoot("/srv/mlartifacts", "../etc/passwd"); // throws INVALID_PARAMETER_VALUE
 * ```
 */
export async function pathInsideRoot(rootDir: string, relPath: string | undefined): Promise<string> {
  const safe = safeArtifactPath(relPath);
  const root = resolve(rootDir);
  const target = safe ? join(root, safe) : root;
  if (!(await resolvesInside(root, target))) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid artifact path: '${relPath}'. It resolves outside the artifact root.`,
      "artifact paths must stay inside the run's artifact root; symlinks leaving it are not followed",
    );
  }
  return target;
}

// A fresh temp path beside `abs`: written there, then renamed in, so readers never see half an artifact.
function tempBeside(abs: string): string {
  return `${abs}.tmp-${crypto.randomUUID().slice(0, 8)}`;
}

/** Copies a tree; with `within`, entries that resolve outside that folder (symlinks) are left out. */
async function copyTree(src: string, dst: string, within?: string): Promise<void> {
  await Deno.mkdir(dst, { recursive: true });
  for await (const entry of Deno.readDir(src)) {
    const from = join(src, entry.name);
    const to = join(dst, entry.name);
    if (within !== undefined && entry.isSymlink && !(await resolvesInside(within, from))) continue;
    const info = await Deno.stat(from);
    if (info.isDirectory) await copyTree(from, to, within);
    else await Deno.copyFile(from, to);
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

  constructor(rootUri: string) {
    const path = localPathOfUri(rootUri);
    if (path === undefined) {
      throw new TrackingError(
        "tracking/unsupported-artifact-uri",
        `Cannot use ${rootUri} as a local artifact location: expected a file:// URI or an absolute path`,
      );
    }
    this.rootUri = rootUri;
    this.rootPath = path;
  }

  /** Every path goes through here: MLflow's rules, then no symlink may lead out of the root. */
  async #path(artifactPath: string | undefined): Promise<{ rel: string; abs: string }> {
    const abs = await pathInsideRoot(this.rootPath, artifactPath);
    return { rel: safeArtifactPath(artifactPath), abs };
  }

  async logArtifact(localFile: string, artifactPath?: string): Promise<void> {
    const info = await statOrUndefined(localFile);
    if (!info?.isFile) {
      throw mlflowError("INVALID_PARAMETER_VALUE", `Cannot log artifact ${localFile}: no such file`);
    }
    const { abs } = await this.#path(artifactPath);
    await Deno.mkdir(abs, { recursive: true });
    await Deno.copyFile(localFile, join(abs, basename(localFile)));
  }

  async logArtifacts(localDir: string, artifactPath?: string): Promise<void> {
    const info = await statOrUndefined(localDir);
    if (!info?.isDirectory) {
      throw mlflowError(
        "INVALID_PARAMETER_VALUE",
        `Cannot log artifacts from ${localDir}: no such directory`,
      );
    }
    await copyTree(localDir, (await this.#path(artifactPath)).abs);
  }

  async buildArtifacts<T>(artifactPath: string, fill: (dir: string) => Promise<T>): Promise<T> {
    const { rel, abs } = await this.#path(artifactPath);
    if (!rel) throw mlflowError("INVALID_PARAMETER_VALUE", "Cannot build artifacts without a folder name");
    await Deno.mkdir(dirname(abs), { recursive: true });
    // An existing folder gets the files merged in, as logArtifacts does.
    const tmp = tempBeside(abs);
    await Deno.mkdir(tmp);
    try {
      const result = await fill(tmp);
      if (await statOrUndefined(abs)) await copyTree(tmp, abs);
      else await Deno.rename(tmp, abs);
      return result;
    } finally {
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
    }
  }

  async writeArtifact(artifactFile: string, data: Uint8Array | string): Promise<void> {
    const { rel, abs } = await this.#path(artifactFile);
    if (!rel) throw mlflowError("INVALID_PARAMETER_VALUE", "Cannot write an artifact without a file name");
    await Deno.mkdir(dirname(abs), { recursive: true });
    const tmp = tempBeside(abs);
    if (typeof data === "string") await writeTextFile(tmp, data);
    else await writeFile(tmp, data);
    await Deno.rename(tmp, abs);
  }

  async readArtifact(artifactFile: string): Promise<Uint8Array> {
    const { abs } = await this.#path(artifactFile);
    const info = await statOrUndefined(abs);
    if (!info?.isFile) {
      throw mlflowError(
        "RESOURCE_DOES_NOT_EXIST",
        `No artifact file '${artifactFile}' under ${this.rootUri}`,
      );
    }
    return await Deno.readFile(abs);
  }

  async listArtifacts(path?: string, options: ListArtifactsOptions = {}): Promise<FileInfo[]> {
    const { rel, abs } = await this.#path(path);
    const info = await statOrUndefined(abs);
    if (!info?.isDirectory) return [];
    const entries: FileInfo[] = [];
    for await (const entry of Deno.readDir(abs)) {
      // A symlink leading out of the root is not part of the artifacts: not listed, never read.
      if (entry.isSymlink && !(await resolvesInside(this.rootPath, join(abs, entry.name)))) continue;
      const stat = await Deno.stat(join(abs, entry.name));
      entries.push({
        path: rel ? `${rel}/${entry.name}` : entry.name,
        isDir: stat.isDirectory,
        fileSize: stat.isDirectory ? null : stat.size,
      });
    }
    return await completeListing(entries, options, (path) => this.listArtifacts(path, options));
  }

  async downloadArtifacts(artifactPath: string, dstDir?: string): Promise<string> {
    const { rel, abs } = await this.#path(artifactPath);
    const info = await statOrUndefined(abs);
    if (!info) {
      throw mlflowError("RESOURCE_DOES_NOT_EXIST", `No artifact '${artifactPath}' under ${this.rootUri}`);
    }
    if (dstDir === undefined) return abs;
    const dest = rel ? join(dstDir, rel) : dstDir;
    if (info.isDirectory) await copyTree(abs, dest, this.rootPath);
    else {
      await Deno.mkdir(dirname(dest), { recursive: true });
      await Deno.copyFile(abs, dest);
    }
    return dest;
  }

  async deleteArtifacts(artifactPath?: string): Promise<void> {
    const { abs } = await this.#path(artifactPath);
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
