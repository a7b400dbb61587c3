/**
 * Writing a file a command was asked to write (`-o`, `--run-id-file`): a folder, a missing parent, a
 * read-only disk become a usage error naming the option and the path, never an internal error.
 */
import { dirname } from "../path.ts";
import { UsageError } from "../errors.ts";
import { writeTextFile } from "../file_io.ts";
import { ioProblem } from "../io_errors.ts";

/**
 * Writes `text` to `path`, given by `option`. With `makeFolder`, a missing folder on the way is created
 * first, as kedro-airflow creates its DAG folder; the MLflow-style commands leave it to the user, as MLflow does.
 *
 * @example
 * ```ts
 * await writeOutputFile("-o", "dags/iris_training.py", source, { makeFolder: true });
 * ```
 */
export async function writeOutputFile(
  option: string,
  path: string,
  text: string,
  options: { makeFolder?: boolean } = {},
): Promise<void> {
  const write = async () => {
    if (options.makeFolder) {
      try {
        Deno.mkdirSync(dirname(path), { recursive: true });
      } catch (e) {
        // mkdir's "File exists": a file stands where a folder on the way should be.
        throw e instanceof Deno.errors.AlreadyExists ? new Deno.errors.NotADirectory(e.message) : e;
      }
    }
    await writeTextFile(path, text);
  };
  await write().catch((cause) => {
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
