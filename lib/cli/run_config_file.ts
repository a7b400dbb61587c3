/**
 * `kmlf run --config run.yml` (`-c`), Kedro's run configuration file: a top-level `run:` mapping whose
 * keys are `kmlf run`'s option names with underscores (`from_nodes`, `load_versions`), or Kedro's parameter
 * names `node_names` and `is_async`. They are defaults: flags given on the command line win.
 */
import { resolve } from "../path.ts";
import { foreignPath } from "../foreign_path.ts";
import type { Command } from "./_commander/index.js";
import { didYouMeanHint, KmlfAggregateError, UsageError } from "../errors.ts";
import { readYamlFile } from "../yaml/parse_yaml.ts";
import { runtimeParamsFromMapping } from "../config/mod.ts";
import { isRecord } from "../is_record.ts";
import { isSourceFloat } from "../source_keys.ts";
import type { KmlfError, SourceLocation } from "../errors.ts";
import { parseRunnerParams, runnerParamsFromMapping, runnerParamsProblems } from "./runner_params.ts";

type Scalar = string | number | boolean;

const KEDRO_KEYS: Readonly<Record<string, string>> = { node_names: "nodes", is_async: "async" };

/**
 * The options of `command` with the values of `file`'s `run:` section filled in where the command line
 * did not set them. Lists become comma-separated text; a `params` mapping stays a mapping (typed values).
 *
 * @example
 * ```ts
 * const options = await applyRunConfigFile("run.yml", command); // { tags: "a,b", env: "prod", … }
 * ```
 */
export async function applyRunConfigFile(file: string, command: Command): Promise<Record<string, unknown>> {
  const path = resolve(file);
  // Source keys: a float the file wrote (`max_workers: 2.0`) is told from an int (runnerParamsFromMapping).
  const src = await readYamlFile(path, { code: "cli/bad-config-file", sourceKeys: true });
  const top = src.value as Record<string, unknown> | null;
  const run = top && typeof top === "object" && !Array.isArray(top) ? top.run : undefined;
  if (run === null || typeof run !== "object" || Array.isArray(run)) {
    throw new UsageError("cli/bad-config-file", `Run config file ${path} has no \`run:\` mapping`, {
      source: src.locate([]),
      hint: "write `run:` followed by option names with underscores, e.g.\nrun:\n  tags: a,b\n  env: prod",
    });
  }
  const byKey = new Map(
    command.options.map((o) => [o.attributeName().replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), o]),
  );
  byKey.delete("config");
  // Kedro validates the file's keys against its click parameters, two of which are not named after their
  // flag: `node_names` (--nodes) and `is_async` (--async). A Kedro run.yml uses those.
  for (const [kedroKey, key] of Object.entries(KEDRO_KEYS)) byKey.set(kedroKey, byKey.get(key)!);
  const options = { ...command.opts() };
  const problems: KmlfError[] = [];
  for (const [key, value] of Object.entries(run as Record<string, unknown>)) {
    const option = byKey.get(key);
    const at = src.locate(["run", key]);
    if (option === undefined) {
      problems.push(
        new UsageError("cli/bad-config-file", `Unknown key "run.${key}" in ${file}`, {
          source: at,
          hint: `${didYouMeanHint(key, byKey.keys())} keys are \`kmlf run\` options with underscores: ${
            [...byKey.keys()].filter((k) => !(k in KEDRO_KEYS)).join(", ")
          } (Kedro's node_names and is_async work too)`.trim(),
        }),
      );
      continue;
    }
    const name = option.attributeName();
    if (command.getOptionValueSource(name) === "cli") continue;
    // `runner_params` is checked here, where the file wrote it: the user passed no --runner-params.
    if (key === "runner_params") {
      const params = runnerParamsOf(value, file, at, (k) => src.locate(["run", key, k]) ?? at, problems);
      if (params) options[name] = params;
      continue;
    }
    // A `params` mapping is kept as Kedro keeps it: typed values, no comma splitting.
    if (key === "params" && value !== null && typeof value === "object" && !Array.isArray(value)) {
      options[name] = runtimeParamsFromMapping(value as Record<string, unknown>);
      continue;
    }
    if (key === "max_workers") {
      const problem = countProblem(run as Record<string, unknown>, value, file, at);
      if (problem) {
        problems.push(problem);
        continue;
      }
    }
    const text = optionValue(value);
    if (text === undefined || (option.isBoolean() !== (typeof text === "boolean"))) {
      problems.push(
        new UsageError("cli/bad-config-file", `Invalid value for "run.${key}" in ${file}`, {
          source: at,
          hint: option.isBoolean()
            ? "use true or false"
            : "use text, a number or a list" + (key === "params" ? " (or a mapping of parameters)" : ""),
        }),
      );
      continue;
    }
    // Kedro reads conf_source as written: `~/conf` or `C:\conf` off Windows is no folder its writer meant.
    const foreign = key === "conf_source" && typeof text === "string"
      ? foreignPath(text, {
        tilde: "in a run config file (Kedro reads it as written)",
        relative: "a relative one",
      })
      : undefined;
    if (foreign) {
      problems.push(
        new UsageError(
          "cli/bad-config-file",
          `Cannot use "run.${key}" ${text} in ${file}: ${foreign.problem}`,
          {
            source: at,
            hint: foreign.hint,
          },
        ),
      );
      continue;
    }
    options[name] = text;
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new KmlfAggregateError(problems, `Invalid run config file ${file}`);
  return options;
}

// `run.max_workers` as the file wrote it: `--max-workers "4"` is a number by parsing, but a file's quoted
// "4" is text and its 2.0 a float (JavaScript reads it as 2), both refused as runner_params' count is.
function countProblem(
  run: Record<string, unknown>,
  value: unknown,
  file: string,
  at: SourceLocation | undefined,
): UsageError | undefined {
  const problem = typeof value === "string"
    ? `must be a number, got the text ${JSON.stringify(value)}`
    : typeof value === "number" && isSourceFloat(run, "max_workers", value)
    ? `must be a whole number of at least 1, got ${value}.0`
    : undefined;
  if (problem === undefined) return undefined;
  const example = typeof value === "number"
    ? value
    : /^\s*\d+\s*$/.test(String(value))
    ? String(value).trim()
    : 4;
  return new UsageError("cli/bad-config-file", `run.max_workers in ${file} ${problem}`, {
    source: at,
    hint: `write a whole number without quotes, e.g. max_workers: ${example}`,
  });
}

// A scalar or a list of scalars → what the flag would carry.
function optionValue(value: unknown): Scalar | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" || typeof value === "number") return String(value);
  if (Array.isArray(value) && value.every((v) => ["string", "number", "boolean"].includes(typeof v))) {
    return value.join(",");
  }
  return undefined;
}

// `run.runner_params` as a mapping (text is parsed as --runner-params is), or undefined with its problems
// added to `problems`.
function runnerParamsOf(
  value: unknown,
  file: string,
  at: SourceLocation | undefined,
  locate: (key: string) => SourceLocation | undefined,
  problems: KmlfError[],
): Record<string, unknown> | undefined {
  const what = "run.runner_params";
  let params: Record<string, unknown>;
  try {
    if (isRecord(value)) params = runnerParamsFromMapping(value);
    else if (typeof value === "string") params = parseRunnerParams(value, what);
    else throw new UsageError("cli/bad-config-file", `Invalid value for "${what}" in ${file}`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const hint = "use a mapping of the runner's arguments, e.g.\nrunner_params:\n  max_workers: 4\n" +
      '  is_async: true\n(or the text "max_workers=4,is_async=true")';
    problems.push(new UsageError(error.code, error.message, { source: at, hint }));
    return undefined;
  }
  const found = runnerParamsProblems(params, `${what} in ${file}`, isRecord(value) ? locate : () => at);
  problems.push(...found);
  return found.length === 0 ? params : undefined;
}
