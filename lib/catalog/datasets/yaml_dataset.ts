/** YAML files: any YAML value. */
import { DatasetError, KmlfError } from "../../errors.ts";
import { toYaml } from "../../yaml/dump.ts";
import { parseYaml } from "../../yaml/parse_yaml.ts";
import { PYYAML_SCHEMA } from "../../yaml/yaml11.ts";
import { FileDataset } from "../file_dataset.ts";
import { decodeText } from "./_text_decoding.ts";
import { unserializableError } from "./_plain_data.ts";

/**
 * Any YAML value. Syntax errors name the file, line and column.
 *
 * @example
 * ```ts
 * const ds = new YamlDataset({ filepath: "/tmp/config.yml" });
 * await ds.save({ layers: [64, 32] });
 * ```
 */
export class YamlDataset<T = unknown> extends FileDataset<T> {
  protected decode(bytes: Uint8Array, path: string): T {
    const text = decodeText(bytes, path);
    try {
      // Read as Kedro's YAMLDataset reads (PyYAML's safe_load): `yes` is true, `2024-01-01` a date.
      return parseYaml(text, path, { schema: PYYAML_SCHEMA }).value as T;
    } catch (error) {
      if (!(error instanceof KmlfError)) throw error;
      throw new DatasetError("dataset/bad-yaml", error.message, { source: error.source, hint: error.hint });
    }
  }

  protected encode(data: T): string {
    // Checked first: js-yaml refuses a BigInt, and a cycle would recurse until the stack overflows.
    const problem = unserializableError(data, "YAML");
    if (problem) throw problem;
    return toYaml(data);
  }
}
