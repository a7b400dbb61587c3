/**
 * Arguments of kedro-datasets' non-pandas types (fsspec's `fs_args`, `PickleDataset`'s `backend`, the
 * `json.dump` / `yaml.dump` / `pickle.dump` keywords, Kedro 0.18's `layer`) that a catalog copied from Kedro
 * carries and kmlf does not take: each is reported as `catalog/unsupported-argument` with what to do, not as an unknown key.
 * (pandas' arguments are in tabular_types.ts and binary_table_types.ts.) Also the keys Kedro 0.19 and
 * kedro-mlflow 0.12 renamed, and the other spellings a type lists: taken as the key they mean.
 */

import { DatasetError, type SourceLocation } from "../errors.ts";
import type { KeyPath } from "../yaml/parse_yaml.ts";
import type { ArgumentAlias } from "./registry.ts";

const PYTHON_KEYWORD = "it is an argument of Python's own writer, with no counterpart in kmlf; remove it";

/** Keys any Kedro 0.18 entry may carry, whatever its type (given to every built-in type). */
export const ENTRY_HINTS: Readonly<Record<string, string>> = {
  layer: "Kedro 0.19 moved it to metadata: write `metadata: {kedro-viz: {layer: <the layer>}}` instead " +
    "(kmlf keeps metadata as is)",
};

/** `fs_args` of any file type: kmlf opens local files itself, without fsspec. */
export const FS_ARGS_HINTS: Readonly<Record<string, string>> = {
  ...ENTRY_HINTS,
  fs_args: "kmlf opens local files itself, without fsspec: folders are created as needed and text is " +
    "UTF-8 (csv takes another in load_args.encoding); remove it",
};

/** pickle.PickleDataset: V8's serialization instead of Python's pickle modules. */
export const PICKLE_HINTS: Readonly<Record<string, string>> = {
  ...FS_ARGS_HINTS,
  backend: "kmlf's pickle is V8's serialization of any JS value; Python's pickle, joblib, dill, " +
    "cloudpickle and compress_pickle files cannot be read or written; remove it",
  "save_args.protocol": PYTHON_KEYWORD,
  "save_args.fix_imports": PYTHON_KEYWORD,
  "save_args.compress": PYTHON_KEYWORD,
  "load_args.encoding": PYTHON_KEYWORD,
  "load_args.fix_imports": PYTHON_KEYWORD,
  "load_args.errors": PYTHON_KEYWORD,
};

/** json.JSONDataset: `json.dump`'s keywords beyond `indent`, `ensure_ascii`, `sort_keys` and `separators`. */
export const JSON_HINTS: Readonly<Record<string, string>> = {
  ...FS_ARGS_HINTS,
  "save_args.allow_nan": "kmlf never writes NaN or Infinity to JSON (most JSON readers reject them): it " +
    "refuses them, naming where they are; use null for a missing value, or a YAML or Parquet dataset; remove it",
  "save_args.skipkeys": PYTHON_KEYWORD,
  "save_args.check_circular": "kmlf always refuses a cycle, naming where it is; remove it",
  "save_args.default": PYTHON_KEYWORD,
  "save_args.cls": PYTHON_KEYWORD,
};

/** yaml.YAMLDataset: `yaml.dump`'s keywords beyond `default_flow_style: false`, `allow_unicode`, `sort_keys`, `indent`, `width`. */
export const YAML_HINTS: Readonly<Record<string, string>> = {
  ...FS_ARGS_HINTS,
  "save_args.Dumper": PYTHON_KEYWORD,
  "save_args.canonical": "kmlf writes PyYAML's ordinary block style; remove it",
  "save_args.explicit_start":
    "kmlf writes one document without `---`, as yaml.dump does by default; remove it",
  "save_args.line_break": "kmlf writes \\n line breaks, as yaml.dump does by default; remove it",
  "load_args.Loader": PYTHON_KEYWORD,
};

/** partitions.PartitionedDataset's fsspec arguments. */
export const PARTITIONED_HINTS: Readonly<Record<string, string>> = {
  ...FS_ARGS_HINTS,
  "load_args.withdirs": "kmlf's partitions are the folder's files, never its folders; remove it",
  "load_args.detail": "kmlf lists partition ids only; remove it",
};

// Keys Kedro 0.19 and kedro-mlflow 0.12 renamed (configurations from older docs still carry them), for every
// type that takes the new key.
const RENAMED_ARGUMENTS: Readonly<Record<string, ArgumentAlias>> = {
  data_set: { to: "dataset", from: "Kedro before 0.19 and kedro-mlflow before 0.12" },
};

/** The keys a type's zod object schema declares (none for another schema). */
export function schemaKeys(schema: unknown): ReadonlySet<string> {
  return new Set(Object.keys((schema as { shape?: Record<string, unknown> }).shape ?? {}));
}

type Args = Record<string, unknown>;
const isMapping = (v: unknown): v is Args => typeof v === "object" && v !== null && !Array.isArray(v);

// A key path's value in the entry, if given (`save_args.name`: inside save_args, when that is a mapping).
function has(args: Args, path: string[]): boolean {
  const parent = path.length === 1 ? args : args[path[0]];
  return isMapping(parent) && Object.hasOwn(parent, path[path.length - 1]);
}

/**
 * Another spelling of a key (an older version's, `data_set`, or one the type lists in `argumentAliases`,
 * `artifact_path`) is taken as the key it means; both spellings given is one `catalog/renamed-argument`,
 * located at the other spelling, since which one to keep is the user's call. `written` pairs each key path
 * taken under its new name with the one written, for errors about its value.
 */
export async function takeRenamedArguments(
  args: Args,
  keys: () => Promise<ReadonlySet<string>>,
  where: { name: string; type: string; at: KeyPath; locate(path: KeyPath): SourceLocation | undefined },
  aliases: Readonly<Record<string, ArgumentAlias>> = {},
): Promise<{ rest: Args; errors: DatasetError[]; written: [KeyPath, KeyPath][] }> {
  const errors: DatasetError[] = [];
  const written: [KeyPath, KeyPath][] = [];
  const rest: Args = { ...args };
  // The type's keys are asked for only when an old spelling is given: they may mean loading zod and
  // building its schema.
  const given = Object.entries(RENAMED_ARGUMENTS).filter(([old]) => has(rest, old.split(".")));
  const known = given.length > 0 ? await keys() : undefined;
  const all = given.filter(([, a]) => known!.has(a.to)).concat(Object.entries(aliases));
  for (const [old, alias] of all) {
    const from = old.split(".");
    const to = alias.to.split(".");
    if (!has(rest, from)) continue;
    // A group given as something else than a mapping is the schema's to report.
    if (to.length > 1 && rest[to[0]] !== undefined && !isMapping(rest[to[0]])) continue;
    const value = from.length === 1 ? rest[from[0]] : (rest[from[0]] as Args)[from[1]];
    if (from.length === 1) delete rest[from[0]];
    else {
      const { [from[1]]: _, ...others } = rest[from[0]] as Args;
      rest[from[0]] = others;
    }
    if (has(rest, to)) {
      errors.push(
        new DatasetError(
          "catalog/renamed-argument",
          `"${where.name}" gives both ${old} and ${alias.to}, two spellings of one argument of ${where.type}`,
          {
            source: where.locate([...where.at, ...from]),
            hint: `keep one: ${alias.to} (kmlf's), or ${old} (the spelling of ${alias.from})`,
          },
        ),
      );
      continue;
    }
    if (to.length === 1) rest[to[0]] = value;
    else rest[to[0]] = { ...(rest[to[0]] as Args | undefined), [to[1]]: value };
    written.push([to, from]);
  }
  return { rest, errors, written };
}

// Keys with an argument hint (pandas names, kedro-mlflow's Python-only keys kmlf does not take) become one
// error each, saying what to do, and are removed so the schema does not report them again as unknown.
export function takeHintedArguments(
  args: Record<string, unknown>,
  hints: Readonly<Record<string, string>>,
  where: {
    name: string;
    type: string;
    at: KeyPath;
    locate(path: KeyPath): SourceLocation | undefined;
    /** The key path as written (a nested dataset's is under its wrapper's `dataset`). */
    written?(path: KeyPath): KeyPath;
  },
): { rest: Record<string, unknown>; errors: DatasetError[] } {
  const errors: DatasetError[] = [];
  const rest: Record<string, unknown> = { ...args };
  const unsupported = (keyPath: string[], hint: string) =>
    new DatasetError(
      "catalog/unsupported-argument",
      `"${
        [where.name, ...(where.written?.([...where.at, ...keyPath]) ?? [...where.at, ...keyPath]).slice(1)]
          .join(".")
      }" is not supported by kmlf's ${where.type}`,
      { source: where.locate([...where.at, ...keyPath]), hint },
    );
  for (const key of Object.keys(args)) {
    const hint = hints[key];
    if (hint === undefined) continue;
    delete rest[key];
    errors.push(unsupported([key], hint));
  }
  for (const group of ["load_args", "save_args"]) {
    const value = rest[group];
    if (typeof value !== "object" || value === null || Array.isArray(value)) continue;
    const kept: Record<string, unknown> = { ...value };
    for (const key of Object.keys(value)) {
      const hint = hints[`${group}.${key}`];
      if (hint === undefined) continue;
      delete kept[key];
      errors.push(unsupported([group, key], hint));
    }
    rest[group] = kept;
  }
  return { rest, errors };
}
