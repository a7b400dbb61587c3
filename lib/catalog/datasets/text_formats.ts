/** Text-based file datasets: JSON, YAML and plain text. */
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { DatasetError } from "../../errors.ts";
import { FileDataset } from "../file_dataset.ts";

const decoder = new TextDecoder();

/**
 * Any JSON value. `save_args: {indent: 2}` controls formatting (default 2).
 *
 * @example
 * ```ts
 * const ds = new JsonDataset({ filepath: "/tmp/m.json" });
 * await ds.save({ accuracy: 0.9 });
 * ```
 */
export class JsonDataset<T = unknown> extends FileDataset<T> {
  protected decode(bytes: Uint8Array): T {
    try {
      return JSON.parse(decoder.decode(bytes));
    } catch (error) {
      throw new DatasetError(
        "dataset/bad-json",
        `File ${this.lastPath ?? this.filepath} is not valid JSON: ${(error as Error).message}`,
        {
          hint: "fix the file or point filepath at a JSON file",
        },
      );
    }
  }
  protected encode(data: T): string {
    const indent = (this.saveArgs.indent as number | undefined) ?? 2;
    return JSON.stringify(data, null, indent) + "\n";
  }
}

/**
 * Any YAML value.
 *
 * @example
 * ```ts
 * const ds = new YamlDataset({ filepath: "/tmp/cfg.yml" });
 * ```
 */
export class YamlDataset<T = unknown> extends FileDataset<T> {
  protected decode(bytes: Uint8Array): T {
    return parseYaml(decoder.decode(bytes)) as T;
  }
  protected encode(data: T): string {
    return stringifyYaml(data);
  }
}

/**
 * A UTF-8 string.
 *
 * @example
 * ```ts
 * const ds = new TextDataset({ filepath: "/tmp/notes.txt" });
 * ```
 */
export class TextDataset extends FileDataset<string> {
  protected decode(bytes: Uint8Array): string {
    return decoder.decode(bytes);
  }
  protected encode(data: string): string {
    if (typeof data !== "string") {
      throw new DatasetError("dataset/not-text", `TextDataset can only save strings, got ${typeof data}`, {
        hint: "return a string from the node, or use a json/pickle dataset",
      });
    }
    return data;
  }
}
