import type { KmlfError } from "../errors.ts";
import { isRecord } from "../is_record.ts";
import type { CatalogWarning } from "./catalog_options.ts";
import { passRuntimeParam, RUNTIME_PARAMS_OPTION } from "../runtime_params_hint.ts";

/**
 * Where a project's parameters and catalog entries are written, so that "define it in …" and "declare it
 * in …" hints name the project's own files (`conf/base/parameters_data_science.yml`,
 * `config/base/catalog_raw.yml`) instead of fixed ones.
 */

/**
 * The parameter files a catalog's `params:*` came from, as the session read them.
 *
 * @example
 * ```ts
 * const sources: ParameterSources = { files: ["conf/base/parameters_ds.yml"], newFile: "conf/base/parameters.yml" };
 * ```
 */
export interface ParameterSources {
  /** The files that matched the parameters patterns (base env first), as they are shown to users. */
  files: readonly string[];
  /** The file that writes the top-level parameter `key`, when one does. */
  fileOf?: (key: string) => string | undefined;
  /** The file to create when there are none (the base env's `parameters.yml`, or the pattern's name). */
  newFile?: string;
  /**
   * Why there are no parameter files: `Catalog.addParameters` makes it a warning of `parameters`,
   * as Kedro's context warns "Parameters not found in your Kedro project config" and goes on.
   */
  missing?: KmlfError;
  /**
   * How the caller gives runtime parameters, for hints: `--params` (the CLI); without it, a script's
   * session, whose `runtimeParams` option the hints name.
   */
  runtimeParamsFlag?: string;
}

/** What the hints said before kmlf knew the project's files; still the answers without sources. */
const DEFAULT_FILE = "conf/base/parameters.yml";
const DEFAULT_CATALOG = "conf/base/catalog.yml";
const SHOWN = 3;

/**
 * The file(s) a hint should tell a user to define parameter `key` (dotted, without `params:`) in: the file
 * that already writes its top-level key, else the project's only parameter file, else its first few files,
 * else the file to create.
 *
 * @example
 * ```ts
 * parameterFileFor({ files: ["conf/base/parameters_ds.yml"] }, "model.lr"); // "conf/base/parameters_ds.yml"
 * parameterFileFor({ files: ["a.yml", "b.yml"] }, "seed"); // "one of a.yml, b.yml"
 * ```
 */
export function parameterFileFor(sources: ParameterSources | undefined, key: string): string {
  if (!sources) return DEFAULT_FILE;
  const own = sources.fileOf?.(key.split(".")[0]);
  if (own) return own;
  const { files } = sources;
  if (files.length === 1) return files[0];
  if (files.length > 1) {
    return `one of ${files.slice(0, SHOWN).join(", ")}${files.length > SHOWN ? `, … (${files.length})` : ""}`;
  }
  return `${sources.newFile ?? DEFAULT_FILE} (a new file: the project has no parameter files yet)`;
}

/**
 * The datasets parameters become: `parameters` (everything) and `params:<key>` for every key, recursively
 * into mappings (`params:model`, `params:model.lr`, …), each with its value.
 *
 * @example
 * ```ts
 * parameterEntries({ model: { lr: 0.1 } }); // [["parameters", …], ["params:model", { lr: 0.1 }], ["params:model.lr", 0.1]]
 * ```
 */
export function parameterEntries(params: Record<string, unknown>): [string, unknown][] {
  const entries: [string, unknown][] = [["parameters", params]];
  const walk = (value: unknown, key: string) => {
    entries.push([`params:${key}`, value]);
    if (isRecord(value)) { for (const [k, v] of Object.entries(value)) walk(v, `${key}.${k}`); }
  };
  for (const [k, v] of Object.entries(params)) walk(v, k);
  return entries;
}

/**
 * The hint of an undefined parameter `key` (dotted, without `params:`): the file to define it in, or how
 * this caller gives it at run time (`--params`, or a script's `runtimeParams`).
 *
 * @example
 * ```ts
 * parameterHint({ files: ["conf/base/parameters.yml"], runtimeParamsFlag: "--params" }, "seed");
 * // 'define "seed" in conf/base/parameters.yml (or pass --params seed=...)'
 * ```
 */
export function parameterHint(sources: ParameterSources | undefined, key: string): string {
  const flag = sources ? sources.runtimeParamsFlag ?? RUNTIME_PARAMS_OPTION : "--params";
  return `define "${key}" in ${parameterFileFor(sources, key)} (or pass ${passRuntimeParam(key, flag)})`;
}

/**
 * The warning of a project without parameter files (`sources.missing`), as Kedro's context warns.
 *
 * @example
 * ```ts
 * catalog.warnings.push(missingParametersWarning(sources.missing, sources));
 * ```
 */
export function missingParametersWarning(missing: KmlfError, sources?: ParameterSources): CatalogWarning {
  const flag = sources ? sources.runtimeParamsFlag ?? RUNTIME_PARAMS_OPTION : "--params";
  const note = `the project goes on without parameters (only ${flag}), as Kedro's does (it warns too)`;
  return { name: "parameters", problems: [missing], note };
}

/**
 * The file a hint tells users to declare a dataset in, of the catalog files (base env first, as hints show
 * them): the first `catalog.yml`, else the first file, else `conf/base/catalog.yml`.
 *
 * @example
 * ```ts
 * catalogFileFor(["conf/base/catalog_raw.yml", "conf/base/catalog_model.yml"]); // "conf/base/catalog_raw.yml"
 * ```
 */
export function catalogFileFor(files: readonly string[] | undefined): string {
  return files?.find((f) => /(^|\/)catalog\.ya?ml$/.test(f)) ?? files?.[0] ?? DEFAULT_CATALOG;
}
