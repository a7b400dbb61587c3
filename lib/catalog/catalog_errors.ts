/**
 * The errors `Catalog` raises about its datasets: a stable code, the dataset (and its type) named, where it
 * is declared, and a hint.
 */
import { DatasetError, didYouMeanHint, KmlfError, type SourceLocation } from "../errors.ts";
import { ioProblem } from "../io_errors.ts";

/** What {@link datasetFailure} asks the catalog about the failing dataset. */
export interface DatasetDescriber {
  typeName(name: string): string;
  sourceOf(name: string): SourceLocation | undefined;
  resolveConfig(name: string): Record<string, unknown> | undefined;
}

/**
 * The error to throw when a dataset's load, save or exists check failed. It keeps the dataset's own error
 * code and hint, names the dataset and its type, and chains the original.
 *
 * @example
 * ```ts
 * throw datasetFailure(error, { action: "load", name: "iris", catalog });
 * ```
 */
export function datasetFailure(
  error: unknown,
  options: { action: "load" | "save" | "check"; name: string; catalog: DatasetDescriber },
): KmlfError {
  const { action, name, catalog } = options;
  const type = catalog.typeName(name);
  const what = action === "check" ? "check whether dataset" : `${action} dataset`;
  if (error instanceof KmlfError) {
    return new DatasetError(error.code, `Cannot ${what} "${name}" (${type}): ${error.message}`, {
      source: error.source ?? catalog.sourceOf(name),
      hint: error.hint,
      cause: error,
    });
  }
  if (error instanceof RangeError && /^Invalid string length/.test(error.message) && action !== "check") {
    // V8's bare answer for a string past its ~512 MiB limit: say which dataset and what to do instead.
    return new DatasetError(
      "dataset/too-large",
      `Cannot ${what} "${name}" (${type}): its ${
        action === "save" ? "encoded output" : "text"
      } is longer than ` +
        "one JavaScript string can hold (~512 MiB)",
      {
        source: catalog.sourceOf(name),
        hint: "split the data into partitions (a PartitionedDataset, one file per key), or use a binary " +
          "format (a parquet or pickle dataset)",
        cause: error,
      },
    );
  }
  if (error instanceof RangeError && /call stack size/i.test(error.message) && action !== "check") {
    // V8's bare answer for data nested thousands of levels deep (copied, encoded or parsed recursively):
    // "check save_args" sent people looking in the wrong place.
    return new DatasetError(
      `dataset/${action}-failed`,
      `Cannot ${what} "${name}" (${type}): the data is nested too deeply (${error.message})`,
      {
        source: catalog.sourceOf(name),
        hint: action === "save"
          ? "return flatter data (a list of records, not a chain of objects thousands of levels deep)"
          : "the file holds data nested thousands of levels deep: write it flatter",
        cause: error,
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  const filepath = catalog.resolveConfig(name)?.filepath;
  const problem = ioProblem(error, typeof filepath === "string" ? filepath : `dataset "${name}"`);
  if (problem) {
    return new DatasetError(
      `dataset/${problem.code}`,
      `Cannot ${what} "${name}" (${type})${
        typeof filepath === "string" ? ` at ${filepath}` : ""
      }: ${problem.what}`,
      { source: catalog.sourceOf(name), hint: problem.hint, cause: error },
    );
  }
  return new DatasetError(`dataset/${action}-failed`, `Cannot ${what} "${name}" (${type}): ${message}`, {
    source: catalog.sourceOf(name),
    hint: action === "save"
      ? "check the data the node returned and save_args"
      : "check the file and load_args",
    cause: error,
  });
}

/**
 * `name` is already in the catalog and the caller did not ask to replace it.
 *
 * @example
 * ```ts
 * throw duplicateDataset("scores", catalog.sourceOf("scores"));
 * ```
 */
export function duplicateDataset(name: string, source: SourceLocation | undefined): DatasetError {
  return new DatasetError("catalog/duplicate", `Dataset "${name}" is already in the catalog`, {
    source,
    hint: "pass { replace: true } to replace it",
  });
}

/**
 * `name` is neither declared, nor matched by a pattern; the hint guesses among the `known` names and names
 * the project's `catalogFile`.
 *
 * @example
 * ```ts
 * throw unknownDataset("featurs", ["features", "iris"]);
 * ```
 */
export function unknownDataset(
  name: string,
  known: Iterable<string>,
  catalogFile = "conf/base/catalog.yml",
): DatasetError {
  const guess = didYouMeanHint(name, known);
  return new DatasetError("catalog/unknown-dataset", `Dataset "${name}" is not in the catalog`, {
    hint: (guess ? `${guess} ` : "") +
      `declare it in ${catalogFile} or match it with a dataset factory pattern`,
  });
}

/**
 * A node returned `undefined` or `null` for dataset `name`.
 *
 * @example
 * ```ts
 * throw saveNone("model", { data: undefined });
 * ```
 */
export function saveNone(
  name: string,
  options: { data: undefined | null; source?: SourceLocation },
): DatasetError {
  return new DatasetError("dataset/save-none", `Cannot save ${options.data} to dataset "${name}"`, {
    source: options.source,
    hint: "the node producing this output must return a value for it",
  });
}

/**
 * A node `confirms:` dataset `name`, whose type has no `confirm()`.
 *
 * @example
 * ```ts
 * throw noConfirm("iris", { typeName: "CSVDataset" });
 * ```
 */
export function noConfirm(
  name: string,
  options: { typeName: string; source?: SourceLocation },
): DatasetError {
  return new DatasetError(
    "catalog/no-confirm",
    `Dataset "${name}" (${options.typeName}) does not have a confirm() method`,
    {
      source: options.source,
      hint: "remove it from the node's confirms:, or use a dataset type that supports confirm",
    },
  );
}
