/** YAML files: any YAML value. */
import { DatasetError, KmlfError } from "../../errors.ts";
import { pyyamlDump } from "../../yaml/pyyaml_dump.ts";
import { parseYaml } from "../../yaml/parse_yaml.ts";
import { PYYAML_SCHEMA } from "../../yaml/yaml11.ts";
import { FileDataset } from "../file_dataset.ts";
import { decodeText } from "./_text_decoding.ts";
import { unserializableError } from "./_plain_data.ts";

/**
 * Any YAML value, read as PyYAML's `safe_load` reads it and written byte for byte as Kedro's YAMLDataset
 * writes it (`yaml.dump(data, default_flow_style=False, **save_args)`: keys sorted, non-ASCII escaped,
 * long texts folded at column 80); `save_args` takes yaml.dump's `allow_unicode`, `sort_keys`, `indent` and
 * `width`. Syntax errors name the file, line and column. A mapping saved back keeps what PyYAML read of its
 * keys: `1:` and `2024-01-02:` are written as the int and the date (unquoted, sorted as Python sorts them;
 * left in order when Python could not compare them), and with `sort_keys: false` the file's order stays,
 * integer-like keys included.
 *
 * @example
 * ```ts
 * const ds = new YamlDataset({ filepath: "/tmp/config.yml" });
 * await ds.save({ layers: [64, 32] });
 * ```
 */
export class YamlDataset<T = unknown> extends FileDataset<T> {
  /** Read as one text: a file too big for a JavaScript string is refused before it is read. */
  protected override readonly loadsText = true;

  /**
   * Parses YAML as PyYAML's `safe_load` does; syntax errors are `dataset/bad-yaml` with file, line and
   * column.
   */
  protected decode(bytes: Uint8Array, path: string): T {
    const text = decodeText(bytes, path);
    try {
      // Read as Kedro's YAMLDataset reads (PyYAML's safe_load): `yes` is true, `2024-01-01` a date.
      return parseYaml(text, path, { schema: PYYAML_SCHEMA, sourceKeys: true }).value as T;
    } catch (error) {
      if (!(error instanceof KmlfError)) throw error;
      throw new DatasetError("dataset/bad-yaml", error.message, { source: error.source, hint: error.hint });
    }
  }

  /** Writes YAML as Kedro's YAMLDataset (PyYAML's `dump`) does; values YAML cannot hold are refused. */
  protected encode(data: T): string {
    // Checked first, to name the path: a BigInt would not read back (kmlf holds no integer past 2^53 - 1).
    const problem = unserializableError(data, "YAML");
    if (problem) throw problem;
    const args = this.saveArgs as {
      allow_unicode?: boolean;
      sort_keys?: boolean;
      indent?: number;
      width?: number;
    };
    return pyyamlDump(data, {
      emitter: "python",
      allowUnicode: args.allow_unicode,
      sortKeys: args.sort_keys,
      indent: args.indent,
      width: args.width,
    });
  }
}
