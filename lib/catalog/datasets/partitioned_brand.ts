/**
 * Whether a dataset is a PartitionedDataset, for code on every run's path that must not load the partitioned
 * dataset's module (10 KB and its listing code) just to ask: the parallel runner's checks.
 *
 * @module
 */

/** The brand PartitionedDataset instances (and subclasses) carry. */
export const PARTITIONED: unique symbol = Symbol("kmlf.PartitionedDataset");

/**
 * True for a PartitionedDataset or a subclass, as `instanceof PartitionedDataset` answers.
 *
 * @example
 * ```ts
 * isPartitionedDataset(await catalog.get("reports")); // true for a partitions.PartitionedDataset entry
 * ```
 */
export function isPartitionedDataset(value: unknown): boolean {
  return typeof value === "object" && value !== null &&
    (value as { [PARTITIONED]?: true })[PARTITIONED] === true;
}
