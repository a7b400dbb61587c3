/**
 * The tabular types stored in binary files — excel (pandas.ExcelDataset) and parquet
 * (pandas.ParquetDataset) — which a catalog loads only when it uses one (with the xlsx and hyparquet
 * packages they read with).
 */
import { deferred, z } from "../zod/mod.ts";
import { ExcelDataset } from "./datasets/excel_dataset.ts";
import { ParquetDataset } from "./datasets/parquet_dataset.ts";
import { DTYPES } from "./datasets/parquet_schema.ts";
import { fileSchema, fileType } from "./file_types.ts";
import { CSV_HINTS, engine, NO_EFFECT, NO_INDEX, strings, tableRead, tableWrite } from "./tabular_types.ts";

// Deferred, as csv's are (tabular_types.ts): built when an entry gives load_args/save_args.

/** `load_args` of the excel dataset. */
export const ExcelLoad = deferred(() =>
  z.strictObject({
    ...tableRead(z),
    sheet_name: z.optional(z.union([
      z.string(),
      z.int().check(z.gte(0)),
      z.array(z.union([z.string(), z.int().check(z.gte(0))])),
      z.null(),
    ])),
    engine: engine(z, ["openpyxl", "calamine", "odf", "xlrd", "pyxlsb"]),
  })
);

/** `save_args` of the excel dataset. */
export const ExcelSave = deferred(() =>
  z.strictObject({
    ...tableWrite(z),
    sheet_name: z.optional(z.string().check(z.minLength(1), z.maxLength(31))),
    engine: engine(z, ["openpyxl", "xlsxwriter"]),
  })
);

/** `load_args` of the parquet dataset. */
export const ParquetLoad = deferred(() =>
  z.strictObject({
    columns: z.optional(strings(z)),
    reset_index: z.optional(z.boolean()),
    engine: engine(z, ["auto", "pyarrow", "fastparquet"]),
  })
);

/** `save_args` of the parquet dataset. */
export const ParquetSave = deferred(() =>
  z.strictObject({
    schema: z.optional(z.record(z.string(), z.enum(Object.keys(DTYPES) as [string, ...string[]]))),
    row_group_size: z.optional(z.int().check(z.positive())),
    // pyarrow takes codec names in any case (Kedro's docs write GZIP); `None` in YAML is pandas' None.
    compression: z.pipe(
      z.pipe(
        z.transform((c: unknown) => (typeof c === "string" ? c.toLowerCase() : c)),
        z.optional(z.nullable(z.enum(["snappy", "gzip", "brotli", "none"]))),
      ),
      z.transform((c) => (c === null ? "none" : c)),
    ),
    // Rows have no index: false (or pandas' default, null) writes none, like kmlf always does.
    index: z.optional(z.union([z.literal(false), z.null()])),
    engine: engine(z, ["auto", "pyarrow", "fastparquet"]),
  })
);

/** pandas' read_excel/to_excel arguments kmlf does not take. */
export const EXCEL_HINTS: Readonly<Record<string, string>> = {
  "load_args.index_col": NO_INDEX,
  "load_args.parse_dates": "date cells already load as Dates; convert text columns in the node; remove it",
  "load_args.converters": CSV_HINTS["load_args.converters"],
  "save_args.writer":
    "kmlf writes a new workbook each save; return {sheet: rows} from the node to write several sheets",
  "save_args.startrow": "sheets are written from their first cell; remove it",
  "save_args.startcol": "sheets are written from their first cell; remove it",
  "save_args.float_format": CSV_HINTS["save_args.float_format"],
  "save_args.freeze_panes": "kmlf writes data, not layout; remove it",
};

/** pandas' read_parquet/to_parquet arguments kmlf does not take. */
export const PARQUET_HINTS: Readonly<Record<string, string>> = {
  "load_args.filters": "filter the rows in the node; remove it",
  "load_args.dtype_backend": NO_EFFECT,
  "save_args.dtype": 'kmlf\'s name for column types is "schema": {column: int64|float64|string|bool|…}',
  "save_args.partition_cols": "use a partitioned dataset with one parquet file per partition; remove it",
  "save_args.coerce_timestamps": "Dates are written as millisecond timestamps; remove it",
};

/** `excel` (pandas.ExcelDataset). */
export const excelType = fileType(ExcelDataset, fileSchema(z, ExcelLoad, ExcelSave), EXCEL_HINTS);
/** `parquet` (pandas.ParquetDataset). */
export const parquetType = fileType(ParquetDataset, fileSchema(z, ParquetLoad, ParquetSave), PARQUET_HINTS);
