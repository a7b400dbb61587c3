/**
 * Kedro-style versioned paths: `<filepath>/<YYYY-MM-DDThh.mm.ss.sssZ>/<basename>`. Lookups are
 * synchronous (one small directory listing) so wrappers can ask for the current file at any time.
 */
import { basename, join } from "../path.ts";
import { DatasetError } from "../errors.ts";

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

/**
 * Throws unless `version` is one safe path component (not empty, `.`, `..`, and without slashes).
 *
 * @example
 * ```ts
 * checkVersion("2024-01-15T10.30.00.000Z", "cars"); // ok
 * checkVersion("../x", "cars"); // throws DatasetError dataset/bad-version
 * ```
 */
export function checkVersion(version: string, datasetName: string): void {
  if (version === "" || version === "." || version === ".." || /[\\/\0]/.test(version)) {
    throw new DatasetError(
      "dataset/bad-version",
      `Version string "${version}" of "${datasetName}" is not allowed`,
      {
        hint: "a version is one path component like 2024-01-15T10.30.00.000Z",
      },
    );
  }
}

/** The versions a versioned dataset should use. */
export interface VersionSpec {
  /** Pinned load version; the newest existing one when undefined. */
  load?: string;
  /** The save version (the run id); generated once per instance when undefined. */
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
  /** The dataset's `filepath`: the folder holding one subfolder per version. */
  readonly filepath: string;
  /** The catalog name, for messages. */
  readonly datasetName: string;
  /** The pinned load version, if any. */
  readonly pinned: string | undefined;
  /** The version every save of this instance writes. */
  readonly saveVersion: string;
  #latest?: string;

  /** Checks the pinned and save versions are valid version names. */
  constructor(filepath: string, version: VersionSpec, datasetName: string = filepath) {
    this.filepath = filepath;
    this.datasetName = datasetName;
    for (const v of [version.load, version.save]) if (v !== undefined) checkVersion(v, datasetName);
    this.pinned = version.load;
    this.saveVersion = version.save ?? generateVersion();
  }

  /** Path to write: must not exist yet; a plain file at `filepath` is an error. */
  savePath(): string {
    this.checkNotPlainFile("save");
    const path = this.pathOf(this.saveVersion);
    if (statOf(path)) {
      throw new DatasetError(
        "dataset/version-exists",
        `Save path ${path} for "${this.datasetName}" must not exist if versioning is enabled`,
        { hint: "each run saves a versioned dataset once; a node probably saved it twice in one run" },
      );
    }
    return path;
  }

  /** Records a successful save: later loads read it unless a load version is pinned. */
  committed(): void {
    this.#latest = this.saveVersion;
  }

  /** Path to read: the pinned version, else the newest existing one (cached until {@link reset}). */
  loadPath(): string {
    this.checkNotPlainFile("load");
    if (this.pinned !== undefined) {
      const path = this.pathOf(this.pinned);
      // Like listVersions: a version holds the file, or a folder of its name (images, model folders).
      if (!statOf(path)) {
        const available = this.listVersions();
        throw new DatasetError(
          "dataset/version-not-found",
          `Version ${this.pinned} of "${this.datasetName}" does not exist (${path})`,
          {
            hint: available.length
              ? `available versions, newest first: ${available.slice(0, 10).join(", ")}`
              : "no version has been saved yet; run the node that produces it first",
          },
        );
      }
      return path;
    }
    this.#latest ??= this.listVersions()[0];
    if (this.#latest === undefined) {
      throw new DatasetError(
        "dataset/no-versions",
        `Did not find any versions of "${this.datasetName}" in ${this.filepath}`,
        { hint: "run the node that saves it first, or pin one with --load-versions name:version" },
      );
    }
    return this.pathOf(this.#latest);
  }

  /** Whether the version {@link loadPath} would read exists. */
  exists(): boolean {
    if (statOf(this.filepath)?.isFile) return false;
    if (this.pinned !== undefined) return statOf(this.pathOf(this.pinned)) !== undefined;
    return this.#latest !== undefined || this.listVersions().length > 0;
  }

  /** Existing versions (folders holding the file or a folder of its name), newest first. */
  listVersions(): string[] {
    const versions: string[] = [];
    let entries: Iterable<Deno.DirEntry>;
    try {
      entries = Deno.readDirSync(this.filepath);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return [];
      throw new DatasetError("dataset/version-list-failed", `Cannot list versions of "${this.datasetName}"`, {
        hint: `check the permissions of ${this.filepath}`,
        cause: error,
      });
    }
    // A version holds the file, or a folder of that name (datasets that save several files, like images).
    for (const e of entries) if (e.isDirectory && statOf(this.pathOf(e.name))) versions.push(e.name);
    return versions.sort().reverse();
  }

  /** Forgets the cached latest version (after a release). */
  reset(): void {
    this.#latest = undefined;
  }

  /** The file of `version` (whether or not it exists). */
  pathOf(version: string): string {
    return join(this.filepath, version, basename(this.filepath));
  }

  /**
   * Refuses a plain file where the version folder should be.
   * @ignore
   */
  private checkNotPlainFile(action: "load" | "save"): void {
    if (!statOf(this.filepath)?.isFile) return;
    throw new DatasetError(
      "dataset/versioned-file-conflict",
      `Cannot ${action} versioned dataset "${this.datasetName}": a plain file already exists at ${this.filepath}`,
      {
        hint: "versioning was probably enabled after the dataset had been saved unversioned; " +
          "move or delete that file (versions live in a folder of that name)",
      },
    );
  }
}

function statOf(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Refuses an unversioned load or save of `filepath` when it is the folder of versions a `versioned: true`
 * entry saved (`<filepath>/<version>/<basename>`): versioning was turned off (or the entry ported without
 * it), and "it is a folder" alone would not say so. Returns quietly otherwise.
 *
 * @example
 * ```ts
 * checkNotVersionsFolder("/p/data/model.pkl", "model", "load"); // throws dataset/versioned-file-conflict
 * ```
 */
export function checkNotVersionsFolder(filepath: string, datasetName: string, action: "load" | "save"): void {
  if (!statOf(filepath)?.isDirectory) return;
  let versions = 0;
  try {
    for (const entry of Deno.readDirSync(filepath)) {
      if (entry.isDirectory && statOf(join(filepath, entry.name, basename(filepath)))) versions++;
    }
  } catch {
    return;
  }
  if (versions === 0) return;
  throw new DatasetError(
    "dataset/versioned-file-conflict",
    `${filepath} is a folder of ${versions} version(s) saved with versioned: true, and the entry of ` +
      `"${datasetName}" is not versioned (cannot ${action})`,
    {
      hint: "set versioned: true on the entry again (a load reads the newest version), or move that folder " +
        "away to keep a single file",
    },
  );
}
