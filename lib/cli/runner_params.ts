/**
 * Kedro's `--runner-params k=v,...` (and a run config file's `runner_params:`): keyword arguments of the
 * runner's constructor, parsed like `--params`. kmlf's runners take Kedro's two, `max_workers` (kmlf's
 * `--max-workers`) and `is_async` (`--async`); anything else, or a value the matching flag contradicts, is
 * refused rather than dropped. A run config file's are checked where it wrote them (run_config_file.ts),
 * and named as `run.runner_params` in what follows, since the user gave no `--runner-params`.
 */
import { type KmlfError, type SourceLocation, UsageError } from "../errors.ts";
import { parseMaxWorkers } from "../runner/runner_settings.ts";
import { isRecord } from "../is_record.ts";
import { parseRuntimeParams, runtimeParamsFromMapping } from "../config/mod.ts";
import { isSourceFloat } from "../source_keys.ts";

const KEYS = ["max_workers", "is_async"];
const HINT = "kmlf's runners (sequential, thread, parallel) take max_workers=<n> and is_async=true|false";

/**
 * `--max-workers` and `--async` with what `--runner-params` (text) or a run config file's `runner_params`
 * (a mapping) adds to them.
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
  const what = typeof given === "string" ? "--runner-params" : "run.runner_params";
  const params = typeof given === "string" ? parseRunnerParams(given, what) : runnerParamsFromMapping(given);
  const [problem] = runnerParamsProblems(params, what);
  if (problem) throw problem;
  const result: { maxWorkers?: string; maxWorkersFrom?: string; async?: boolean } = { ...flags };
  if ("is_async" in params) {
    // Kedro refuses the deprecated --async next to is_async=False too.
    if (flags.async && !params.is_async) {
      throw bad(`--async contradicts ${what} is_async=false`, "keep one of them");
    }
    result.async = params.is_async as boolean;
  }
  if ("max_workers" in params) {
    const maxWorkers = String(params.max_workers);
    if (flags.maxWorkers !== undefined && flags.maxWorkers !== maxWorkers) {
      throw bad(
        `--max-workers ${flags.maxWorkers} contradicts ${what} max_workers=${maxWorkers}`,
        "keep one of them",
      );
    }
    if (flags.maxWorkers === undefined) {
      result.maxWorkers = maxWorkers;
      result.maxWorkersFrom = `${what} max_workers`;
    }
  }
  return result;
}

/**
 * `--runner-params` text as a mapping (as `--params` parses it), with a runner's example in the hint.
 *
 * @example
 * ```ts
 * parseRunnerParams("max_workers=4", "--runner-params"); // { max_workers: 4 }
 * ```
 */
export function parseRunnerParams(text: string, what: string): Record<string, unknown> {
  let params: Record<string, unknown>;
  try {
    params = parseRuntimeParams(text, what);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(error.code, error.message, { hint: `write ${what} "max_workers=4,is_async=true"` });
  }
  // A count is checked as written, as --max-workers is: `max_workers=2.0` is a float to Kedro (its
  // ParallelRunner refuses it), though JavaScript reads it as the number 2.
  const written = text.split(",").map((item) => item.trim()).findLast((item) =>
    /^max_workers\s*[=:]/.test(item)
  );
  if (written !== undefined && typeof params.max_workers === "number") {
    const value = written.slice(written.search(/[=:]/) + 1).trim();
    if (!/^\d+$/.test(value)) params.max_workers = value;
  }
  return params;
}

/**
 * A run config file's `runner_params:` mapping as runner params (dotted keys nested as in text): a count
 * the file wrote as a float (`max_workers: 2.0`, read by JavaScript as 2) is kept as its text, so it is
 * refused as Kedro's ParallelRunner refuses it. The mapping is read with source keys (readYamlFile's
 * `sourceKeys`) for that.
 *
 * @example
 * ```ts
 * runnerParamsFromMapping({ max_workers: 4 }); // { max_workers: 4 }
 * ```
 */
export function runnerParamsFromMapping(mapping: Record<string, unknown>): Record<string, unknown> {
  const params = runtimeParamsFromMapping(mapping);
  const count = mapping.max_workers;
  if (typeof count === "number" && isSourceFloat(mapping, "max_workers", count)) {
    params.max_workers = `${count}.0`;
  }
  return params;
}

/**
 * What is wrong with runner params: keys kmlf's runners do not take, values of the wrong kind (a count
 * is a whole number of at least 1). `locate` places each key (a run config file's line).
 *
 * @example
 * ```ts
 * runnerParamsProblems({ workers: 2 }, "--runner-params"); // [UsageError cli/bad-runner-params]
 * ```
 */
export function runnerParamsProblems(
  params: Record<string, unknown>,
  what: string,
  locate: (key: string) => SourceLocation | undefined = () => undefined,
): KmlfError[] {
  const problems: KmlfError[] = [];
  const unknown = Object.keys(params).filter((key) => !KEYS.includes(key));
  if (unknown.length > 0) {
    problems.push(bad(
      `${what} names ${unknown.map((k) => `"${k}"`).join(", ")}, which kmlf's runners do not take`,
      HINT,
      locate(unknown[0]),
    ));
  }
  if ("is_async" in params && typeof params.is_async !== "boolean") {
    problems.push(bad(
      `${what} is_async must be true or false, got ${JSON.stringify(params.is_async)}`,
      "write is_async=true",
      locate("is_async"),
    ));
  }
  const maxWorkers = params.max_workers;
  // Digits as text come from a file's quotes only (`max_workers: "4"`: text parses to the number 4); Kedro's
  // ParallelRunner(max_workers="4") fails in Python, so the file is told, as for 2.0.
  if (typeof maxWorkers === "string" && /^\s*\d+\s*$/.test(maxWorkers)) {
    problems.push(bad(
      `${what} max_workers must be a number, got the text ${JSON.stringify(maxWorkers)}`,
      `write it without quotes, e.g. max_workers: ${maxWorkers.trim()}`,
      locate("max_workers"),
    ));
  } else if (
    "max_workers" in params && (isRecord(maxWorkers) || Array.isArray(maxWorkers) || maxWorkers === null)
  ) {
    problems.push(bad(
      `${what} max_workers must be a whole number, got ${JSON.stringify(maxWorkers)}`,
      "write max_workers=4",
      locate("max_workers"),
    ));
  } else if ("max_workers" in params) {
    try {
      parseMaxWorkers(String(maxWorkers), { flag: `${what} max_workers`, source: locate("max_workers") });
    } catch (error) {
      problems.push(error as KmlfError);
    }
  }
  return problems;
}

function bad(message: string, hint: string, source?: SourceLocation): UsageError {
  return new UsageError("cli/bad-runner-params", message, { hint, ...(source ? { source } : {}) });
}
