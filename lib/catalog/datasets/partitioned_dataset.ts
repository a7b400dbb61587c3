/** A folder of files of one underlying dataset type, loaded lazily partition by partition. */
import { join } from "../../path.ts";
import { DatasetError, KmlfError } from "../../errors.ts";
import { pathExists } from "../atomic.ts";
import { localFilePath } from "../local_path.ts";
import type { Dataset } from "../dataset.ts";
import { assertSavable } from "../save_checks.ts";
import { orderedRecord } from "../ordered_record.ts";
import { assertPartitionIds, listPartitionIds, type PartitionLayout } from "./partition_listing.ts";
import { PARTITIONED } from "./partitioned_brand.ts";
import { clonePlain } from "../../plain_copy.ts";
import { writeTextFile } from "../../file_io.ts";

const INCOMPLETE_MARKER = ".kmlf-save-incomplete";
const INCOMPLETE_NOTE = "A kmlf save of this folder did not finish: its partitions may be incomplete.\n";

/** Load result: partition id → function loading that partition. */
export type PartitionLoaders = Record<string, () => Promise<unknown>>;

/** Options of {@link PartitionedDataset}. */
export interface PartitionedOptions {
  /** Absolute folder path. */
  path: string;
  /** Creates the underlying dataset for one partition file (each file is saved atomically by it). */
  createPartition(filepath: string, id: string): Dataset | Promise<Dataset>;
  /** Only files ending with this suffix are partitions; the id drops it. */
  filenameSuffix?: string;
  /** How many folder levels hold partitions (Kedro's `load_args.maxdepth`; 1: the folder's own files); all by default. */
  maxDepth?: number;
  /**
   * Each partition is a versioned dataset (kedro-datasets 2+): `<id><suffix>/<version>/<id><suffix>`;
   * `createPartition` gets `<path>/<id><suffix>`, the versioned dataset's filepath.
   */
  versioned?: boolean;
  /** A file in the folder that is never a partition (an incremental dataset's checkpoint). */
  notPartition?: string;
  /** Versioned partitions in the order of their folders, not of their files (IncrementalDataset's). */
  sortFolders?: boolean;
  /** Delete existing partitions that a save does not rewrite (after writing the new ones). */
  overwrite?: boolean;
  /** The underlying type, for describe(). */
  datasetType?: string;
  metadata?: Record<string, unknown>;
}

/**
 * A folder of partition files: save, exists, listing, and each partition's dataset. Subclasses say what a
 * load returns ({@link PartitionedDataset}: functions; the incremental dataset: data of new partitions).
 *
 * @example
 * ```ts
 * class AllAtOnce extends PartitionFolder {
 *   async load() { return Object.fromEntries(await Promise.all((await this.partitionIds()).map(async (id) => [id, await (await this.createPartitionOf(id)).load()]))); }
 * }
 * ```
 */
export abstract class PartitionFolder implements Dataset<Record<string, unknown>> {
  /** Absolute path of the folder. */
  readonly path: string;
  /** Only files ending with it are partitions (Kedro's `filename_suffix`; default ""). */
  readonly filenameSuffix: string;
  /** Whether a save deletes the partitions it does not rewrite (Kedro's `overwrite`; default false). */
  readonly overwrite: boolean;
  /** How many folder levels hold partitions (Kedro's `load_args.maxdepth`); undefined: all. */
  readonly maxDepth?: number;
  /** The entry's free-form `metadata`. */
  readonly metadata?: Record<string, unknown>;
  readonly #create: PartitionedOptions["createPartition"];
  readonly #datasetType?: string;
  readonly #layout: PartitionLayout;

  /** Takes the folder, the partition factory and the options of the catalog entry. */
  constructor(options: PartitionedOptions) {
    this.path = localFilePath(options.path, "path");
    this.filenameSuffix = options.filenameSuffix ?? "";
    this.overwrite = options.overwrite ?? false;
    this.maxDepth = options.maxDepth;
    this.metadata = options.metadata;
    this.#create = options.createPartition;
    this.#datasetType = options.datasetType;
    this.#layout = {
      suffix: this.filenameSuffix,
      maxDepth: options.maxDepth,
      versioned: options.versioned,
      notPartition: options.notPartition,
      sortFolders: options.sortFolders,
    };
  }

  /** What a load returns, by partition id. */
  abstract load(): Promise<Record<string, unknown>>;

  /**
   * Writes each partition through its own dataset: `{id: data}`, or `{id: () => data}` computed one at a
   * time.
   */
  async save(partitions: Record<string, unknown>): Promise<void> {
    assertSavable(partitions, this.constructor.name);
    const kind = notPlainObject(partitions);
    if (kind) {
      // A Map or a class instance has no own keys to list: it would save no partition, and an overwrite
      // would delete them all.
      throw new DatasetError(
        "dataset/not-partitions",
        `${this.constructor.name} saves an object of partition id → data, got ${kind}`,
        {
          hint: (kind === "a Map" ? "convert it with Object.fromEntries(map); " : "") +
            "return {id: data} (or {id: () => data} to compute lazily) from the node",
        },
      );
    }
    const ids = Object.keys(partitions);
    assertPartitionIds(ids, this.#layout);
    const before = this.overwrite ? await this.partitionIds() : [];
    // Partitions are written one by one: a save that fails or is interrupted halfway leaves a folder that
    // looks complete. The marker (hidden: never a partition) says it is not, until the save ends.
    Deno.mkdirSync(this.path, { recursive: true });
    await writeTextFile(this.#marker(), INCOMPLETE_NOTE);
    for (const id of ids) {
      const value = partitions[id];
      let data = value;
      try {
        if (typeof value === "function") data = await (value as () => unknown)();
      } catch (error) {
        // The node's own code failed, inside the save: say which partition's function it was.
        throw new DatasetError(
          "dataset/save-failed",
          `the function computing partition "${id}" threw: ${
            error instanceof Error ? error.message : String(error)
          }`,
          {
            cause: error,
            userCode: true,
            hint: "the node returned {id: () => data} for lazy saving: fix that function (the stack above " +
              "shows where it failed)",
          },
        );
      }
      try {
        await (await this.createPartitionOf(id)).save(data);
      } catch (error) {
        // Which partition was refused: "at value[0].x" alone does not say.
        if (!(error instanceof KmlfError)) throw error;
        throw new DatasetError(error.code, `partition "${id}": ${error.message}`, {
          source: error.source,
          hint: error.hint,
          cause: error.cause,
        });
      }
    }
    const kept = new Set(ids); // not ids.includes: quadratic over thousands of partitions
    for (const id of before) {
      // A versioned partition is a folder of versions.
      if (!kept.has(id)) await Deno.remove(this.fileOf(id), { recursive: this.#layout.versioned });
    }
    await Deno.remove(this.#marker());
  }

  /**
   * Whether the folder holds at least one partition, written by a save that finished (so
   * `--only-missing-outputs` runs again the node whose save failed or was interrupted).
   */
  async exists(): Promise<boolean> {
    return !pathExists(this.#marker()) && (await this.partitionIds()).length > 0;
  }

  /** Refuses a folder whose last save did not finish: some partitions may be missing or from before. */
  protected assertComplete(): void {
    if (!pathExists(this.#marker())) return;
    throw new DatasetError(
      "dataset/incomplete-save",
      `The partitions in ${this.path} are incomplete: the save that wrote them failed or was interrupted`,
      {
        hint: `run the node that saves this dataset again (it removes ${INCOMPLETE_MARKER} when its save ` +
          "ends); --only-missing-outputs picks it",
      },
    );
  }

  #marker(): string {
    return join(this.path, INCOMPLETE_MARKER);
  }

  describe(): Record<string, unknown> {
    return clonePlain({
      path: this.path,
      ...(this.#datasetType ? { dataset: this.#datasetType } : {}),
      ...(this.filenameSuffix ? { filename_suffix: this.filenameSuffix } : {}),
    });
  }

  /** The underlying dataset of partition `id`. */
  protected async createPartitionOf(id: string): Promise<Dataset> {
    return await this.#create(this.fileOf(id), id);
  }

  /** The file of partition `id` (`<path>/<id><suffix>`). */
  protected fileOf(id: string): string {
    return join(this.path, id + this.filenameSuffix);
  }

  /** The ids of the partitions on disk, in the order Kedro lists them (see {@link listPartitionIds}). */
  protected async partitionIds(): Promise<string[]> {
    return await listPartitionIds(this.path, this.#layout);
  }
}

// What a value that is no plain object of partitions is ("a Map", "an array"); undefined for one that is.
function notPlainObject(value: unknown): string | undefined {
  if (Array.isArray(value)) return "an array";
  if (typeof value !== "object" || value === null) return `a ${typeof value}`;
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return undefined;
  const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "" ? `a ${name}` : "an object of a class";
}

/**
 * Kedro's PartitionedDataset. Load returns `{id: () => Promise<data>}` without reading any file;
 * save takes `{id: data}` or `{id: () => data}` (computed one at a time, to bound memory).
 * Ids are paths relative to the folder, without the suffix (`2024/01` for `2024/01.csv`).
 *
 * @example
 * ```ts
 * const parts = new PartitionedDataset({
 *   path: "/tmp/parts",
 *   filenameSuffix: ".json",
 *   createPartition: (filepath) => new JsonDataset({ filepath }),
 * });
 * await parts.save({ a: { x: 1 }, b: () => ({ x: 2 }) });
 * for (const [id, load] of Object.entries(await parts.load())) console.log(id, await load());
 * ```
 */
export class PartitionedDataset extends PartitionFolder {
  /** Marks the class for {@link isPartitionedDataset} (which code that must not load this module uses). */
  readonly [PARTITIONED] = true;

  /**
   * `{id: () => Promise<data>}` for every partition, without reading any; no partition is
   * `dataset/no-partitions`.
   */
  override async load(): Promise<PartitionLoaders> {
    this.assertComplete();
    const ids = await this.partitionIds();
    if (ids.length === 0) {
      throw new DatasetError("dataset/no-partitions", `No partitions found in ${this.path}`, {
        hint: this.filenameSuffix
          ? `only files ending with "${this.filenameSuffix}" count`
          : "save the partitions first",
      });
    }
    // In id order, as Kedro's dict: a plain object would list ids like "10" and "2" first.
    return orderedRecord(ids.map((id) => [id, async () => await (await this.createPartitionOf(id)).load()]));
  }
}
