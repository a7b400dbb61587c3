/** What to use instead of the kedro-datasets types kmlf does not have (shown in catalog/unknown-type hints). */

const TYPES: Readonly<Record<string, string>> = {
  "tracking.MetricsDataset":
    "kmlf tracks metrics with MLflow: use mlflow_metrics_history (or json for a local file)",
  "tracking.JSONDataset": "kmlf tracks runs with MLflow: use mlflow_artifact around a json dataset (or json)",
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

// kedro-mlflow's classes that were renamed, not only respelled (DataSet → Dataset, 0.12): a did-you-mean on
// the old name picks a wrong class (MlflowMetricsDataSet is closest to MlflowMetricDataset, a single float).
const RENAMED_KEDRO_MLFLOW: Readonly<Record<string, string>> = {
  MlflowMetricsDataset:
    "kedro-mlflow renamed MlflowMetricsDataSet to MlflowMetricsHistoryDataset: use type: mlflow_metrics_history (the same {name: {value, step}} data)",
  MlflowModelLoggerDataset:
    "kedro-mlflow renamed MlflowModelLoggerDataSet to MlflowModelTrackingDataset: use type: mlflow_model_tracking (a model logged to the run; load_args.model_uri loads another)",
  MlflowModelSaverDataset:
    "kedro-mlflow renamed MlflowModelSaverDataSet to MlflowModelLocalFileSystemDataset: use type: mlflow_model_local (a model folder at filepath)",
};

/**
 * The suggestion for a Kedro dataset type kmlf lacks, if there is one (`kedro_datasets.` prefix optional),
 * or for a kedro-mlflow class renamed since (`kedro_mlflow.io.<module>.` prefix optional, either spelling).
 *
 * @example
 * ```ts
 * kedroTypeHint("tracking.MetricsDataset"); // "kmlf tracks metrics with MLflow: …"
 * kedroTypeHint("kedro_mlflow.io.metrics.MlflowMetricsDataSet"); // "kedro-mlflow renamed … mlflow_metrics_history …"
 * ```
 */
export function kedroTypeHint(type: string): string | undefined {
  const renamed = type.replace(/^kedro_mlflow\.io\.\w+\./, "").replace(/DataSet$/, "Dataset");
  const kedro = type.replace(/^kedro_datasets\./, "");
  // Own keys only: `type: constructor` must not find Object's.
  if (Object.hasOwn(TYPES, kedro)) return TYPES[kedro];
  return Object.hasOwn(RENAMED_KEDRO_MLFLOW, renamed) ? RENAMED_KEDRO_MLFLOW[renamed] : undefined;
}

/**
 * The current spelling of a Kedro 0.18 dataset type (`kedro.extras.datasets.pandas.CSVDataSet`,
 * `kedro.io.MemoryDataSet`, kedro-datasets' old `matplotlib.MatplotlibWriter`), for the hint that names it;
 * undefined when `type` has no older spelling in it. The caller checks the result is a known type.
 *
 * @example
 * ```ts
 * kedroRespelled("kedro.extras.datasets.pandas.CSVDataSet"); // "pandas.CSVDataset"
 * kedroRespelled("matplotlib.MatplotlibWriter"); // "matplotlib.MatplotlibDataset"
 * ```
 */
export function kedroRespelled(type: string): string | undefined {
  // kedro-mlflow's own classes have their hints above.
  if (type.startsWith("kedro_mlflow.")) return undefined;
  const modern = type
    .replace(/^kedro\.extras\.datasets\./, "")
    .replace(/^kedro_datasets\./, "")
    .replace(/DataSet$/, "Dataset")
    .replace(/\bMatplotlibWriter$/, "MatplotlibDataset");
  return modern === type.replace(/^kedro_datasets\./, "") ? undefined : modern;
}
