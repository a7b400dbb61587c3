/**
 * The contract every dataset implements, built-in or user-supplied
 * (`type: ./datasets/my_dataset.ts#MyDataset` in catalog.yml).
 *
 * @module
 */

/**
 * A named source/sink of data. All I/O methods may be async; the catalog always awaits them.
 *
 * @example
 * ```ts
 * class UpperTextDataset implements Dataset<string> {
 *   constructor(private opts: { filepath: string }) {}
 *   async load() { return (await Deno.readTextFile(this.opts.filepath)).toUpperCase(); }
 *   async save(data: string) { await Deno.writeTextFile(this.opts.filepath, data); }
 *   async exists() { try { await Deno.stat(this.opts.filepath); return true; } catch { return false; } }
 *   describe() { return { filepath: this.opts.filepath }; }
 * }
 * ```
 */
export interface Dataset<T = unknown> {
  /** Reads the data; a missing source is a `DatasetError` naming it. */
  load(): Promise<T> | T;
  /** Writes the data, replacing what was there. */
  save(data: T): Promise<void> | void;
  /** Whether there is data to load (`--only-missing-outputs` and `kmlf catalog` ask). */
  exists(): Promise<boolean> | boolean;
  /** Frees cached/in-memory data (called after the last consumer of an intermediate dataset ran). */
  release?(): Promise<void> | void;
  /** Optional confirmation step run after the node listing it in `confirms` succeeded. */
  confirm?(): Promise<void> | void;
  /**
   * The saved versions of a versioned dataset, newest first (Kedro's `list_versions`); a dataset that has
   * it reads a `--load-versions` pin from its own storage, so kmlf checks the pin exists before a run.
   */
  listVersions?(): string[] | Promise<string[]>;
  /** Constructor arguments worth showing in `kmlf catalog` output and logs. */
  describe(): Record<string, unknown>;
  /** True for datasets that do not persist across runs (Memory): affects resume hints and --only-missing-outputs. */
  readonly ephemeral?: boolean;
}
