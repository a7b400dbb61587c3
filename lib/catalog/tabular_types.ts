/**
 * The csv dataset type, and what the tabular types (csv, excel, parquet) share: their catalog arguments
 * in pandas' names, and what kmlf says about the pandas arguments it does not take.
 */
import { z } from "../zod/mod.ts";
import { LOAD_DTYPES } from "./datasets/_table_rows.ts";
import { CsvDataset, textDecoder } from "./datasets/csv_dataset.ts";
import { fileSchema, fileType } from "./file_types.ts";

export const strings = z.array(z.string());
const loadDtype = z.enum(Object.values(LOAD_DTYPES).flat() as [string, ...string[]]);
const encoding = z.string().refine((label) => {
  try {
    textDecoder(label);
    return true;
  } catch {
    return false;
  }
}, "is not a text encoding (utf-8, latin-1, cp1252, utf-16le, …)");

/** pandas' reading arguments shared by read_csv and read_excel. */
export const tableRead = {
  header: z.union([z.boolean(), z.number().int().min(0), z.null()]).optional(),
  names: strings.optional(),
  columns: strings.optional(),
  usecols: z.union([z.array(z.union([z.string(), z.number().int().min(0)])), z.string()]).optional(),
  skiprows: z.union([z.number().int().min(0), z.array(z.number().int().min(0))]).optional(),
  nrows: z.number().int().min(0).optional(),
  na_values: z.union([z.string(), strings, z.record(z.string(), z.union([z.string(), strings]))]).optional(),
  keep_default_na: z.boolean().optional(),
  dtype: z.union([loadDtype, z.record(z.string(), loadDtype)]).optional(),
  true_values: strings.optional(),
  false_values: strings.optional(),
  thousands: z.string().length(1).optional(),
  decimal: z.string().length(1).optional(),
};

/** pandas' writing arguments shared by to_csv and to_excel. */
export const tableWrite = {
  header: z.boolean().optional(),
  columns: strings.optional(),
  index: z.boolean().optional(),
  index_label: z.string().optional(),
  na_rep: z.string().optional(),
};

// `engine` picks one of pandas' parsers; kmlf has one, so any of pandas' names is accepted and changes nothing.
export const engine = (names: [string, ...string[]]) => z.enum(names).nullable().optional();

/** `load_args` of the csv dataset. */
export const CsvLoad = z.strictObject({
  ...tableRead,
  sep: z.string().min(1).optional(),
  delimiter: z.string().min(1).optional(),
  typing: z.boolean().optional(),
  encoding: encoding.optional(),
  quotechar: z.string().length(1).optional(),
  escapechar: z.string().length(1).optional(),
  comment: z.string().length(1).optional(),
  skip_blank_lines: z.boolean().optional(),
  engine: engine(["c", "python", "pyarrow"]),
}).refine((a) => !(a.sep !== undefined && a.delimiter !== undefined && a.sep !== a.delimiter), {
  message: "sep and delimiter are the same argument; give one",
  path: ["delimiter"],
});

/** `save_args` of the csv dataset. */
export const CsvSave = z.strictObject({
  ...tableWrite,
  sep: z.string().min(1).optional(),
  delimiter: z.string().min(1).optional(),
  encoding: z.enum(["utf-8", "utf8", "utf-8-sig"]).optional(),
});

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
export const csvType = fileType(CsvDataset, fileSchema(CsvLoad, CsvSave), CSV_HINTS);
