/**
 * What a project with an mlflow.yml needs beyond the plugin, in one module graph: mlflow.yml's schema, the
 * request-header provider, the tracking hook, and the artifact and metric dataset types (tracked catalogs use
 * them). The plugin imports this once, by a computed URL, when it finds an mlflow.yml: one import, where four
 * in turn (one after another as the session set up) took a tracked run ~4 ms longer (bench/README.md);
 * a project without an mlflow.yml loads none of it.
 *
 * @module
 */
export { readMlflowConfig } from "./mlflow_config.ts";
export {
  checkRegistryUri,
  checkTrackingTarget,
  resolveTrackingUri,
  trackingUriOrigin,
} from "./tracking_uri_rules.ts";
export { loadHeaderProvider } from "./header_provider.ts";
export { trackingHooks } from "./tracking_hook.ts";
// Registered lazily (datasets/register.ts); loaded here, that registration's own import finds it loaded.
import "./datasets/run_dataset_types.ts";
