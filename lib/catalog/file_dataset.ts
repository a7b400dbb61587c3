/**
 * The base of every single-file dataset: local path, optional versioning, atomic saves. A dataset
 * type only supplies how to decode bytes into data and encode data into bytes.
 */
import { DatasetError } from "../errors.ts";
import { atomicWrite, fileExists } from "./atomic.ts";
import { localFilePath } from "./local_path.ts";
import type { Dataset } from "./dataset.ts";
import { assertSavable, assertWellFormed } from "./save_checks.ts";
import { checkNotVersionsFolder, VersionedPath, type VersionSpec } from "./versioning.ts";
import { readFile } from "../file_io.ts";
import { assertFitsText } from "./datasets/_text_decoding.ts";
import { promised } from "../promised.ts";
import { clonePlain } from "../plain_copy.ts";

/** Options every file dataset takes (camelCase form of the catalog entry). */
export interface FileDatasetOptions {
  /** Absolute path (the catalog makes relative paths absolute against the project root). */
  filepath: string;
  loadArgs?: Record<string, unknown>;
  saveArgs?: Record<string, unknown>;
  /** Set when the entry says `versioned: true`. */
  version?: VersionSpec;
  /** Catalog name, for messages. */
  name?: string;
  metadata?: Record<string, unknown>;
}

/**
 * A dataset stored in one local file. Wrapper datasets find the file through {@link filePath}.
 *
 * @example
 * ```ts
 * class UpperDataset extends FileDataset<string> {
 *   protected decode(bytes: Uint8Array) { return new TextDecoder().decode(bytes).toUpperCase(); }
 *   protected encode(data: string) { return data; }
 * }
 * ```
 */
export abstract class FileDataset<T = unknown> implements Dataset<T> {
  /** Absolute path of the file (for a versioned dataset, the folder holding the versions). */
  readonly filepath: string;
  /** The entry's `load_args`, as written (snake_case). */
  readonly loadArgs: Record<string, unknown>;
  /** The entry's `save_args`, as written (snake_case). */
  readonly saveArgs: Record<string, unknown>;
  /** The entry's free-form `metadata`. */
  readonly metadata?: Record<string, unknown>;
  /** Version resolution; undefined when the dataset is not versioned. */
  readonly versioned: VersionedPath | undefined;
  /** The concrete path of the last load or save (the versioned file, when versioned). */
  lastPath?: string;
  #lastSaved?: string;
  /** The catalog name, for messages (the filepath when built without one). */
  readonly #name: string;

  /**
   * Refuses an empty `filepath` (`dataset/missing-filepath`) and a remote URL (this dataset reads local
   * files).
   */
  constructor(options: FileDatasetOptions) {
    if (typeof options.filepath !== "string" || options.filepath === "") {
      throw new DatasetError("dataset/missing-filepath", `${new.target.name} needs a filepath`, {
        hint: "add `filepath: data/…` to the catalog entry",
      });
    }
    this.filepath = localFilePath(options.filepath, "filepath");
    this.loadArgs = options.loadArgs ?? {};
    this.saveArgs = options.saveArgs ?? {};
    this.metadata = options.metadata;
    this.#name = options.name ?? options.filepath;
    this.versioned = options.version
      ? new VersionedPath(options.filepath, options.version, options.name ?? options.filepath)
      : undefined;
  }

  /** Turns the file's bytes into data; `path` is the concrete file, for messages. */
  protected abstract decode(bytes: Uint8Array, path: string): T | Promise<T>;
  /** Turns data into bytes (or text); throw a DatasetError for data of the wrong shape. */
  protected abstract encode(data: T): Uint8Array | string | Promise<Uint8Array | string>;

  /** Whether `decode` reads the bytes as one text (CSV, JSON, YAML, text): see `assertFitsText`. */
  protected readonly loadsText: boolean = false;

  /**
   * Reads and decodes the file (the pinned or newest version when versioned); a missing file is
   * `dataset/file-not-found`.
   */
  async load(): Promise<T> {
    const path = this.versioned ? this.versioned.loadPath() : this.filepath;
    if (this.loadsText) assertFitsText(path);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new DatasetError("dataset/file-not-found", `File ${path} does not exist`, {
          hint: "check filepath in the catalog, or run the node that produces this dataset first",
        });
      }
      if (!this.versioned) checkNotVersionsFolder(path, this.#name, "load");
      throw error;
    }
    this.lastPath = path;
    return await this.decode(bytes, path);
  }

  /**
   * Encodes `data` and writes it atomically (a new version folder when versioned): readers never see half a
   * file.
   */
  async save(data: T): Promise<void> {
    assertSavable(data, this.constructor.name);
    // Encode first: a value of the wrong shape must not leave an empty version folder behind.
    const bytes = await this.encode(data);
    if (typeof bytes === "string") assertWellFormed(bytes, this.constructor.name);
    const path = this.versioned ? this.versioned.savePath() : this.filepath;
    try {
      await atomicWrite(path, bytes);
    } catch (error) {
      if (!this.versioned) checkNotVersionsFolder(path, this.#name, "save");
      throw error;
    }
    this.recordSave(path);
  }

  /** Marks `path` as this instance's saved data, for subclasses that write it themselves (a folder). */
  protected recordSave(path: string): void {
    this.versioned?.committed();
    this.lastPath = this.#lastSaved = path;
  }

  /** Whether the file (or, when versioned, the version a load would read) exists. */
  exists(): Promise<boolean> {
    return promised(() => this.versioned ? this.versioned.exists() : fileExists(this.filepath));
  }

  release(): void {
    this.versioned?.reset();
  }

  /** The saved versions, newest first (none when the dataset is not versioned). */
  listVersions(): string[] {
    return this.versioned?.listVersions() ?? [];
  }

  /**
   * The concrete file: the one this instance last saved, else the one a load would read (the pinned
   * or newest version when versioned). Throws when a versioned dataset has no version yet.
   */
  filePath(): string {
    if (this.#lastSaved !== undefined) return this.#lastSaved;
    return this.versioned ? this.versioned.loadPath() : this.filepath;
  }

  /** What the dataset is, as `kmlf catalog describe` shows it: a copy (changing it changes no load or save). */
  describe(): Record<string, unknown> {
    return clonePlain({
      filepath: this.filepath,
      ...(Object.keys(this.loadArgs).length ? { load_args: this.loadArgs } : {}),
      ...(Object.keys(this.saveArgs).length ? { save_args: this.saveArgs } : {}),
      ...(this.versioned ? { versioned: true } : {}),
    });
  }
}

/**
 * Whether `dataset` stores one local file it can name (file datasets, and wrappers that delegate).
 *
 * @example
 * ```ts
 * if (hasFilePath(ds)) console.log(ds.filePath());
 * ```
 */
export function hasFilePath(dataset: unknown): dataset is Dataset & { filePath(): string } {
  return typeof (dataset as { filePath?: unknown } | null)?.filePath === "function";
}
