/**
 * The base of every single-file dataset: local path, optional versioning, atomic saves. A dataset
 * type only supplies how to decode bytes into data and encode data into bytes.
 */
import { DatasetError } from "../errors.ts";
import { atomicWrite, pathExists } from "./atomic.ts";
import type { Dataset } from "./dataset.ts";
import { VersionedPath, type VersionSpec } from "./versioning.ts";

/** Options every file dataset takes (camelCase form of the catalog entry). */
export interface FileDatasetOptions {
  /** Absolute path (the catalog makes relative paths absolute against the project root). */
  filepath: string;
  loadArgs?: Record<string, unknown>;
  saveArgs?: Record<string, unknown>;
  /** Set when `versioned: true`. */
  version?: VersionSpec;
  /** Catalog name, for messages. */
  name?: string;
  metadata?: Record<string, unknown>;
}

/**
 * A dataset stored in one local file.
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
  readonly filepath: string;
  readonly loadArgs: Record<string, unknown>;
  readonly saveArgs: Record<string, unknown>;
  readonly metadata?: Record<string, unknown>;
  readonly versioned: VersionedPath | undefined;
  /** The concrete path of the last load or save (the versioned file, when versioned). */
  lastPath?: string;

  constructor(options: FileDatasetOptions) {
    if (typeof options.filepath !== "string" || options.filepath === "") {
      throw new DatasetError("dataset/missing-filepath", `${this.constructor.name} needs a filepath`, {
        hint: "add `filepath: data/…` to the catalog entry",
      });
    }
    this.filepath = options.filepath;
    this.loadArgs = options.loadArgs ?? {};
    this.saveArgs = options.saveArgs ?? {};
    this.metadata = options.metadata;
    this.versioned = options.version
      ? new VersionedPath(options.filepath, options.version, options.name ?? options.filepath)
      : undefined;
  }

  protected abstract decode(bytes: Uint8Array): T | Promise<T>;
  protected abstract encode(data: T): Uint8Array | string | Promise<Uint8Array | string>;

  async load(): Promise<T> {
    const path = this.versioned ? await this.versioned.loadPath() : this.filepath;
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new DatasetError("dataset/file-not-found", `File ${path} does not exist`, {
          hint: "check filepath in the catalog, or run the node that produces this dataset first",
        });
      }
      throw error;
    }
    this.lastPath = path;
    return await this.decode(bytes);
  }

  async save(data: T): Promise<void> {
    const path = this.versioned ? await this.versioned.savePath() : this.filepath;
    await atomicWrite(path, await this.encode(data));
    this.lastPath = path;
  }

  async exists(): Promise<boolean> {
    return this.versioned ? (await this.versioned.list()).length > 0 : await pathExists(this.filepath);
  }

  release(): void {
    this.versioned?.reset();
  }

  describe(): Record<string, unknown> {
    return {
      filepath: this.filepath,
      ...(Object.keys(this.loadArgs).length ? { load_args: this.loadArgs } : {}),
      ...(Object.keys(this.saveArgs).length ? { save_args: this.saveArgs } : {}),
      ...(this.versioned ? { versioned: true } : {}),
    };
  }
}
