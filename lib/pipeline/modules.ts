/**
 * Importing user node modules by file URL (never relative to kmlf's own location, so the compiled
 * binary can load them) and checking that an export can be called the way a node binds it.
 */
import { pathToFileURL } from "node:url";
import { didYouMeanHint, PipelineDefinitionError, type SourceLocation } from "../errors.ts";
import type { InputBinding, NodeFunction } from "./node.ts";

const modules = new Map<string, Promise<Record<string, unknown>>>();

/**
 * Imports a module once per path.
 *
 * @example
 * ```ts
 * const mod = await importModule("/project/pipelines/iris/nodes.ts");
 * ```
 */
export function importModule(absPath: string): Promise<Record<string, unknown>> {
  let mod = modules.get(absPath);
  if (!mod) {
    mod = import(pathToFileURL(absPath).href) as Promise<Record<string, unknown>>;
    modules.set(absPath, mod);
  }
  return mod;
}

/**
 * Resolves `module#export` to a function, or throws an error located at the YAML `func:` key.
 *
 * @example
 * ```ts
 * const fn = await resolveFunction("/p/pipelines/iris/nodes.ts", "splitData", "./iris/nodes.ts#splitData", loc);
 * ```
 */
export function resolveFunction(
  absPath: string,
  exportName: string,
  ref: string,
  where: () => SourceLocation | undefined,
): Promise<NodeFunction> {
  const key = `${absPath}#${exportName}`;
  let fn = functions.get(key);
  if (!fn) {
    fn = findFunction(absPath, exportName, ref, where);
    functions.set(key, fn);
  }
  return fn;
}

const functions = new Map<string, Promise<NodeFunction>>();

async function findFunction(
  absPath: string,
  exportName: string,
  ref: string,
  where: () => SourceLocation | undefined,
): Promise<NodeFunction> {
  const stat = await Deno.stat(absPath).catch(() => undefined);
  if (!stat?.isFile) {
    throw new PipelineDefinitionError(
      "pipeline/module-not-found",
      `Cannot find module ${absPath} for func "${ref}"`,
      {
        source: where(),
        hint: "module paths are relative to the pipeline YAML file; check the path and the file extension",
      },
    );
  }
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(absPath);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    const pkg = detail.match(/package "([^"]+)"|npm:([\w@/.-]+)|Import "([^"]+)" not a dependency/);
    throw new PipelineDefinitionError("pipeline/module-failed", `Cannot import ${absPath}`, {
      source: where(),
      cause,
      hint: pkg
        ? `"${
          pkg[1] ?? pkg[2] ?? pkg[3]
        }" is not available: node modules may import relative files and the npm packages kmlf ships (\`kmlf info\` lists them)`
        : "fix the error in the module (run `deno check` on it for details)",
    });
  }
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
      `Export "${exportName}" of ${absPath} is not a function (it is ${typeof fn})`,
      {
        source: where(),
        hint: "point func: at an exported function",
      },
    );
  }
  return fn as NodeFunction;
}

/**
 * Checks the binding against the function's declared parameters where that is detectable:
 * more positional inputs than parameters (without a rest parameter) is an error.
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

const arities = new WeakMap<NodeFunction, { count: number; rest: boolean } | undefined>();

// Counts top-level parameters from the function's source; undefined when it cannot tell.
function declaredParams(fn: NodeFunction): { count: number; rest: boolean } | undefined {
  const src = Function.prototype.toString.call(fn);
  if (src.includes("[native code]")) return undefined;
  let list: string;
  const arrowSingle = src.match(/^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/);
  if (arrowSingle) list = arrowSingle[1];
  else {
    const open = src.indexOf("(");
    if (open < 0) return undefined;
    let depth = 0;
    let end = open;
    for (; end < src.length; end++) {
      const ch = src[end];
      if ("([{".includes(ch)) depth++;
      else if (")]}".includes(ch) && --depth === 0) break;
    }
    list = src.slice(open + 1, end);
  }
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of list.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "")) {
    if ("([{<".includes(ch)) depth++;
    if (")]}>".includes(ch)) depth--;
    if (ch === "," && depth === 0) parts.push(current), current = "";
    else current += ch;
  }
  parts.push(current);
  const params = parts.map((p) => p.trim()).filter((p) => p.length > 0);
  return { count: params.length, rest: params.some((p) => p.startsWith("...")) };
}
