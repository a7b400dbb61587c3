/** Kedro-style versioned paths: `<filepath>/<YYYY-MM-DDThh.mm.ss.sssZ>/<basename>`. */
import { basename, join } from "node:path";
import { DatasetError } from "../errors.ts";
import { pathExists } from "./atomic.ts";

/**
 * A version string for `date` (UTC, milliseconds); lexicographic order is time order.
 *
 * @example
 * ```ts
 * generateVersion(new Date(0)); // "1970-01-01T00.00.00.000Z"
 * ```
 */
export function generateVersion(date: Date = new Date()): string {
  return date.toISOString().replace(/:/g, ".");
}

/** The versions a versioned dataset should use. */
export interface VersionSpec {
  /** Pinned load version; latest existing when undefined. */
  load?: string;
  /** The save version (the run id). */
  save?: string;
}

/**
 * Resolves the concrete file paths of a versioned dataset.
 *
 * @example
 * ```ts
 * const v = new VersionedPath("/p/data/model.pkl", { save: "2024-01-01T00.00.00.000Z" }, "model");
 * v.savePath(); // "/p/data/model.pkl/2024-01-01T00.00.00.000Z/model.pkl"
 * ```
 */
export class VersionedPath {
  #latest?: string;

  constructor(readonly filepath: string, readonly version: VersionSpec, readonly datasetName: string) {
    for (const v of [version.load, version.save]) if (v !== undefined) checkVersion(v, datasetName);
  }

  /** Path to write: must not exist yet; a plain file at `filepath` is an error. */
  async savePath(): Promise<string> {
    const save = this.version.save ?? generateVersion();
    const stat = await Deno.stat(this.filepath).catch(() => undefined);
    if (stat?.isFile) {
      throw new DatasetError(
        "dataset/versioned-file-conflict",
        `Cannot save versioned dataset "${this.datasetName}": a plain file already exists at ${this.filepath}`,
        {
          hint: "versioning was probably enabled after the dataset had been saved; move or delete that file",
        },
      );
    }
    const path = join(this.filepath, save, basename(this.filepath));
    if (await pathExists(path)) {
      throw new DatasetError(
        "dataset/version-exists",
        `Save path ${path} for "${this.datasetName}" already exists`,
        {
          hint:
            "each run saves a versioned dataset once; a node probably saved it twice, or the clock went backwards",
        },
      );
    }
    this.#latest = save;
    return path;
  }

  /** Path to read: the pinned version, else the newest existing one. */
  async loadPath(): Promise<string> {
    const version = this.version.load ?? this.#latest ?? await this.latest();
    const path = join(this.filepath, version, basename(this.filepath));
    if (!(await pathExists(path))) {
      const available = await this.list();
      throw new DatasetError(
        "dataset/version-not-found",
        `Version ${version} of "${this.datasetName}" does not exist (${path})`,
        {
          hint: available.length
            ? `available versions, newest first: ${available.slice(0, 5).join(", ")}`
            : "no version has been saved yet; run the node that produces it first",
        },
      );
    }
    return path;
  }

  /** Existing versions, newest first. */
  async list(): Promise<string[]> {
    const versions: string[] = [];
    try {
      for await (const e of Deno.readDir(this.filepath)) {
        if (e.isDirectory && (await pathExists(join(this.filepath, e.name, basename(this.filepath))))) {
          versions.push(e.name);
        }
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) throw error;
    }
    return versions.sort().reverse();
  }

  /** Forgets the cached latest version (after a release). */
  reset(): void {
    this.#latest = undefined;
  }

  private async latest(): Promise<string> {
    const [newest] = await this.list();
    if (!newest) {
      throw new DatasetError(
        "dataset/no-versions",
        `Did not find any versions of "${this.datasetName}" in ${this.filepath}`,
        {
          hint: "run the node that saves it first, or pin one with --load-versions name:version",
        },
      );
    }
    return newest;
  }
}

function checkVersion(version: string, name: string): void {
  if (version === "" || version === "." || version === ".." || /[\\/]/.test(version)) {
    throw new DatasetError("dataset/bad-version", `Version string "${version}" of "${name}" is not allowed`, {
      hint: "a version is one path component like 2024-01-15T10.30.00.000Z",
    });
  }
}
