/**
 * Kedro's `--runner-params k=v,...` (and a run config file's `runner_params:`): keyword arguments of the
 * runner's constructor, parsed like `--params`. kmlf's runners take Kedro's two, `max_workers` (kmlf's
 * `--max-workers`) and `is_async` (`--async`); anything else, or a value the matching flag contradicts, is
 * refused rather than dropped.
 */
import { UsageError } from "../errors.ts";
import { isRecord } from "../is_record.ts";
import { parseRuntimeParams, runtimeParamsFromMapping } from "../config/mod.ts";

const KEYS = ["max_workers", "is_async"];

/**
 * `--max-workers` and `--async` with what `--runner-params` adds to them.
 *
 * @example
 * ```ts
 * applyRunnerParams("max_workers=4,is_async=True", {}); // { maxWorkers: "4", maxWorkersFrom: "--runner-params max_workers", async: true }
 * ```
 */
export function applyRunnerParams(
  given: string | Record<string, unknown>,
  flags: { maxWorkers?: string; async?: boolean },
): { maxWorkers?: string; maxWorkersFrom?: string; async?: boolean } {
  const params = typeof given === "string"
    ? parseRuntimeParams(given, "--runner-params")
    : runtimeParamsFromMapping(given);
  const unknown = Object.keys(params).filter((key) => !KEYS.includes(key));
  if (unknown.length > 0) {
    throw bad(
      `--runner-params names ${unknown.map((k) => `"${k}"`).join(", ")}, which kmlf's runners do not take`,
      "kmlf's runners (sequential, thread, parallel) take max_workers=<n> and is_async=true|false",
    );
  }
  const result: { maxWorkers?: string; maxWorkersFrom?: string; async?: boolean } = { ...flags };
  if ("is_async" in params) {
    const isAsync = params.is_async;
    if (typeof isAsync !== "boolean") {
      throw bad(
        `--runner-params is_async must be true or false, got ${JSON.stringify(isAsync)}`,
        "write is_async=true",
      );
    }
    // Kedro refuses the deprecated --async next to is_async=False too.
    if (flags.async && !isAsync) {
      throw bad("--async contradicts --runner-params is_async=false", "keep one of them");
    }
    result.async = isAsync;
  }
  if ("max_workers" in params) {
    const maxWorkers = params.max_workers;
    if (isRecord(maxWorkers) || Array.isArray(maxWorkers) || maxWorkers === null) {
      throw bad(
        `--runner-params max_workers must be a whole number, got ${JSON.stringify(maxWorkers)}`,
        "write max_workers=4",
      );
    }
    if (flags.maxWorkers !== undefined && flags.maxWorkers !== String(maxWorkers)) {
      throw bad(
        `--max-workers ${flags.maxWorkers} contradicts --runner-params max_workers=${maxWorkers}`,
        "keep one of them",
      );
    }
    if (flags.maxWorkers === undefined) {
      result.maxWorkers = String(maxWorkers);
      result.maxWorkersFrom = "--runner-params max_workers";
    }
  }
  return result;
}

function bad(message: string, hint: string): UsageError {
  return new UsageError("cli/bad-runner-params", message, { hint });
}
