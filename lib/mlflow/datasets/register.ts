/** Registers the Mlflow datasets with the catalog's registry, by short and kedro-mlflow names. */
import { z } from "../../zod/mod.ts";
import type { DatasetRegistry, DatasetTypeDefinition } from "../../catalog/mod.ts";
import type { MlflowRunState } from "../run_state.ts";
import { safeArtifactPath } from "../../tracking/artifacts/artifact_repository.ts";
import {
  MODEL_DATASET_NAMES,
  type ModelDatasetOptions,
  type ModelDatasetType,
} from "./model_dataset_names.ts";
import { MlflowArtifactDataset } from "./artifact_dataset.ts";
import {
  MlflowMetricDataset,
  MlflowMetricHistoryDataset,
  MlflowMetricsHistoryDataset,
} from "./metric_datasets.ts";

// The artifact path is refused when the catalog is read (as `kmlf catalog validate` does), by the rule the
// artifact repositories apply at logging time — after the node ran and its output was saved.
const ArtifactPath = z.optional(
  z.string().check(z.refine((s) => artifactPathProblem(s) === undefined, {
    error: (issue) => artifactPathProblem(String(issue.input)),
  })),
);
function artifactPathProblem(path: string): string | undefined {
  try {
    safeArtifactPath(path);
  } catch (error) {
    return (error as Error).message;
  }
}

const RunId = z.optional(z.string().check(z.regex(/^[a-zA-Z0-9][\w-]{0,255}$/, "must be an MLflow run id")));

/**
 * Adds `mlflow_artifact`, `mlflow_metric`, `mlflow_metric_history` and `mlflow_metrics_history` (also
 * `MlflowArtifactDataset`, `kedro_mlflow.io.artifacts.MlflowArtifactDataset`, …) and the model datasets
 * (`register_models.ts`). Metric keys and the metrics prefix default to the catalog entry's name, as in
 * kedro-mlflow.
 *
 * @example
 * ```ts
 * registerMlflowDatasets(registry, new MlflowRunState());
 * ```
 */
export function registerMlflowDatasets(
  registry: DatasetRegistry,
  state: MlflowRunState,
  options: ModelDatasetOptions = {},
): void {
  registry.register(
    ["mlflow_artifact", "MlflowArtifactDataset", "kedro_mlflow.io.artifacts.MlflowArtifactDataset"],
    async (a, ctx) => {
      const inner = await ctx.createDataset(
        typeof a.dataset === "string" ? { type: a.dataset } : a.dataset as Record<string, unknown>,
        ctx.name,
        ["dataset"],
      );
      return new MlflowArtifactDataset({
        name: ctx.name,
        inner,
        state,
        runId: a.run_id as string | undefined,
        artifactPath: a.artifact_path as string | undefined,
      });
    },
    {
      schema: z.strictObject({
        dataset: z.union([z.string(), z.looseObject({ type: z.string() })]),
        run_id: RunId,
        artifact_path: ArtifactPath,
        credentials: z.optional(z.unknown()),
      }),
    },
  );
  // The key defaults to the catalog entry's name, as in kedro-mlflow.
  const metricOptions = (a: Record<string, unknown>, name: string) => ({
    name,
    key: (a.key as string | undefined) ?? name,
    state,
    runId: a.run_id as string | undefined,
    loadArgs: a.load_args as Record<string, unknown>,
    saveArgs: a.save_args as Record<string, unknown>,
  });
  const metricSchema = (modes: [string, ...string[]], stepKey: boolean) =>
    z.strictObject({
      key: z.optional(z.string()),
      run_id: RunId,
      load_args: z.optional(z.strictObject(
        stepKey ? { step: z.optional(z.int()) } : { mode: z.optional(z.enum(modes)) },
      )),
      save_args: z.optional(z.strictObject({
        mode: z.optional(z.enum(modes)),
        // kedro-mlflow passes the other save_args to log_metric: timestamp, and MLflow 2's synchronous
        // (kmlf always logs before the save returns, so either value gives the same metric).
        ...(stepKey
          ? {
            step: z.optional(z.int()),
            timestamp: z.optional(z.int().check(z.gte(0))),
            synchronous: z.optional(z.nullable(z.boolean())),
          }
          : {}),
      })),
    });
  registry.register(
    ["mlflow_metric", "MlflowMetricDataset", "kedro_mlflow.io.metrics.MlflowMetricDataset"],
    (a, ctx) => new MlflowMetricDataset(metricOptions(a, ctx.name)),
    { schema: metricSchema(["overwrite", "append"], true) },
  );
  registry.register(
    [
      "mlflow_metric_history",
      "MlflowMetricHistoryDataset",
      "kedro_mlflow.io.metrics.MlflowMetricHistoryDataset",
    ],
    (a, ctx) => new MlflowMetricHistoryDataset(metricOptions(a, ctx.name)),
    { schema: metricSchema(["list", "dict", "history"], false) },
  );
  registry.register(
    [
      "mlflow_metrics_history",
      "MlflowMetricsHistoryDataset",
      "kedro_mlflow.io.metrics.MlflowMetricsHistoryDataset",
    ],
    (a, ctx) =>
      new MlflowMetricsHistoryDataset({
        name: ctx.name,
        prefix: (a.prefix as string | undefined) ?? ctx.name,
        state,
        runId: a.run_id as string | undefined,
      }),
    { schema: z.strictObject({ run_id: RunId, prefix: z.optional(z.string()) }) },
  );
  // The model datasets (and the model logging behind them) load when a catalog uses one.
  let models: Promise<Record<ModelDatasetType, DatasetTypeDefinition>> | undefined;
  for (const [type, names] of Object.entries(MODEL_DATASET_NAMES)) {
    registry.registerLazy([...names], async () => {
      models ??= modelTypes().then((m) => m.modelDatasetDefinitions(state, options));
      return (await models)[type as ModelDatasetType];
    });
  }
}

// By a computed URL, which Deno does not read with this module (the bundle makes it an entry point).
const modelTypes = (): Promise<typeof import("./register_models.ts")> =>
  import(new URL("./register_models.ts", import.meta.url).href);
