/**
 * Registers kedro-mlflow's three model datasets with the catalog's registry, by short and kedro-mlflow
 * names: `mlflow_model_tracking` (MlflowModelTrackingDataset), `mlflow_model_local`
 * (MlflowModelLocalFileSystemDataset), `mlflow_model_registry` (MlflowModelRegistryDataset).
 *
 * @module
 */
import { z } from "../../zod/mod.ts";
import type { DatasetFactoryContext, DatasetRegistry, DatasetTypeDefinition } from "../../catalog/mod.ts";
import { DatasetError } from "../../errors.ts";
import { servableModelNameProblem } from "../../mlflow_conventions.ts";
import { BUILTIN_FLAVORS, resolveFlavor } from "../flavors/resolve_flavor.ts";
import type { MlflowRunState } from "../run_state.ts";
import {
  MODEL_DATASET_NAMES,
  type ModelDatasetOptions,
  type ModelDatasetType,
} from "./model_dataset_names.ts";
import {
  located,
  type ModelDatasetBase,
  type ModelSaveSettings,
  signatureArg,
  splitArgs,
} from "./model_access.ts";
import { MlflowModelLocalFileSystemDataset } from "./model_local_dataset.ts";
import { MlflowModelRegistryDataset, registryModelUri } from "./model_registry_dataset.ts";
import { MlflowModelTrackingDataset } from "./model_tracking_dataset.ts";

const ARTIFACT_PATH = z.string().check(
  z.regex(/^[\w.-]+(\/[\w.-]+)*$/, "use a relative artifact path: letters, digits, _ . - and /"),
  z.refine((s) => !s.split("/").includes(".."), "must not contain .."),
);
// MLflow's registry rules and a name models:/ can serve (as log_model.registered_model_name of a pipeline's
// inference: block and kmlf models register -n).
const MODEL_NAME = z.string().check(
  z.minLength(1, "must not be empty"),
  z.maxLength(256, "must be at most 256 characters"),
  z.refine((s) => servableModelNameProblem(s) === undefined, {
    error: (issue) => servableModelNameProblem(String(issue.input)),
  }),
);
const ARGS = z.record(z.string(), z.unknown());

// kedro-mlflow arguments that only mean something for Python models.
const PYTHON_ONLY: Record<string, string> = {
  pyfunc_workflow: "kmlf has no pyfunc: an inference pipeline is flavor: kmlf, a JS model object flavor: " +
    "js_value, anything else a flavor class of the project (./flavors/my_flavor.ts#MyFlavor)",
  "save_args.conda_env": "a kmlf model needs no Python environment: remove it",
  "save_args.pip_requirements": "a kmlf model needs no Python environment: remove it",
  "save_args.extra_pip_requirements": "a kmlf model needs no Python environment: remove it",
};

// kedro-mlflow 0.12–1.x's MlflowModelTrackingDataset(artifact_path=…) and MLflow 2's log_model(artifact_path=…)
// (still taken by MLflow 3, deprecated) name what kedro-mlflow 2.0 / MLflow 3 call save_args.name.
const TRACKING_ALIASES = {
  artifact_path: { to: "save_args.name", from: "kedro-mlflow 0.12–1.x" },
  "save_args.artifact_path": { to: "save_args.name", from: "MLflow 2's log_model" },
};
// kedro-mlflow 0.12–1.x's artifact_path default, which its run_id loads from.
const KEDRO_MLFLOW_1_ARTIFACT_PATH = "model";

export type { ModelDatasetOptions };

/**
 * Adds the three model dataset types (built now; `registerMlflowDatasets` registers them to load on first
 * use).
 *
 * @example
 * ```ts
 * registerModelDatasets(registry, state, { flavors: { kmlf: async () => (await import("../models/mod.ts")).kmlfFlavor } });
 * ```
 */
export function registerModelDatasets(
  registry: DatasetRegistry,
  state: MlflowRunState,
  options: ModelDatasetOptions = {},
): void {
  const definitions = modelDatasetDefinitions(state, options);
  for (const [type, names] of Object.entries(MODEL_DATASET_NAMES)) {
    const { factory, ...rest } = definitions[type as ModelDatasetType];
    registry.register([...names], factory, rest);
  }
}

/**
 * The three model dataset types' factories, schemas and hints, by short name.
 *
 * @example
 * ```ts
 * const { mlflow_model_local } = modelDatasetDefinitions(state, {});
 * ```
 */
export function modelDatasetDefinitions(
  state: MlflowRunState,
  options: ModelDatasetOptions = {},
): Record<ModelDatasetType, DatasetTypeDefinition> {
  const builtins = { ...BUILTIN_FLAVORS, ...options.flavors };
  const base = async (
    a: Record<string, unknown>,
    ctx: DatasetFactoryContext,
    flavorRef: string,
    ownLoadKeys: string[],
  ) => {
    const flavor = await resolveFlavor(flavorRef, {
      projectRoot: ctx.projectRoot,
      builtins,
      dataset: ctx.name,
      source: ctx.locate?.(["flavor"]) ?? ctx.source,
    });
    const load = splitArgs(a.load_args as Record<string, unknown>, ownLoadKeys, flavor, {
      dataset: ctx.name,
      group: "load_args",
      locateKey: ctx.locateKey,
      written: ctx.written,
    });
    const common: ModelDatasetBase = {
      name: ctx.name,
      flavor,
      state,
      projectRoot: ctx.projectRoot,
      loadArgs: load.flavorArgs,
    };
    return { common, ownLoad: load.own };
  };
  const saveSettings = async (
    a: Record<string, unknown>,
    ctx: DatasetFactoryContext,
    common: ModelDatasetBase,
    ownKeys: string[],
  ): Promise<ModelSaveSettings & { own: Record<string, unknown> }> => {
    const { own, flavorArgs } = splitArgs(
      a.save_args as Record<string, unknown>,
      ["signature", "input_example", ...ownKeys],
      common.flavor,
      { dataset: ctx.name, group: "save_args", locateKey: ctx.locateKey, written: ctx.written },
    );
    return {
      own,
      flavorArgs,
      signature: await signatureArg(own.signature, ctx.name, ctx.locate?.(["save_args", "signature"])),
      inputExample: own.input_example,
    };
  };

  const mlflow_model_tracking: DatasetTypeDefinition = {
    factory: async (a, ctx) => {
      const { common, ownLoad } = await base(a, ctx, a.flavor as string, ["model_uri"]);
      const save = await saveSettings(a, ctx, common, ["name", "registered_model_name"]);
      for (const [key, schema] of [["name", ARTIFACT_PATH], ["registered_model_name", MODEL_NAME]] as const) {
        const checked = z.optional(schema).safeParse(save.own[key]);
        if (!checked.success) {
          throw new DatasetError(
            "catalog/bad-argument",
            `Invalid value for "${ctx.name}.${
              (ctx.written?.(["save_args", key]) ?? ["save_args", key]).join(".")
            }": ` +
              checked.error.issues[0].message,
            {
              source: ctx.locate?.(["save_args", key]),
              hint: `fix this value (got ${JSON.stringify(save.own[key])})`,
            },
          );
        }
      }
      const fromRun = runModelUri(a, save.own, ctx); // first: it refuses run_id with model_uri
      const modelUri = ownLoad.model_uri ?? fromRun;
      if (ownLoad.model_uri !== undefined) {
        const where = ctx.locate?.(["load_args", "model_uri"]);
        if (typeof modelUri !== "string" || modelUri.trim() === "") {
          throw new DatasetError(
            "catalog/bad-argument",
            `"${ctx.name}.${
              (ctx.written?.(["load_args", "model_uri"]) ?? ["load_args", "model_uri"]).join(".")
            }" ` +
              "must be a model URI",
            {
              source: where,
              hint: "e.g. runs:/<run_id>/model, models:/iris@champion, models:/iris/3, or a folder",
            },
          );
        }
        const { parseModelUri } = await import("../../tracking/mod.ts");
        await located(where, () => parseModelUri(modelUri, { baseDir: ctx.projectRoot }));
      }
      return new MlflowModelTrackingDataset({
        ...common,
        ...save,
        modelUri: modelUri as string | undefined,
        modelUriKey: ownLoad.model_uri === undefined && a.run_id !== undefined ? "run_id" : undefined,
        artifactPath: (save.own.name as string | undefined) ?? ctx.name,
        registeredModelName: save.own.registered_model_name as string | undefined,
      });
    },
    schema: z.strictObject({
      flavor: z.string().check(z.minLength(1)),
      // kedro-mlflow 0.12–1.x: load from this run (load_args.model_uri: runs:/<run_id>/<name> since 2.0).
      run_id: z.optional(z.string().check(z.regex(/^[a-zA-Z0-9][\w-]{0,255}$/, "must be an MLflow run id"))),
      load_args: z.optional(ARGS),
      save_args: z.optional(ARGS),
    }),
    argumentHints: PYTHON_ONLY,
    argumentAliases: TRACKING_ALIASES,
  };

  const mlflow_model_local: DatasetTypeDefinition = {
    factory: async (a, ctx) => {
      const { common } = await base(a, ctx, a.flavor as string, []);
      const save = await saveSettings(a, ctx, common, []);
      return new MlflowModelLocalFileSystemDataset({
        ...common,
        ...save,
        filepath: a.filepath as string,
        version: ctx.version,
      });
    },
    schema: z.strictObject({
      filepath: z.string().check(z.minLength(1)),
      flavor: z.string().check(z.minLength(1)),
      load_args: z.optional(ARGS),
      save_args: z.optional(ARGS),
      versioned: z.optional(z.boolean()),
    }),
    versionable: true,
    argumentHints: {
      ...PYTHON_ONLY,
      log_args: "kedro-mlflow ignores it too; to also log the folder to the run, wrap the dataset: " +
        "type: mlflow_artifact, dataset: {type: mlflow_model_local, …}",
    },
  };

  const mlflow_model_registry: DatasetTypeDefinition = {
    factory: async (a, ctx) => {
      const { common } = await base(a, ctx, (a.flavor as string | undefined) ?? "kmlf", []);
      const options = {
        ...common,
        modelName: a.model_name as string,
        alias: a.alias as string | undefined,
        stageOrVersion: a.stage_or_version === undefined ? undefined : String(a.stage_or_version),
      };
      // The URI is checked now (a stage that is none of MLflow's), before the run.
      const key = a.alias !== undefined && a.stage_or_version === undefined ? "alias" : "stage_or_version";
      const { parseModelUri } = await import("../../tracking/mod.ts");
      await located(ctx.locate?.([key]), () => parseModelUri(registryModelUri(options)));
      return new MlflowModelRegistryDataset(options);
    },
    schema: z.strictObject({
      model_name: MODEL_NAME,
      stage_or_version: z.optional(z.union([z.string().check(z.minLength(1)), z.int().check(z.positive())])),
      alias: z.optional(z.string().check(z.regex(/^[\w-]+$/, "use letters, digits, _ and -"))),
      flavor: z.optional(z.string().check(z.minLength(1))),
      load_args: z.optional(ARGS),
    }),
    argumentHints: PYTHON_ONLY,
  };
  return { mlflow_model_tracking, mlflow_model_local, mlflow_model_registry };
}

// kedro-mlflow 0.12–1.x's run_id loads runs:/<run_id>/<artifact_path> (and refuses a save, as a model_uri
// does); with load_args.model_uri too, which one loads is unclear, so both are refused.
function runModelUri(
  a: Record<string, unknown>,
  own: Record<string, unknown>,
  ctx: DatasetFactoryContext,
): string | undefined {
  const runId = a.run_id as string | undefined;
  if (runId === undefined) return undefined;
  const loadArgs = a.load_args as Record<string, unknown> | undefined;
  if (loadArgs?.model_uri !== undefined) {
    throw new DatasetError(
      "catalog/renamed-argument",
      `"${ctx.name}" gives both run_id and load_args.model_uri, two ways to say which model loads`,
      {
        source: ctx.locateKey?.(["run_id"]),
        hint:
          `keep load_args.model_uri (kedro-mlflow 2.0's), or run_id (0.12–1.x's: it loads runs:/${runId}/<artifact_path>)`,
      },
    );
  }
  return `runs:/${runId}/${(own.name as string | undefined) ?? KEDRO_MLFLOW_1_ARTIFACT_PATH}`;
}
