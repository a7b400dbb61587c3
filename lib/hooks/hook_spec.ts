/**
 * The hook specification: Kedro's hooks in camelCase, each taking one arguments object.
 * Implementations may declare any subset of hooks and destructure any subset of arguments.
 *
 * @module
 */
import type { Catalog } from "../catalog/mod.ts";
import type { KmlfError, SourceLocation } from "../errors.ts";
import type { Node, Pipeline } from "../pipeline/mod.ts";
import type { KeyPath } from "../yaml/parse_yaml.ts";

/** Parameters describing one `kmlf run`, passed to pipeline-level hooks. */
export interface RunParams {
  /** The run id, also the save version of versioned datasets (`YYYY-MM-DDThh.mm.ss.sssZ`). */
  runId: string;
  /** Absolute path of the project root (Kedro's `project_path`). */
  projectPath: string;
  /** The configuration environment (`--env`, default `local`). */
  env: string;
  /** The kmlf version that runs the pipeline. */
  kmlfVersion: string;
  /** The pipelines run (`--pipeline`; `["__default__"]` when none given). */
  pipelineNames: string[];
  /** `--tags`: only nodes with one of these tags ran. */
  tags: string[];
  /** `--nodes`: only these nodes ran. */
  nodeNames: string[];
  /** `--from-nodes`: the run started at these nodes. */
  fromNodes: string[];
  /** `--to-nodes`: the run stopped after these nodes. */
  toNodes: string[];
  /** `--from-inputs`: the run started at the nodes consuming these datasets. */
  fromInputs: string[];
  /** `--to-outputs`: the run stopped at the nodes producing these datasets. */
  toOutputs: string[];
  /** `--namespaces`: only nodes in these namespaces ran. */
  namespaces: string[];
  /** `--load-versions`: dataset name → the version loaded instead of the latest. */
  loadVersions: Record<string, string>;
  /** `--params` given on the command line, already parsed (Kedro's `extra_params`). */
  runtimeParams: Record<string, unknown>;
  /** `--only-missing-outputs`: nodes whose outputs all exist were skipped. */
  onlyMissingOutputs: boolean;
  /** The runner used, e.g. `SequentialRunner`. */
  runner: string;
  /** The exact command line that reproduces this run (argv joined with shell quoting). */
  commandLine: string;
}

/**
 * The project's config loader as hooks see it (Kedro's `context.config_loader`): `get(type)` merges
 * `conf/<baseEnv>` and `conf/<env>` and interpolates, once per type; `data` is what Kedro's
 * `config_loader["spark"]` returns. Any type name works with the patterns `<type>*`, `<type>*\/**` and
 * `**\/<type>*` (kmlf.yml's `config_patterns:` sets others), so Kedro code that first adds the type to
 * `config_loader.config_patterns` needs no such step.
 *
 * @example
 * ```ts
 * const { data, locate } = await context.configLoader.get("spark");
 * locate(["spark.driver.memory"]); // { file: "/p/conf/local/spark.yml", line: 1, column: 22, keyPath: … }
 * ```
 */
export interface HookConfigLoader {
  /** The environment overlaid on the base one (e.g. `local`). */
  readonly env: string;
  /** The base environment (kmlf.yml's `base_env`, default `base`). */
  readonly baseEnv: string;
  /** One config type, merged and interpolated, with the files it came from and where each value is. */
  get(type: string): Promise<{
    data: Record<string, unknown>;
    files: string[];
    locate(path: KeyPath): SourceLocation | undefined;
  }>;
}

/**
 * What `afterContextCreated` gets, as Kedro's hook gets its KedroContext (`project_path`, `env`, `params`,
 * `config_loader`, `catalog` are `projectPath`, `env`, `params`, `configLoader`, `catalog`): the project,
 * its config for a hook to read (Kedro's pyspark starter reads `spark.yml` there:
 * `context.config_loader["spark"]`), and its catalog.
 *
 * @example
 * ```ts
 * export const hooks: Hooks = {
 *   async afterContextCreated({ context }) {
 *     const spark = await context.loadConfig("spark"); // Kedro: context.config_loader["spark"]
 *     const catalog = await context.catalog; // a new catalog: afterCatalogCreated fires for it
 *     console.log(context.params.model, Object.keys(spark), catalog.names());
 *   },
 * };
 * ```
 */
export type HookContext = {
  /** Absolute path of the project root (Kedro's `project_path`). */
  projectPath: string;
  /** The project's name (kmlf.yml's `name`; Kedro's `_package_name`). */
  projectName: string;
  /** The configuration environment of the run. */
  env: string;
  /** The id of the run being prepared (see {@link RunParams.runId}). */
  runId: string;
  /**
   * The merged parameters, runtime params included (Kedro's `context.params`): a new copy on every read,
   * so changing it changes nothing of the run (in Kedro too).
   */
  readonly params: Record<string, unknown>;
  /**
   * One config type (`"spark"` reads `conf/<env>/spark*.yml`), environments merged and interpolated; a
   * copy, as is `configLoader.get(type).data`.
   */
  loadConfig(type: string): Promise<Record<string, unknown>>;
  /** The session's config loader (Kedro's `context.config_loader`); see {@link HookConfigLoader}. */
  readonly configLoader: HookConfigLoader;
  /**
   * The project's catalog, as Kedro's `context.catalog`: every read builds a new one (catalog config,
   * credentials, parameters, the run id as save version) and fires `afterCatalogCreated` for it — also
   * from inside `afterContextCreated`. Read it once into a variable; it is not the run's own catalog.
   */
  readonly catalog: Promise<Catalog>;
};

/** Everything the runner passes to node-level hooks. */
export interface NodeHookArgs {
  /** The node about to run, running or just run. */
  node: Node;
  /** The run's catalog. */
  catalog: Catalog;
  /** The node's loaded inputs, dataset name → data. */
  inputs: Record<string, unknown>;
  /** Kedro's `is_async`: whether the runner loads and saves this node's data concurrently (`--async`). */
  isAsync: boolean;
  /** The run's id (see {@link RunParams.runId}). */
  runId: string;
}

/**
 * A set of hook implementations. Every member is optional. `beforeNodeRun` may return an
 * object whose entries replace the node's inputs.
 *
 * @example
 * ```ts
 * export const timingHooks: Hooks = {
 *   afterNodeRun({ node }) { console.log(`${node.name} done`); },
 * };
 * ```
 */
export interface Hooks {
  /** After the session made its context (Kedro's `after_context_created`): config and params are readable. */
  afterContextCreated?(args: { context: HookContext }): void | Promise<void>;
  /**
   * After the catalog was built (Kedro's `after_catalog_created`), with the raw catalog, credentials and
   * parameters config, and the run's save and load versions.
   */
  afterCatalogCreated?(args: {
    catalog: Catalog;
    confCatalog: Record<string, unknown>;
    confCreds: Record<string, unknown>;
    parameters: Record<string, unknown>;
    saveVersion: string;
    loadVersions: Record<string, string>;
  }): void | Promise<void>;
  /** Before the first node runs (Kedro's `before_pipeline_run`). */
  beforePipelineRun?(
    args: { runParams: RunParams; pipeline: Pipeline; catalog: Catalog },
  ): void | Promise<void>;
  /**
   * After every node ran (Kedro's `after_pipeline_run`); `runResult` holds the pipeline's free outputs,
   * dataset name → data.
   */
  afterPipelineRun?(
    args: { runParams: RunParams; runResult: Record<string, unknown>; pipeline: Pipeline; catalog: Catalog },
  ): void | Promise<void>;
  /**
   * `error` is what was raised, as in Kedro: the value a node function (or a hook) threw, so
   * `error instanceof MyError` works; kmlf's own error when kmlf raised it (a failed load). `failure` is the
   * error `kmlf run` prints: a stable `code`, the location, and (a `PipelineRunError`) the failed node.
   */
  onPipelineError?(
    args: { error: unknown; failure: KmlfError; runParams: RunParams; pipeline: Pipeline; catalog: Catalog },
  ): void | Promise<void>;
  /**
   * Before a node runs (Kedro's `before_node_run`); return a record to replace some of its inputs (keys must
   * be input names).
   */
  beforeNodeRun?(
    args: NodeHookArgs,
  ): void | Record<string, unknown> | Promise<void | Record<string, unknown>>;
  /**
   * After a node ran and before its outputs are saved (Kedro's `after_node_run`); `outputs` by dataset name.
   */
  afterNodeRun?(args: NodeHookArgs & { outputs: Record<string, unknown> }): void | Promise<void>;
  /** `error` is what the node function threw, as in Kedro (kmlf's own error when kmlf raised it). */
  onNodeError?(args: NodeHookArgs & { error: unknown }): void | Promise<void>;
  /** Before a node's input is loaded from the catalog (Kedro's `before_dataset_loaded`). */
  beforeDatasetLoaded?(args: { datasetName: string; node: Node }): void | Promise<void>;
  /** After a node's input was loaded (Kedro's `after_dataset_loaded`). */
  afterDatasetLoaded?(args: { datasetName: string; data: unknown; node: Node }): void | Promise<void>;
  /** Before a node's output is saved (Kedro's `before_dataset_saved`). */
  beforeDatasetSaved?(args: { datasetName: string; data: unknown; node: Node }): void | Promise<void>;
  /** After a node's output was saved (Kedro's `after_dataset_saved`). */
  afterDatasetSaved?(args: { datasetName: string; data: unknown; node: Node }): void | Promise<void>;
}

/** The names of all hooks, in the order they fire during a run. */
export const HOOK_NAMES = [
  "afterContextCreated",
  "afterCatalogCreated",
  "beforePipelineRun",
  "beforeDatasetLoaded",
  "afterDatasetLoaded",
  "beforeNodeRun",
  "afterNodeRun",
  "onNodeError",
  "beforeDatasetSaved",
  "afterDatasetSaved",
  "afterPipelineRun",
  "onPipelineError",
] as const satisfies readonly (keyof Hooks)[];

/** One of {@link HOOK_NAMES}. */
export type HookName = typeof HOOK_NAMES[number];
