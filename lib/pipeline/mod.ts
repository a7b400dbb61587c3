/**
 * Pipelines: nodes bound to TypeScript functions, declared in YAML, validated, sorted and filtered.
 *
 * @module
 */
export {
  type DatasetField,
  type FuncLocation,
  type InputBinding,
  type NamespacedName,
  Node,
  type NodeFunction,
  type NodeSpec,
  type OutputBinding,
} from "./node.ts";
export {
  type InferenceSpec,
  type MlBinding,
  Pipeline,
  type PipelineFilter,
  type PipelineJson,
} from "./pipeline.ts";
export { loadPipelineFile, loadPipelines, pipelineNames } from "./lazy_loader.ts";
export { checkInferenceEntry, inferenceOutput, inferenceProblems, inferenceSpec } from "./inference.ts";
export type { InferenceEntryValue } from "./inference_schema.ts";
export { isParameter, transcodeBase } from "../dataset_names.ts";
export { importModule } from "./modules.ts";
export {
  interruptionError,
  type NamespaceInterruption,
  namespaceInterruptions,
} from "./namespace_contiguity.ts";
