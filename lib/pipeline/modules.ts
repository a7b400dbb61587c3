/**
 * Importing user node modules by file URL (never relative to kmlf's own location, so the compiled
 * binary can load them) and checking that an export can be called the way a node binds it.
 */
import { pathToFileURL } from "../path.ts";
import { didYouMeanHint, PipelineDefinitionError, type SourceLocation, throwIfAny } from "../errors.ts";
import type { InputBinding, NodeFunction } from "./node.ts";
import { type DeclaredParams, declaredParams } from "./signature.ts";
import { statIfAny } from "../fs_utils.ts";
import { explainFailedImport } from "../failed_import.ts";

type Loaded =
  | { ok: true; exports: Record<string, unknown> }
  | { ok: false; missing: boolean; cause?: unknown };

// One import per absolute path; failures are cached too so a broken module is reported once per node.
const modules = new Map<string, Promise<Loaded>>();

/**
 * Imports a module once per path (a failed import rejects with the original error).
 *
 * @example
 * ```ts
 * const mod = await importModule("/project/pipelines/iris/nodes.ts");
 * ```
 */
export async function importModule(absPath: string): Promise<Record<string, unknown>> {
  const loaded = await loadModule(absPath);
  if (loaded.ok) return loaded.exports;
  throw loaded.cause ?? new Deno.errors.NotFound(`Cannot find module ${absPath}`);
}

function loadModule(absPath: string): Promise<Loaded> {
  let loaded = modules.get(absPath);
  if (!loaded) {
    loaded = (async (): Promise<Loaded> => {
      const stat = statIfAny(absPath);
      if (!stat?.isFile) return { ok: false, missing: true };
      try {
        return { ok: true, exports: await import(pathToFileURL(absPath).href) };
      } catch (cause) {
        return { ok: false, missing: false, cause };
      }
    })();
    modules.set(absPath, loaded);
  }
  return loaded;
}

/**
 * Resolves `module#export` to a function, or throws an error located at the YAML `func:` key.
 *
 * @example
 * ```ts
 * const fn = await resolveFunction("/p/pipelines/iris/nodes.ts", "splitData", "./iris/nodes.ts#splitData", loc);
 * ```
 */
export async function resolveFunction(
  absPath: string,
  exportName: string,
  ref: string,
  where: () => SourceLocation | undefined,
): Promise<NodeFunction> {
  const loaded = await loadModule(absPath);
  if (!loaded.ok && loaded.missing) {
    throw new PipelineDefinitionError(
      "pipeline/module-not-found",
      `Cannot find module ${absPath} for func "${ref}"`,
      {
        source: where(),
        hint: "module paths are relative to the pipeline YAML file; check the path and the file extension",
      },
    );
  }
  if (!loaded.ok) {
    const failure = await explainFailedImport(loaded.cause, { module: absPath });
    throw new PipelineDefinitionError(
      "pipeline/module-failed",
      `Cannot import ${absPath}: ${failure.reason}`,
      {
        source: where(),
        cause: failure.cause,
        userCode: failure.userCode,
        hint: failure.hint,
      },
    );
  }
  const mod = loaded.exports;
  if (!(exportName in mod)) {
    const exports = Object.keys(mod);
    const guess = didYouMeanHint(exportName, exports);
    throw new PipelineDefinitionError(
      "pipeline/unknown-export",
      `Module ${absPath} has no export "${exportName}"`,
      {
        source: where(),
        hint: guess ||
          (exports.length
            ? `exports: ${exports.join(", ")}`
            : "the module exports nothing; add `export function ...`"),
      },
    );
  }
  const fn = mod[exportName];
  if (typeof fn !== "function") {
    throw new PipelineDefinitionError(
      "pipeline/not-a-function",
      `Export "${exportName}" of ${absPath} is not a function (it is ${fn === null ? "null" : typeof fn})`,
      { source: where(), hint: "point func: at an exported function" },
    );
  }
  if (/^class\b/.test(Function.prototype.toString.call(fn))) {
    throw new PipelineDefinitionError(
      "pipeline/not-a-function",
      `Export "${exportName}" of ${absPath} is a class, not a function`,
      { source: where(), hint: "point func: at an exported function (a class cannot be called without new)" },
    );
  }
  return fn as NodeFunction;
}

/**
 * Checks a map of inputs against the keys the function destructures from its object argument, where it
 * destructures one (`function f({ features, labels })`): a key it does not read is an error (a typo would
 * otherwise pass undefined). A destructured key with no input is allowed (it may be optional).
 *
 * @example
 * ```ts
 * checkInputKeys(({ a }: { a: number }) => a, { kind: "object", keys: ["b"] }, "f", () => loc); // throws
 * ```
 */
export function checkInputKeys(
  fn: NodeFunction,
  binding: InputBinding,
  label: string,
  whereKey: (key: string) => SourceLocation | undefined,
): void {
  if (binding.kind !== "object") return;
  let params = arities.get(fn);
  if (!arities.has(fn)) arities.set(fn, params = declaredParams(fn));
  const known = params?.firstKeys;
  if (!known) return;
  const problems = binding.keys.filter((k) => !known.includes(k)).map((key) => {
    const guess = didYouMeanHint(key, known.filter((k) => !binding.keys.includes(k)));
    return new PipelineDefinitionError(
      "pipeline/unknown-input-key",
      `${label} passes input "${key}", which the function does not read (it reads ${
        known.map((k) => `"${k}"`).join(", ")
      })`,
      {
        source: whereKey(key),
        hint: guess || "rename the key under inputs: to one the function destructures",
      },
    );
  });
  throwIfAny(problems);
}

/**
 * Checks the binding against the function's declared parameters where that is detectable: more
 * arguments than declared parameters (counting ones with defaults, without a rest parameter) is an error.
 * Fewer is allowed, because TypeScript's optional parameters look like required ones at run time.
 *
 * @example
 * ```ts
 * checkArity((a: number) => a, { kind: "positional" }, 2, "f", () => loc); // throws
 * ```
 */
export function checkArity(
  fn: NodeFunction,
  binding: InputBinding,
  count: number,
  label: string,
  where: () => SourceLocation | undefined,
): void {
  let params = arities.get(fn);
  if (!arities.has(fn)) arities.set(fn, params = declaredParams(fn));
  if (!params || params.rest) return;
  const given = binding.kind === "none" ? 0 : binding.kind === "object" ? 1 : count;
  if (given > params.count) {
    throw new PipelineDefinitionError(
      "pipeline/arity",
      `${label} passes ${given} argument${given === 1 ? "" : "s"} but the function declares ${params.count}`,
      {
        source: where(),
        hint: binding.kind === "object"
          ? "a map of inputs is passed as one object argument; declare a parameter for it"
          : "make inputs: match the function's parameters (or use a map to pass one object)",
      },
    );
  }
}

const arities = new WeakMap<NodeFunction, DeclaredParams | undefined>();
