/**
 * Runners execute a pipeline against a catalog, firing hooks. They know nothing about tracking:
 * MLflow support is added through hooks by the session.
 *
 * @module
 */
export {
  type NodeTiming,
  type RunnerOptions,
  type RunReporter,
  type RunResult,
  SequentialRunner,
} from "./sequential_runner.ts";
export { PipelineRunError } from "./run_error.ts";
export { findResumeNodes } from "./resume.ts";
export { onlyMissingOutputs } from "./only_missing.ts";
export { checkFreeInputs, checkRunnable } from "./check_inputs.ts";
