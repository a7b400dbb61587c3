/**
 * Turning node parameters into MLflow params like kedro-mlflow: `params:x` logged as `x`, `parameters`
 * whole, optional dict flattening, name sanitizing, and the long-parameter strategy.
 */
import { ConfigError } from "../errors.ts";
import { paramValueToString } from "../mlflow_conventions.ts";
import { isRecord } from "../is_record.ts";
import { isSourceFloat } from "../source_keys.ts";

/** MLflow's limit on a param value (mlflow/utils/validation.py, MLflow ≥ 2.x). */
export const MAX_PARAM_VALUE_LENGTH = 6000;
// MLflow's limit on a tag value (tracking/limits.ts holds both; lib/tracking/mod.ts is too heavy to load here).
const MAX_TAG_VALUE_LENGTH = 8000;

/** What to log for one node: params, plus values moved to tags by the `tag` strategy. */
export interface ParamPlan {
  params: Record<string, string>;
  tags: Record<string, string>;
  /** Names changed by sanitizing (old → new), for a warning. */
  renamed: Record<string, string>;
  /** Names whose values were cut to the limit (strategy `truncate`). */
  truncated: string[];
}

/**
 * The warnings kedro-mlflow logs for a plan: a value cut to the limit, or logged as a tag instead.
 *
 * @example
 * ```ts
 * paramPlanNotes({ params: {}, tags: { features: "…" }, renamed: {}, truncated: [] });
 * // { features: 'Parameter "features" is over MLflow's 6000 characters: logged as a tag instead (…)' }
 * ```
 */
export function paramPlanNotes(plan: ParamPlan): Record<string, string> {
  const over = `is over MLflow's ${MAX_PARAM_VALUE_LENGTH} characters`;
  const notes: Record<string, string> = {};
  for (const name of plan.truncated) {
    notes[name] =
      `Parameter "${name}" ${over}: logged cut to its first ${MAX_PARAM_VALUE_LENGTH} (long_params_strategy: truncate)`;
  }
  for (const name of Object.keys(plan.tags)) {
    notes[name] = `Parameter "${name}" ${over}: logged as a tag instead (long_params_strategy: tag)`;
  }
  return notes;
}

/** Options from `mlflow.yml` `tracking.params`. */
export interface ParamOptions {
  flatten: boolean;
  recursive: boolean;
  sep: string;
  longParamsStrategy: "fail" | "truncate" | "tag";
}

/**
 * Plans the params of one node from its loaded inputs. `parameters`, the run's parameters, tells which
 * `params:` inputs a file or `--params` gave as floats without a fraction (`lr: 1.0`), logged `1.0` as
 * kedro-mlflow's `str(value)` does; the floats inside a mapping or list the value itself records.
 *
 * @example
 * ```ts
 * planParams({ "params:model": { lr: 0.1 }, iris: [] }, { flatten: true, recursive: true, sep: ".", longParamsStrategy: "fail" });
 * // { params: { "model.lr": "0.1" }, tags: {}, renamed: {}, truncated: [] }
 * ```
 */
export function planParams(
  inputs: Record<string, unknown>,
  options: ParamOptions,
  parameters?: Record<string, unknown>,
): ParamPlan {
  const plan: ParamPlan = { params: {}, tags: {}, renamed: {}, truncated: [] };
  const raw: Record<string, unknown> = {};
  const floats = new Set<string>();
  for (const [name, value] of Object.entries(inputs)) {
    if (name.startsWith("params:")) {
      raw[name.slice(7)] = value;
      if (parameters && heldAsFloat(parameters, name.slice(7), value)) floats.add(name.slice(7));
    } else if (name === "parameters") raw.parameters = value;
  }
  const entries = options.flatten
    ? Object.entries(flatten(raw, options.recursive, options.sep, floats))
    : Object.entries(raw);
  const sources = new Map<string, { name: string; text: string }>();
  for (const [name, value] of entries) {
    const safe = sanitizeName(name);
    if (safe !== name) plan.renamed[name] = safe;
    const text = paramValueToString(value, floats.has(name));
    // Two names one key (`model[lr]` and `model_lr_`): MLflow would keep one of the values, silently.
    const other = sources.get(safe);
    if (other && other.text !== text) {
      throw new ConfigError(
        "mlflow/param-conflict",
        `Parameters "${other.name}" and "${name}" are both logged as "${safe}" (MLflow key rules) with different values`,
        { hint: "rename one of the parameters so that their MLflow keys differ" },
      );
    }
    sources.set(safe, { name, text });
    // Characters as Python (and MLflow) count them: an emoji is one, and is never cut in half.
    const chars = text.length <= MAX_PARAM_VALUE_LENGTH ? undefined : [...text];
    if (!chars || chars.length <= MAX_PARAM_VALUE_LENGTH) plan.params[safe] = text;
    else if (options.longParamsStrategy === "tag") {
      // MLflow would refuse the tag too, with a message quoting the whole value: say it before logging.
      if (chars.length > MAX_TAG_VALUE_LENGTH) {
        throw new ConfigError(
          "mlflow/param-too-long",
          `Parameter "${safe}" is ${chars.length} characters long: too long for a tag as well (MLflow accepts at most ${MAX_TAG_VALUE_LENGTH})`,
          {
            hint:
              "set tracking.params.long_params_strategy to truncate in mlflow.yml, flatten dict params (dict_params.flatten: true), or log the value as an artifact",
          },
        );
      }
      plan.tags[safe] = text;
    } else if (options.longParamsStrategy === "truncate") {
      plan.params[safe] = chars.slice(0, MAX_PARAM_VALUE_LENGTH).join("");
      plan.truncated.push(safe);
    } else {
      throw new ConfigError(
        "mlflow/param-too-long",
        `Parameter "${safe}" is ${chars.length} characters long; MLflow accepts at most ${MAX_PARAM_VALUE_LENGTH}`,
        {
          hint:
            "set tracking.params.long_params_strategy to truncate or tag in mlflow.yml, or flatten dict params (dict_params.flatten: true)",
        },
      );
    }
  }
  return plan;
}

/**
 * MLflow allows letters, digits and `_ - . space : /` in keys; anything else becomes `_`.
 *
 * @example
 * ```ts
 * sanitizeName("model[lr]"); // "model_lr_"
 * ```
 */
export function sanitizeName(name: string): string {
  return name.replace(/[^\w.\- :/]/g, "_");
}

// `floats` holds the flattened names whose values are floats without a fraction (the top level's on entry).
function flatten(
  value: Record<string, unknown>,
  recursive: boolean,
  sep: string,
  floats: Set<string>,
  prefix = "",
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const name = prefix ? `${prefix}${sep}${key}` : key;
    const isDict = child !== null && typeof child === "object" && !Array.isArray(child);
    if (isDict && (recursive || prefix === "")) {
      Object.assign(out, flatten(child as Record<string, unknown>, recursive, sep, floats, name));
    } else {
      out[name] = child;
      if (prefix && isSourceFloat(value, key, child)) floats.add(name);
    }
  }
  return out;
}

// Whether `params:<name>` (a dotted path into `parameters`, whose keys may hold dots) is a float without a
// fraction there. Only an integral number can be one: anything else costs no walk.
function heldAsFloat(parameters: Record<string, unknown>, name: string, value: unknown): boolean {
  if (typeof value !== "number" || !Number.isInteger(value)) return false;
  let node = parameters;
  let rest = name;
  while (!Object.hasOwn(node, rest)) {
    const key = Object.keys(node).find((k) => rest.startsWith(`${k}.`) && isRecord(node[k]));
    if (key === undefined) return false;
    node = node[key] as Record<string, unknown>;
    rest = rest.slice(key.length + 1);
  }
  return isSourceFloat(node, rest, value);
}
