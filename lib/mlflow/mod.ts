/**
 * The kedro-mlflow layer: `mlflow.yml`, the tracking hook and the Mlflow datasets.
 *
 * @module
 */
export { type MlflowConfig, parseMlflowConfig, resolveTrackingUri } from "./mlflow_config.ts";
export { mlflowYmlTemplate } from "./init_template.ts";
export { randomRunName } from "./random_name.ts";
