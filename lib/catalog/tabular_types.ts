/**
 * The csv dataset type, and what the tabular types (csv, excel, parquet) share: their catalog arguments
 * in pandas' names, and what kmlf says about the pandas arguments it does not take.
 */
import { deferredIn, laterSchema, type Zod } from "../zod/on_demand.ts";
import { LOAD_DTYPES } from "./datasets/_table_dtypes.ts";
import { CsvDataset } from "./datasets/csv_dataset.ts";
import { textDecoder } from "./datasets/_text_decoding.ts";
import { fileSchema, fileType } from "./file_types.ts";

// The argument schemas below are functions of zod's `z` or later schemas: dozens of pandas options cost ~1 ms
// to build, and most entries give no load_args/save_args, so they are built when a value first needs them.

/** A list of strings. */
export const strings = (z: Zod) => z.array(z.string());

/** pandas' reading arguments shared by read_csv and read_excel (a fresh shape for each type's schema). */
export function tableRead(z: Zod) {
  const loadDtype = z.enum(Object.values(LOAD_DTYPES).flat() as [string, ...string[]]);
  return {
    header: z.optional(z.union([z.boolean(), z.int().check(z.gte(0)), z.null()])),
    names: z.optional(strings(z)),
    columns: z.optional(strings(z)),
    usecols: z.optional(z.union([z.array(z.union([z.string(), z.int().check(z.gte(0))])), z.string()])),
    skiprows: z.optional(z.union([z.int().check(z.gte(0)), z.array(z.int().check(z.gte(0)))])),
    nrows: z.optional(z.int().check(z.gte(0))),
    na_values: z.optional(
      z.union([z.string(), strings(z), z.record(z.string(), z.union([z.string(), strings(z)]))]),
    ),
    keep_default_na: z.optional(z.boolean()),
    dtype: z.optional(z.union([loadDtype, z.record(z.string(), loadDtype)])),
    true_values: z.optional(strings(z)),
    false_values: z.optional(strings(z)),
    thousands: z.optional(z.string().check(z.length(1))),
    decimal: z.optional(z.string().check(z.length(1))),
  };
}

/** pandas' writing arguments shared by to_csv and to_excel (a fresh shape for each type's schema). */
export function tableWrite(z: Zod) {
  return {
    header: z.optional(z.boolean()),
    columns: z.optional(strings(z)),
    index: z.optional(z.boolean()),
    index_label: z.optional(z.string()),
    na_rep: z.optional(z.string()),
  };
}

// `engine` picks one of pandas' parsers; kmlf has one, so any of pandas' names is accepted and changes nothing.
export const engine = (z: Zod, names: [string, ...string[]]) => z.optional(z.nullable(z.enum(names)));

const encoding = (z: Zod) =>
  z.string().check(z.refine((label) => {
    try {
      textDecoder(label);
      return true;
    } catch {
      return false;
    }
  }, "is not a text encoding (utf-8, latin-1, cp1252, utf-16le, …)"));

/** `load_args` of the csv dataset. */
export const CsvLoad = laterSchema(undefined, (z) =>
  z.strictObject({
    ...tableRead(z),
    sep: z.optional(z.string().check(z.minLength(1))),
    delimiter: z.optional(z.string().check(z.minLength(1))),
    typing: z.optional(z.boolean()),
    encoding: z.optional(encoding(z)),
    quotechar: z.optional(z.string().check(z.length(1))),
    escapechar: z.optional(z.string().check(z.length(1))),
    comment: z.optional(z.string().check(z.length(1))),
    skip_blank_lines: z.optional(z.boolean()),
    engine: engine(z, ["c", "python", "pyarrow"]),
  }).check(z.refine((a) => !(a.sep !== undefined && a.delimiter !== undefined && a.sep !== a.delimiter), {
    message: "sep and delimiter are the same argument; give one",
    path: ["delimiter"],
  })));

/** `save_args` of the csv dataset. */
export const CsvSave = laterSchema(undefined, (z) =>
  z.strictObject({
    ...tableWrite(z),
    sep: z.optional(z.string().check(z.minLength(1))),
    delimiter: z.optional(z.string().check(z.minLength(1))),
    encoding: z.optional(z.enum(["utf-8", "utf8", "utf-8-sig"])),
  }));

export const NO_INDEX =
  "kmlf rows have no index: every column stays a column (remove it; drop or rename the column in the node if needed)";
export const NO_EFFECT = "it tunes pandas' own parser and has no counterpart in kmlf; remove it";
const IN_THE_NODE = "convert the column in the node (e.g. new Date(row.when)); remove it";

/** pandas' read_csv/to_csv arguments kmlf does not take, with what to do instead. */
export const CSV_HINTS: Readonly<Record<string, string>> = {
  "load_args.index_col": NO_INDEX,
  "load_args.parse_dates": IN_THE_NODE,
  "load_args.date_format": IN_THE_NODE,
  "load_args.converters": "converters are Python functions; convert in the node instead; remove it",
  "load_args.low_memory": NO_EFFECT,
  "load_args.memory_map": NO_EFFECT,
  "load_args.float_precision": NO_EFFECT,
  "load_args.chunksize": "kmlf loads the whole file; use a partitioned dataset to split data; remove it",
  "load_args.compression": "kmlf reads uncompressed CSV; decompress the file first",
  "save_args.float_format": "round the numbers in the node (Math.round, toFixed); remove it",
  "save_args.date_format": "Dates are written as ISO 8601; format them in the node if needed; remove it",
  "save_args.mode": "kmlf saves whole files atomically; concatenate the rows in the node; remove it",
  "save_args.quoting": "fields are quoted when needed (csv.QUOTE_MINIMAL); remove it",
  "save_args.compression": "kmlf writes uncompressed CSV; remove it",
  "save_args.lineterminator": "lines end with \\n; remove it",
};

/** `csv` (pandas.CSVDataset). */
export const csvType = fileType(
  CsvDataset,
  laterSchema(
    "catalog:csv",
    (z) => fileSchema(z, deferredIn(z, () => CsvLoad.now(z)), deferredIn(z, () => CsvSave.now(z))),
  ),
  CSV_HINTS,
);
