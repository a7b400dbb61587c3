/** A folder of files of one underlying dataset type, loaded lazily partition by partition. */
import { join, relative } from "node:path";
import { DatasetError } from "../../errors.ts";
import { pathExists } from "../atomic.ts";
import type { Dataset } from "../dataset.ts";

/** Load result: partition id → function loading that partition. */
export type PartitionLoaders = Record<string, () => Promise<unknown>>;

/** Options of {@link PartitionedDataset}. */
export interface PartitionedOptions {
  /** Absolute folder path. */
  path: string;
  /** Creates the underlying dataset for one partition file. */
  createPartition(filepath: string, id: string): Promise<Dataset>;
  /** Only files ending with this suffix are partitions; the id drops it. */
  filenameSuffix?: string;
  /** Delete partitions that are not in a new save (after writing the new ones). */
  overwrite?: boolean;
}

/**
 * Kedro's PartitionedDataset. Load returns `{id: () => Promise<data>}` without reading any file;
 * save takes `{id: data}` or `{id: () => data}` (computed one at a time, to bound memory).
 *
 * @example
 * ```ts
 * const parts = await partitioned.load();
 * for (const [id, load] of Object.entries(parts)) console.log(id, await load());
 * ```
 */
export class PartitionedDataset implements Dataset<Record<string, unknown>> {
  readonly path: string;
  readonly filenameSuffix: string;
  readonly overwrite: boolean;
  readonly #create: PartitionedOptions["createPartition"];

  constructor(options: PartitionedOptions) {
    this.path = options.path;
    this.filenameSuffix = options.filenameSuffix ?? "";
    this.overwrite = options.overwrite ?? false;
    this.#create = options.createPartition;
  }

  async load(): Promise<PartitionLoaders> {
    const ids = await this.partitionIds();
    if (ids.length === 0) {
      throw new DatasetError("dataset/no-partitions", `No partitions found in ${this.path}`, {
        hint: this.filenameSuffix
          ? `only files ending with "${this.filenameSuffix}" count`
          : "save the partitions first",
      });
    }
    const loaders: PartitionLoaders = {};
    for (const id of ids) {
      loaders[id] = async () => await (await this.#create(this.fileOf(id), id)).load();
    }
    return loaders;
  }

  async save(partitions: Record<string, unknown>): Promise<void> {
    if (typeof partitions !== "object" || partitions === null || Array.isArray(partitions)) {
      throw new DatasetError(
        "dataset/not-partitions",
        "PartitionedDataset saves an object of partition id → data",
        {
          hint: "return {id: data} (or {id: () => data} to compute lazily) from the node",
        },
      );
    }
    const before = this.overwrite ? await this.partitionIds() : [];
    for (const [id, value] of Object.entries(partitions)) {
      if (id.split("/").some((p) => p === ".." || p === "") || id.startsWith("/")) {
        throw new DatasetError("dataset/bad-partition-id", `Partition id "${id}" is not a relative path`, {
          hint: "use ids like 2024-01 or a/b",
        });
      }
      const data = typeof value === "function" ? await (value as () => unknown)() : value;
      await (await this.#create(this.fileOf(id), id)).save(data);
    }
    for (const id of before) if (!(id in partitions)) await Deno.remove(this.fileOf(id)).catch(() => {});
  }

  async exists(): Promise<boolean> {
    return (await pathExists(this.path)) && (await this.partitionIds()).length > 0;
  }

  describe(): Record<string, unknown> {
    return { path: this.path, filename_suffix: this.filenameSuffix };
  }

  private fileOf(id: string): string {
    return join(this.path, id + this.filenameSuffix);
  }

  private async partitionIds(): Promise<string[]> {
    const ids: string[] = [];
    const walk = async (dir: string) => {
      for await (const e of Deno.readDir(dir)) {
        if (e.name.startsWith(".")) continue;
        const p = join(dir, e.name);
        if (e.isDirectory) await walk(p);
        else if (e.name.endsWith(this.filenameSuffix)) {
          ids.push(
            relative(this.path, p).slice(0, this.filenameSuffix ? -this.filenameSuffix.length : undefined),
          );
        }
      }
    };
    if (await pathExists(this.path)) await walk(this.path);
    return ids.sort();
  }
}
