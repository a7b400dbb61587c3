/**
 * The hook specification: Kedro's hooks in camelCase, each taking one arguments object.
 * Implementations may declare any subset of hooks and destructure any subset of arguments.
 *
 * @module
 */
import type { Catalog } from "../catalog/mod.ts";
import type { KmlfError } from "../errors.ts";
import type { Node, Pipeline } from "../pipeline/mod.ts";

/** Parameters describing one `kmlf run`, passed to pipeline-level hooks. */
export interface RunParams {
  /** The run id, also the save version of versioned datasets (`YYYY-MM-DDThh.mm.ss.sssZ`). */
  runId: string;
  projectPath: string;
  env: string;
  kmlfVersion: string;
  pipelineNames: string[];
  tags: string[];
  nodeNames: string[];
  fromNodes: string[];
  toNodes: string[];
  fromInputs: string[];
  toOutputs: string[];
  namespaces: string[];
  loadVersions: Record<string, string>;
  runtimeParams: Record<string, unknown>;
  onlyMissingOutputs: boolean;
  runner: string;
  /** The exact command line that reproduces this run (argv joined with shell quoting). */
  commandLine: string;
}

/**
 * What `afterContextCreated` gets, as Kedro's hook gets its KedroContext: the project, and its config for a
 * hook to read (Kedro's pyspark starter reads `spark.yml` there: `context.config_loader["spark"]`).
 */
export type HookContext = {
  projectPath: string;
  projectName: string;
  env: string;
  runId: string;
  /** The merged parameters, runtime params included (Kedro's `context.params`). */
  params: Record<string, unknown>;
  /** One config type (`"spark"` reads `conf/<env>/spark*.yml`), environments merged and interpolated. */
  loadConfig(type: string): Promise<Record<string, unknown>>;
};

/** Everything the runner passes to node-level hooks. */
export interface NodeHookArgs {
  node: Node;
  catalog: Catalog;
  inputs: Record<string, unknown>;
  /** Kedro's `is_async`: whether the runner loads and saves this node's data concurrently (`--async`). */
  isAsync: boolean;
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
  afterContextCreated?(args: { context: HookContext }): void | Promise<void>;
  afterCatalogCreated?(args: {
    catalog: Catalog;
    confCatalog: Record<string, unknown>;
    confCreds: Record<string, unknown>;
    parameters: Record<string, unknown>;
    saveVersion: string;
    loadVersions: Record<string, string>;
  }): void | Promise<void>;
  beforePipelineRun?(
    args: { runParams: RunParams; pipeline: Pipeline; catalog: Catalog },
  ): void | Promise<void>;
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
  beforeNodeRun?(
    args: NodeHookArgs,
  ): void | Record<string, unknown> | Promise<void | Record<string, unknown>>;
  afterNodeRun?(args: NodeHookArgs & { outputs: Record<string, unknown> }): void | Promise<void>;
  /** `error` is what the node function threw, as in Kedro (kmlf's own error when kmlf raised it). */
  onNodeError?(args: NodeHookArgs & { error: unknown }): void | Promise<void>;
  beforeDatasetLoaded?(args: { datasetName: string; node: Node }): void | Promise<void>;
  afterDatasetLoaded?(args: { datasetName: string; data: unknown; node: Node }): void | Promise<void>;
  beforeDatasetSaved?(args: { datasetName: string; data: unknown; node: Node }): void | Promise<void>;
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
