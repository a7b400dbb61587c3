/** A partitioned folder that loads only the partitions newer than its checkpoint (Kedro's IncrementalDataset). */
import { DatasetError } from "../../errors.ts";
import type { Dataset } from "../dataset.ts";
import { orderedRecord } from "../ordered_record.ts";
import { type PartitionedOptions, PartitionFolder } from "./partitioned_dataset.ts";

/** Whether partition `partitionId` is still to be processed, given the checkpoint (Python's `operator.gt`). */
export type PartitionComparison = (partitionId: string, checkpoint: string) => boolean | Promise<boolean>;

/** Options of {@link IncrementalDataset}. */
export interface IncrementalOptions extends Omit<PartitionedOptions, "overwrite" | "sortFolders"> {
  /** Holds the id of the last processed partition (by default a text file `<path>/CHECKPOINT`). */
  checkpoint: Dataset;
  /** Absolute path of the checkpoint file, when it lies in the folder: it is never a partition. */
  checkpointPath?: string;
  /** Used instead of the stored checkpoint when set (`""` reloads every partition). */
  forceCheckpoint?: string;
  /** Default: partition ids greater than the checkpoint, compared as strings. */
  comparison?: PartitionComparison;
}

/**
 * Kedro's IncrementalDataset: a partitioned folder whose load returns `{id: data}` (already
 * loaded, not functions) for the partitions past its checkpoint only; `confirm()` (run by kmlf after the
 * node that `confirms:` it succeeded) moves the checkpoint to the last partition that load listed, so
 * partitions added while the node ran are read by the next run.
 *
 * @example
 * ```ts
 * const parts = new IncrementalDataset({
 *   path: "/tmp/parts",
 *   filenameSuffix: ".json",
 *   createPartition: (filepath) => new JsonDataset({ filepath }),
 *   checkpoint: new TextDataset({ filepath: "/tmp/parts/CHECKPOINT" }),
 *   checkpointPath: "/tmp/parts/CHECKPOINT",
 * });
 * await parts.load(); // every partition: nothing was processed yet
 * await parts.confirm();
 * parts.release();
 * await parts.load(); // {}: no partition is newer than the checkpoint
 * ```
 */
export class IncrementalDataset extends PartitionFolder {
  readonly #checkpoint: Dataset;
  readonly #forceCheckpoint?: string;
  readonly #comparison: PartitionComparison;
  // The ids a load saw: confirm() must record what was processed, not what appeared since.
  #listed?: Promise<string[]>;

  constructor(options: IncrementalOptions) {
    super({ ...options, overwrite: false, notPartition: options.checkpointPath, sortFolders: true });
    this.#checkpoint = options.checkpoint;
    this.#forceCheckpoint = options.forceCheckpoint;
    this.#comparison = options.comparison ?? ((id, checkpoint) => id > checkpoint);
  }

  /** Loads every partition past the checkpoint; `{}` when there is none. */
  override async load(): Promise<Record<string, unknown>> {
    this.assertComplete();
    const loaded: [string, unknown][] = [];
    for (const id of await this.newPartitionIds()) loaded.push([id, await this.loadPartition(id)]);
    return orderedRecord(loaded); // in id order, even for ids like "10" and "2"
  }

  override async save(partitions: Record<string, unknown>): Promise<void> {
    this.#listed = undefined;
    try {
      await super.save(partitions);
    } finally {
      this.#listed = undefined;
    }
  }

  /** True when some partition is past the checkpoint. */
  override async exists(): Promise<boolean> {
    return (await this.newPartitionIds()).length > 0;
  }

  /** Forgets the partitions listed, so that the next load reads the checkpoint and the folder again. */
  release(): void {
    this.#listed = undefined;
  }

  /** Moves the checkpoint to the last partition the load listed (nothing to do when it listed none). */
  async confirm(): Promise<void> {
    const ids = await this.newPartitionIds();
    if (ids.length > 0) await this.#checkpoint.save(ids[ids.length - 1]);
  }

  override describe(): Record<string, unknown> {
    return {
      ...super.describe(),
      checkpoint: this.#checkpoint.describe(),
      ...(this.#forceCheckpoint !== undefined ? { force_checkpoint: this.#forceCheckpoint } : {}),
    };
  }

  /** The ids past the checkpoint, sorted, as listed by the first call since the last save or release. */
  newPartitionIds(): Promise<string[]> {
    return this.#listed ??= this.#list().catch((error) => {
      this.#listed = undefined;
      throw error;
    });
  }

  async #list(): Promise<string[]> {
    const checkpoint = await this.#readCheckpoint();
    const ids: string[] = [];
    for (const id of await this.partitionIds()) {
      if (checkpoint === undefined || await this.#comparison(id, checkpoint)) ids.push(id);
    }
    return ids;
  }

  async #readCheckpoint(): Promise<string | undefined> {
    if (this.#forceCheckpoint !== undefined) return this.#forceCheckpoint;
    if (!await this.#checkpoint.exists()) return undefined; // nothing processed yet
    const value = await this.#checkpoint.load();
    if (typeof value !== "string") {
      throw new DatasetError(
        "dataset/bad-checkpoint",
        `The checkpoint of ${this.path} holds ${value === null ? "null" : typeof value}, not a partition id`,
        {
          hint: "a checkpoint holds the id of the last processed partition as text: fix or delete the " +
            "checkpoint file (deleting it reloads every partition)",
        },
      );
    }
    return value;
  }

  private async loadPartition(id: string): Promise<unknown> {
    return await (await this.createPartitionOf(id)).load();
  }
}
