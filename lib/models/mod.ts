/**
 * Models logged by kmlf, loaded and used: `loadModel` (predict in TypeScript), the scoring server of
 * `kmlf models serve` (MLflow's scoring protocol) and the input parsing of `kmlf models predict`.
 * It runs inference pipelines, so it needs the pipeline, catalog and runner layers — which is why the
 * tracking server (lib/server) never imports it.
 *
 * @module
 */
export { defaultModelCacheDir } from "../tracking/models/resolve_model.ts";
export {
  type KmlfModel,
  loadModel,
  loadModelDir,
  type LoadModelOptions,
  locateModel,
  type ModelOrigin,
} from "./load_model.ts";
export { modelPins, unmetPins } from "./pinned_versions.ts";
export { kmlfFlavor } from "./kmlf_flavor.ts";
export { convertColumns, enforceColumns, enforceParams, type Row } from "./enforce.ts";
export { frameRepr } from "./frame_repr.ts";
export { contentKind, parseScoringBody, predictionsBody, type ScoringInput } from "./scoring_protocol.ts";
export { ScoringError } from "./scoring_error.ts";
export { jsonablePredictions } from "./predictions_json.ts";
export {
  DEFAULT_MAX_BODY_BYTES,
  errorResponse,
  scoringHandler,
  type ScoringHandlerOptions,
} from "./scoring_server.ts";
