/**
 * kmlf's tracking server: an MLflow-compatible REST API and web UI over any `TrackingStore`.
 * It never imports the runner, the session, pipelines or the catalog.
 *
 * @module
 */
export { createRequestHandler, MLFLOW_API_VERSION, type RequestHandlerOptions } from "./handler.ts";
export {
  type Handler,
  healthFirst,
  type RunningServer,
  startServer,
  type StartServerOptions,
} from "./serve.ts";
export { isRemoteDestination, loopbackHostsFor } from "./server_options.ts";
export { authEnabled, type ServerAuth, serverAuthFromEnv } from "./auth.ts";
export { CORS_ORIGINS_ENV, corsOriginsFrom, DEFAULT_CORS_ORIGINS } from "../cross_origin.ts";
export { artifactRepositoryResolver, proxiedPathOfUri } from "./artifact_paths.ts";
export { bulkIntervalHistory, sampledStepsFromSteps, sampleRunSteps, sampleSteps } from "./metric_bulk.ts";
export { serveUi, uiWithStartPage } from "./ui/ui_routes.ts";
