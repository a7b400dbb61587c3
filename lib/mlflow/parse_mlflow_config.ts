/**
 * mlflow.yml validated synchronously, for the public API: kmlf's own commands read it with
 * `readMlflowConfig` (lib/mlflow/mlflow_config.ts), which loads zod only when the validation cache does not
 * know the value; this module has zod loaded.
 *
 * @module
 */
import { z } from "../zod/mod.ts";
import { cacheAs } from "../zod/on_demand.ts";
import { validateWith } from "../yaml/validate.ts";
import {
  checkLegacyLayout,
  type LoadedMlflowYml,
  MLFLOW_YML_VALIDATION,
  type MlflowConfig,
  mlflowConfigFrom,
  type MlflowConfigOptions,
  MlflowYml,
} from "./mlflow_config.ts";

/**
 * Validates the merged `mlflow` config; the experiment name defaults to the project name.
 *
 * @example
 * ```ts
 * const cfg = parseMlflowConfig({ data: {}, files: [], locate: () => undefined }, { projectName: "iris" });
 * cfg.tracking.experiment.name; // "iris"
 * ```
 */
export function parseMlflowConfig(loaded: LoadedMlflowYml, options: MlflowConfigOptions): MlflowConfig {
  checkLegacyLayout(loaded);
  const schema = cacheAs(MlflowYml.now(z), "mlflow.yml");
  return mlflowConfigFrom(
    validateWith(schema, loaded.data ?? {}, loaded, MLFLOW_YML_VALIDATION),
    loaded,
    options,
  );
}
