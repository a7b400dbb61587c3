/** What to use instead of the kedro-datasets types kmlf does not have (shown in catalog/unknown-type hints). */

const TYPES: Readonly<Record<string, string>> = {
  "tracking.MetricsDataset":
    "kmlf tracks metrics with MLflow: use mlflow_metrics_history (or json for a local file)",
  "tracking.JSONDataset": "kmlf tracks runs with MLflow: use mlflow_artifact around a json dataset (or json)",
  "pandas.SQLTableDataset": "kmlf reads and writes SQLite tables: use sqlite_table (filepath, table_name)",
  "pandas.SQLQueryDataset": "kmlf runs queries on SQLite: use sqlite_query (filepath, sql)",
  "pandas.JSONDataset": "use json (any JSON value; rows are an array of objects)",
  "pandas.FeatherDataset": "save the table as parquet instead",
  "pandas.HDFDataset": "save the table as parquet instead",
  "pandas.XMLDataset": "read it as text and parse it in the node",
  "pandas.GenericDataset": "use csv, excel or parquet",
  "pillow.ImageDataset": "use image (saves the PNG/JPEG/SVG bytes a node produced)",
  "json.JSONDataset": "use json",
  "networkx.JSONDataset": "use json with the graph as node-link data",
  "spark.SparkDataset": "kmlf runs on one machine: use parquet or csv",
  "kedro.io.CachedDataset":
    "kmlf has no CachedDataset: declare the wrapped dataset itself (its dataset: entry)",
  "CachedDataset": "kmlf has no CachedDataset: declare the wrapped dataset itself (its dataset: entry)",
};

/**
 * The suggestion for a Kedro dataset type kmlf lacks, if there is one (`kedro_datasets.` prefix optional).
 *
 * @example
 * ```ts
 * kedroTypeHint("tracking.MetricsDataset"); // "kmlf tracks metrics with MLflow: …"
 * ```
 */
export function kedroTypeHint(type: string): string | undefined {
  return TYPES[type.replace(/^kedro_datasets\./, "")];
}
