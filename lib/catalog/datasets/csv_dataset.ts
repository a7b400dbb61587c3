/** CSV files as arrays of row objects with typed values; pandas' argument names work. */
import { DeferredModule } from "../../deferred_module.ts";
import { FileDataset } from "../file_dataset.ts";
import type { CsvLoadArgs, CsvRow, CsvSaveArgs } from "./_csv_codec.ts";

export type { CsvLoadArgs, CsvRow, CsvSaveArgs };

// The parser, the writer and pandas' reading options (~40 KB) load with the first load or save: a command
// that only builds the catalog (`kmlf catalog list`) does not read them.
const codec = new DeferredModule<typeof import("./_csv_codec.ts")>(() =>
  import(new URL("./_csv_codec.ts", import.meta.url).href)
);

/**
 * CSV rows. Loads `[{sepal_length: 5.1, species: "setosa"}, …]`; saves the same shape with a header.
 *
 * @example
 * ```ts
 * const ds = new CsvDataset({ filepath: "/tmp/iris.csv", loadArgs: { sep: ";", na_values: ["n/a"] } });
 * const rows = await ds.load();
 * ```
 */
export class CsvDataset extends FileDataset<CsvRow[]> {
  /** Read as one text: a file too big for a JavaScript string is refused before it is read. */
  protected override readonly loadsText = true;

  /** Parses the CSV text with `load_args` (pandas' `read_csv` names) into typed row objects. */
  protected decode(bytes: Uint8Array, path: string): CsvRow[] | Promise<CsvRow[]> {
    const args = this.loadArgs as CsvLoadArgs;
    return codec.use((m) => m.decodeCsv(bytes, path, args));
  }

  /**
   * Writes row objects as CSV with `save_args` (pandas' `to_csv` names); anything but an array of row objects
   * is refused.
   */
  protected encode(rows: CsvRow[]): string | Promise<string> {
    const args = this.saveArgs as CsvSaveArgs;
    return codec.use((m) => m.encodeCsv(rows, args));
  }
}
