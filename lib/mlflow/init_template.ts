/** The commented `mlflow.yml` that `kmlf mlflow init` writes (kedro-mlflow's template, adapted). */
import { yamlText } from "../yaml/plain_text.ts";

/**
 * Renders the template for a project.
 *
 * @example
 * ```ts
 * const text = mlflowYmlTemplate("iris");
 * ```
 */
export function mlflowYmlTemplate(projectName: string): string {
  return `# mlflow.yml — how kmlf tracks runs (kedro-mlflow's format). Written by \`kmlf mlflow init\`.

# SERVER CONFIGURATION -------------------

server:
  # Where runs are recorded. null → $MLFLOW_TRACKING_URI, else the SQLite store mlflow.db at the project
  # root. Also: a relative or absolute path (a folder = MLflow's mlruns file store, *.db = SQLite),
  # sqlite:///relative.db, sqlite:////absolute.db, file:///abs/mlruns, postgresql://user:pass@host:5432/db
  # (MLflow's schema, shared with mlflow server), or http(s)://your-mlflow-server.
  mlflow_tracking_uri: null
  mlflow_registry_uri: null # null → same as the tracking uri
  # Name of an entry of credentials.yml whose keys are exported as environment variables during the run
  # (e.g. MLFLOW_TRACKING_TOKEN, MLFLOW_TRACKING_USERNAME/PASSWORD). They are never logged.
  credentials: null
  # Custom auth headers for a remote server (e.g. expiring tokens): an exported class in your project,
  # constructed with init_kwargs, whose requestHeaders() is called before each request.
  request_header_provider:
    type: null # e.g. "./src/auth.ts#TokenProvider"
    pass_context: false # also pass {projectPath, env} to the constructor
    init_kwargs: {} # passed to the constructor

# TRACKING CONFIGURATION -----------------

tracking:
  disable_tracking:
    disable_autologging: true # kept for kedro-mlflow compatibility; kmlf has no autologging
    pipelines: [] # runs of only these pipelines are not tracked

  experiment:
    name: ${yamlText(projectName)}
    create_experiment_kwargs: # used only when the experiment is created
      artifact_location: null # null → the store's default artifact root; or s3://bucket/prefix (S3, MinIO)
      tags: null # a mapping of experiment tags
    restore_if_deleted: true # restore the experiment if it was deleted

  run:
    id: null # set to a run id to continue that run instead of starting a new one
    name: null # null → the pipeline name(s); \${km.random_name:} gives an MLflow-style random name
    nested: true # start as a child of an already active run

  params:
    dict_params:
      flatten: false # log dict parameters as one parameter per key
      recursive: true # flatten nested dicts too
      sep: "." # separator between flattened keys
    long_params_strategy: fail # a value over MLflow's 6000 characters: fail, truncate or tag

  # Files logged as run artifacts (under kmlf/files/) before the pipeline starts and after it ends:
  # paths or globs from the project root, e.g. [conf/base/parameters.yml, "logs/*.log"]
  log_files:
    before: []
    after: []

  # Log node outputs that are not in the catalog (pipelinex's auto logging): numbers as metrics,
  # strings, booleans, lists and dicts as params
  log_outputs_not_in_catalog: false

# UI CONFIGURATION -----------------------

ui:
  port: "5000" # kmlf mlflow ui --port overrides it
  host: "127.0.0.1" # use 0.0.0.0 only on a trusted network
`;
}
