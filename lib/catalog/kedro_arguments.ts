/**
 * Arguments of kedro-datasets' non-pandas types (fsspec's `fs_args`, `PickleDataset`'s `backend`, the
 * `json.dump` / `yaml.dump` / `pickle.dump` keywords, Kedro 0.18's `layer`) that a catalog copied from Kedro
 * carries and kmlf does not take: each is reported as `catalog/unsupported-argument` with what to do, not as an unknown key.
 * (pandas' arguments are in tabular_types.ts and binary_table_types.ts.)
 */

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
  load_args:
    "they are fsspec's find() arguments; kmlf lists the folder's files itself (recursively); remove it",
  filepath_arg: "kmlf gives each partition's dataset its file as filepath; remove it",
};
