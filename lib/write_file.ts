/**
 * `Deno.writeFile` and `Deno.writeTextFile` for bytes and text, without their one-time cost: both first
 * check whether the data is a `ReadableStream`, and that check makes Deno load its web streams, ~3 ms of
 * every command that writes a file (a dataset, a model folder, a file store's run). Same options
 * (`append`, `create`, `createNew`, `mode`), same errors; kmlf's modules use these instead (a test checks).
 *
 * @module
 */

/** The options of `Deno.writeFile` that kmlf uses. */
export interface WriteFileOptions {
  /** Add to the end of the file instead of replacing it. */
  append?: boolean;
  /** Create the file if it is missing (default true). */
  create?: boolean;
  /** Fail with `AlreadyExists` if the file exists. */
  createNew?: boolean;
  /** Permissions of a file this creates (before the umask). */
  mode?: number;
}

/**
 * Writes bytes to a file, replacing it (or appending), like `Deno.writeFile`.
 *
 * @example
 * ```ts
 * await writeFile("data/06_models/model.pkl", bytes);
 * ```
 */
export async function writeFile(
  path: string | URL,
  data: Uint8Array,
  options: WriteFileOptions = {},
): Promise<void> {
  const file = await Deno.open(path, {
    write: true,
    append: options.append ?? false,
    truncate: !options.append,
    create: options.create ?? true,
    createNew: options.createNew ?? false,
    mode: options.mode,
  });
  try {
    for (let written = 0; written < data.length;) written += await file.write(data.subarray(written));
  } finally {
    file.close();
  }
}

const encoder = new TextEncoder();

/**
 * Writes text as UTF-8, like `Deno.writeTextFile`.
 *
 * @example
 * ```ts
 * await writeTextFile("conf/base/mlflow.yml", yaml, { createNew: true });
 * ```
 */
export function writeTextFile(
  path: string | URL,
  text: string,
  options: WriteFileOptions = {},
): Promise<void> {
  return writeFile(path, encoder.encode(text), options);
}
