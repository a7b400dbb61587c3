/** CSV files as arrays of row objects with typed values; pandas' argument names work. */
import { FileDataset } from "../file_dataset.ts";
// Loaded with the dataset, not on its first load or save: a run importing the codecs in the middle of its
// first nodes took the demo ~3 ms longer than loading them with the command (bench/README.md).
import { type CsvLoadArgs, type CsvRow, type CsvSaveArgs, decodeCsv, encodeCsv } from "./_csv_codec.ts";

export type { CsvLoadArgs, CsvRow, CsvSaveArgs };

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
  protected decode(bytes: Uint8Array, path: string): CsvRow[] {
    return decodeCsv(bytes, path, this.loadArgs as CsvLoadArgs);
  }

  /**
   * Writes row objects as CSV with `save_args` (pandas' `to_csv` names); anything but an array of row objects
   * is refused.
   */
  protected encode(rows: CsvRow[]): string {
    return encodeCsv(rows, this.saveArgs as CsvSaveArgs);
  }
}
