/** Local artifact storage (`file://` URIs): `<root>/<experiment>/<run>/artifacts/...`, like MLflow. */
import { basename, dirname, isAbsolute, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { TrackingError } from "../errors.ts";
import type { FileInfo } from "./entities.ts";

/**
 * The local directory behind a `file://` artifact URI.
 *
 * @example
 * ```ts
 * localPath("file:///p/mlartifacts/1/abc/artifacts"); // "/p/mlartifacts/1/abc/artifacts"
 * ```
 */
export function localPath(uri: string): string {
  if (uri.startsWith("file://")) return fileURLToPath(uri);
  if (isAbsolute(uri)) return uri;
  throw new TrackingError("INVALID_PARAMETER_VALUE", `Artifact URI ${uri} is not a local file URI`, {
    hint: "local stores keep artifacts under file:// URIs; remote ones go through the server",
  });
}

// Refuses paths that would leave the artifact root ("..", absolute paths).
function safeJoin(root: string, path: string | undefined): string {
  if (!path) return root;
  if (isAbsolute(path) || normalize(path).split("/").includes("..")) {
    throw new TrackingError("INVALID_PARAMETER_VALUE", `Invalid artifact path: '${path}'`, {
      hint: "artifact paths are relative and may not contain '..'",
    });
  }
  return join(root, path);
}

/**
 * A run's artifact folder on the local disk.
 *
 * @example
 * ```ts
 * const repo = new LocalArtifactRepository("file:///p/mlartifacts/1/abc/artifacts");
 * await repo.logText("hello", "notes/readme.txt");
 * ```
 */
export class LocalArtifactRepository {
  readonly root: string;

  constructor(artifactUri: string) {
    this.root = localPath(artifactUri);
  }

  /** Copies a file or a whole folder under `artifactPath`. */
  async logArtifact(localFile: string, artifactPath?: string): Promise<void> {
    const stat = await Deno.stat(localFile).catch(() => undefined);
    if (!stat) {
      throw new TrackingError(
        "RESOURCE_DOES_NOT_EXIST",
        `Cannot log artifact ${localFile}: it does not exist`,
        {
          hint: "save the file before logging it",
        },
      );
    }
    const target = join(safeJoin(this.root, artifactPath), basename(localFile));
    if (stat.isDirectory) await copyDir(localFile, target);
    else {
      await Deno.mkdir(dirname(target), { recursive: true });
      await Deno.copyFile(localFile, target);
    }
  }

  async logText(text: string, artifactFile: string): Promise<void> {
    const target = safeJoin(this.root, artifactFile);
    await Deno.mkdir(dirname(target), { recursive: true });
    await Deno.writeTextFile(target, text);
  }

  /** Direct children of `path` (files with sizes, folders without), sorted by path. */
  async list(path?: string): Promise<FileInfo[]> {
    const dir = safeJoin(this.root, path);
    const stat = await Deno.stat(dir).catch(() => undefined);
    if (!stat?.isDirectory) return [];
    const out: FileInfo[] = [];
    for await (const e of Deno.readDir(dir)) {
      const rel = relative(this.root, join(dir, e.name));
      if (e.isDirectory) out.push({ path: rel, isDir: true });
      else out.push({ path: rel, isDir: false, fileSize: (await Deno.stat(join(dir, e.name))).size });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  /** Copies `path` (file or folder) into `dstDir` and returns the local path. */
  async download(path: string, dstDir: string): Promise<string> {
    const source = safeJoin(this.root, path);
    const stat = await Deno.stat(source).catch(() => undefined);
    if (!stat) {
      throw new TrackingError(
        "RESOURCE_DOES_NOT_EXIST",
        `Artifact '${path}' does not exist in ${this.root}`,
        {
          hint: "list the run's artifacts to see what was logged",
        },
      );
    }
    const target = join(dstDir, basename(source));
    if (stat.isDirectory) await copyDir(source, target);
    else {
      await Deno.mkdir(dstDir, { recursive: true });
      await Deno.copyFile(source, target);
    }
    return target;
  }
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyDir(join(from, e.name), join(to, e.name));
    else await Deno.copyFile(join(from, e.name), join(to, e.name));
  }
}
