/**
 * kedro-mlflow's artifact and metric dataset types: their argument schemas and factories. `register.ts`
 * registers them by name and loads this module (with the datasets, the run access and the artifact path
 * rules behind them) when a catalog first uses one.
 *
 * @module
 */
import { laterSchema, type Zod } from "../../zod/on_demand.ts";
import type { BuiltinTypeDefinition } from "../../catalog/registry.ts";
import type { MlflowRunState } from "../run_state.ts";
import { safeArtifactPath } from "../../tracking/artifacts/artifact_repository.ts";
import { MlflowArtifactDataset } from "./artifact_dataset.ts";
import {
  MlflowMetricDataset,
  MlflowMetricHistoryDataset,
  MlflowMetricsHistoryDataset,
} from "./metric_datasets.ts";
import type { RunDatasetType } from "./run_dataset_names.ts";

// The artifact path is refused when the catalog is read (as `kmlf catalog validate` does), by the rule the
// artifact repositories apply at logging time — after the node ran and its output was saved.
const artifactPath = (z: Zod) =>
  z.optional(
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

const runId = (z: Zod) =>
  z.optional(z.string().check(z.regex(/^[a-zA-Z0-9][\w-]{0,255}$/, "must be an MLflow run id")));

const metricSchema = (z: Zod, modes: [string, ...string[]], stepKey: boolean) =>
  z.strictObject({
    key: z.optional(z.string()),
    run_id: runId(z),
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

/**
 * The four types' definitions, their datasets tied to `state` (the run they log to). Metric keys and the
 * metrics prefix default to the catalog entry's name, as in kedro-mlflow.
 *
 * @example
 * ```ts
 * const { mlflow_metric } = runDatasetDefinitions(new MlflowRunState());
 * registerBuiltinLazy(registry, ["mlflow_metric"], () => Promise.resolve(mlflow_metric));
 * ```
 */
export function runDatasetDefinitions(state: MlflowRunState): Record<RunDatasetType, BuiltinTypeDefinition> {
  // The key defaults to the catalog entry's name, as in kedro-mlflow.
  const metricOptions = (a: Record<string, unknown>, name: string) => ({
    name,
    key: (a.key as string | undefined) ?? name,
    state,
    runId: a.run_id as string | undefined,
    loadArgs: a.load_args as Record<string, unknown>,
    saveArgs: a.save_args as Record<string, unknown>,
  });
  return {
    mlflow_artifact: {
      factory: async (a, ctx) => {
        const inner = await ctx.createDataset(
          a.dataset as string | Record<string, unknown>,
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
      schema: laterSchema("catalog:mlflow_artifact", (z) =>
        z.strictObject({
          dataset: z.union([z.string(), z.looseObject({ type: z.string() })]),
          run_id: runId(z),
          artifact_path: artifactPath(z),
          credentials: z.optional(z.unknown()),
        })),
    },
    mlflow_metric: {
      factory: (a, ctx) => new MlflowMetricDataset(metricOptions(a, ctx.name)),
      schema: laterSchema("catalog:mlflow_metric", (z) => metricSchema(z, ["overwrite", "append"], true)),
    },
    mlflow_metric_history: {
      factory: (a, ctx) => new MlflowMetricHistoryDataset(metricOptions(a, ctx.name)),
      schema: laterSchema(
        "catalog:mlflow_metric_history",
        (z) => metricSchema(z, ["list", "dict", "history"], false),
      ),
    },
    mlflow_metrics_history: {
      factory: (a, ctx) =>
        new MlflowMetricsHistoryDataset({
          name: ctx.name,
          prefix: (a.prefix as string | undefined) ?? ctx.name,
          state,
          runId: a.run_id as string | undefined,
        }),
      schema: laterSchema(
        "catalog:mlflow_metrics_history",
        (z) => z.strictObject({ run_id: runId(z), prefix: z.optional(z.string()) }),
      ),
    },
  };
}
