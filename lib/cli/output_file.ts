/**
 * Writing a file a command was asked to write (`-o`, `--run-id-file`): a folder, a missing parent, a
 * read-only disk become a usage error naming the option and the path, never an internal error.
 */
import { UsageError } from "../errors.ts";
import { writeTextFile } from "../file_io.ts";
import { ioProblem } from "../io_errors.ts";

/**
 * Writes `text` to `path`, given by `option`.
 *
 * @example
 * ```ts
 * await writeOutputFile("-o", "dags/iris_training.py", source);
 * ```
 */
export async function writeOutputFile(option: string, path: string, text: string): Promise<void> {
  await writeTextFile(path, text).catch((cause) => {
    const problem = ioProblem(cause, path);
    throw new UsageError(
      "cli/output-unwritable",
      `Cannot write ${option} ${path}: ${problem?.what ?? (cause as Error).message}`,
      {
        // ioProblem's hint for a folder speaks of datasets; here a file name is what is missing.
        hint: problem?.code === "is-a-directory"
          ? `name a file inside it, e.g. ${option} ${path.replace(/\/+$/, "")}/<file name>`
          : problem?.hint ?? "create its folder first, or pass a file path in a writable folder",
        cause,
      },
    );
  });
}
