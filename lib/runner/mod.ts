/**
 * Runners execute a pipeline against a catalog, firing hooks: sequential (one node at a time), thread
 * (concurrent nodes on the main thread, for async I/O) and parallel (node functions in Web Workers, for
 * CPU-bound work). They know nothing about tracking: MLflow support is added through hooks by the session.
 *
 * @module
 */
export type {
  NodeCompletedEvent,
  NodeFailedEvent,
  NodeScope,
  NodeStartedEvent,
  NodeTiming,
  Runner,
  RunnerConstructorOptions,
  RunnerOptions,
  RunReporter,
  RunResult,
} from "./run_types.ts";
export { SequentialRunner } from "./sequential_runner.ts";
export { ThreadRunner } from "./thread_runner.ts";
export { ParallelRunner } from "./parallel_runner.ts";
export { createRunner } from "./create_runner.ts";
export {
  defaultMaxWorkers,
  parseMaxWorkers,
  parseRunnerKind,
  type RunnerKind,
  type RunnerSpec,
} from "./runner_settings.ts";
export { inspectCrossing } from "./crossing.ts";
export { PipelineRunError, raisedError } from "./run_error.ts";
export { findResumeNodes } from "./resume.ts";
export { onlyMissingOutputs } from "./only_missing.ts";
export { checkFreeInputs, checkRunnable } from "./check_inputs.ts";
export { pinnedOutputWarnings } from "./pinned_outputs.ts";
export { lostOutputWarnings, misspeltEntries, misspeltEntry } from "./lost_outputs.ts";
