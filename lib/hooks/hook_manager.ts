/** Registers hook implementations and calls them in Kedro's order, naming the culprit when one throws. */
import { pathToFileURL } from "../path.ts";
import { explainFailedImport } from "../failed_import.ts";
import {
  ConfigError,
  didYouMeanHint,
  HookError,
  KmlfError,
  type SourceLocation,
  throwIfAny,
  thrownMessage,
} from "../errors.ts";
import { HOOK_NAMES, type HookName, type Hooks } from "./hook_spec.ts";
import { isFile } from "../fs_utils.ts";

/** Where a set of hooks came from, for error messages and `disable`. */
export interface HookOrigin {
  /** The hook set's name: a plugin's name, or the name the project registered the hooks under. */
  name: string;
  /** The module the hooks were imported from, when known. */
  module?: string;
  /** "plugin" for hooks a plugin brings, "project" for the project's own (kmlf.yml's `hooks`). */
  kind: "plugin" | "project";
}

interface Registered {
  hooks: Hooks;
  origin: HookOrigin;
}

/** The argument object hook `K` receives, e.g. `HookArgs<"afterNodeRun">` (exported as `HookArgs`). */
export type Args<K extends HookName> = Parameters<NonNullable<Hooks[K]>>[0];
/** What an implementation of hook `K` returns, awaited (exported as `HookResult`). */
export type Result<K extends HookName> = Awaited<ReturnType<NonNullable<Hooks[K]>>>;

/**
 * Calls hooks like pluggy does for Kedro: plugins first, then project hooks, each group in reverse
 * registration order (LIFO).
 *
 * @example
 * ```ts
 * const hooks = new HookManager();
 * hooks.register({ afterNodeRun: ({ node }) => console.log(node.name) }, { name: "log", kind: "project" });
 * await hooks.call("afterNodeRun", { node, catalog, inputs: {}, outputs: {}, isAsync: false, runId });
 * ```
 */
export class HookManager {
  readonly #registered: Registered[] = [];
  #byHook = new Map<HookName, Registered[]>();

  /**
   * Adds a hook set; plugins are called before project hooks, the last registered first. A set naming an
   * unknown hook (`before_node_run`, `afterNodeRan`) or holding a non-function under a hook's name is
   * refused, since it would silently never be called. Like pluggy's `register(plugin, name=None)`, the
   * origin may be left out (a project hook set named after its class, else "hooks") or be just a name.
   */
  register(hooks: Hooks, given?: HookOrigin | string): void {
    const origin = typeof given === "object" && given !== null
      ? given
      : { name: typeof given === "string" ? given : defaultName(hooks), kind: "project" as const };
    const problem = hookSetProblem(
      hooks,
      origin.kind === "plugin" ? `of plugin "${origin.name}"` : `"${origin.name}"`,
    );
    if (problem) {
      throw new ConfigError(problem.code, problem.message, {
        hint: origin.kind === "plugin"
          ? `in the plugin's hooks(): ${problem.hint}; or turn them off with disable_hooks_for_plugins: [${origin.name}]`
          : problem.hint,
      });
    }
    this.#registered.push({ hooks, origin });
    this.reindex();
  }

  /** Unregisters every hook set registered under `name`. */
  disable(name: string): void {
    for (let i = this.#registered.length - 1; i >= 0; i--) {
      if (this.#registered[i].origin.name === name) this.#registered.splice(i, 1);
    }
    this.reindex();
  }

  /** Names of the registered hook sets, in call order. */
  names(): string[] {
    return this.ordered().map((r) => r.origin.name);
  }

  /** Whether any registered set implements `hook` (lets callers skip building arguments). */
  has(hook: HookName): boolean {
    return (this.#byHook.get(hook)?.length ?? 0) > 0;
  }

  /**
   * Calls every implementation of `hook` in order and returns their results. When nothing implements
   * the hook this returns at once (runs call node and dataset hooks tens of thousands of times).
   */
  async call<K extends HookName>(hook: K, args: Args<K>): Promise<Result<K>[]> {
    const impls = this.#byHook.get(hook);
    if (!impls || impls.length === 0) return [];
    const results: Result<K>[] = [];
    for (const { hooks, origin } of impls) {
      const fn = hooks[hook] as (a: Args<K>) => Result<K> | Promise<Result<K>>;
      let result: Result<K>;
      try {
        result = await fn.call(hooks, args);
      } catch (cause) {
        // Always wrapped, so the user learns which hook of which plugin or module failed; a kmlf error
        // raised on purpose (e.g. a bad mlflow.yml) is kept as the cause and rendered under it.
        const where = origin.module ? `${origin.name} (${origin.module})` : origin.name;
        throw new HookError(
          // A kmlf error keeps its code (the troubleshooting table is keyed by it).
          cause instanceof KmlfError ? cause.code : "hooks/failed",
          `Hook ${hook} of ${where} failed: ${thrownMessage(cause)}`,
          {
            cause,
            // The hook's own frames (file:line:col) are shown under the error, as for a failing node.
            userCode: !(cause instanceof KmlfError),
            // A kmlf error knows its own fix (e.g. which variable to unset); otherwise: the hook itself.
            hint: cause instanceof KmlfError && cause.hint
              ? cause.hint
              : origin.kind === "project"
              ? "fix the hook, or remove it from kmlf.yml hooks:"
              : `disable the plugin with disable_hooks_for_plugins: [${origin.name}] in kmlf.yml`,
          },
        );
      }
      if (hook === "beforeNodeRun") checkInputOverrides(result, args as Args<"beforeNodeRun">, origin);
      results.push(result);
    }
    return results;
  }

  /**
   * Plugins' hooks first, then the project's, each in reverse registration order (as pluggy calls them).
   * @ignore
   */
  private ordered(): Registered[] {
    const plugins = this.#registered.filter((r) => r.origin.kind === "plugin").reverse();
    const project = this.#registered.filter((r) => r.origin.kind === "project").reverse();
    return [...plugins, ...project];
  }

  /**
   * Rebuilds the hook → implementations index after a change.
   * @ignore
   */
  private reindex(): void {
    const ordered = this.ordered();
    this.#byHook = new Map(
      HOOK_NAMES.map((h) => [h, ordered.filter((r) => typeof r.hooks[h] === "function")]),
    );
  }
}

// Kedro's before_node_run may return a dict of new inputs and nothing else (TypeError otherwise); a key that
// is not an input of the node would be dropped silently here, so it is refused too (Kedro's node.run does).
function checkInputOverrides(result: unknown, args: Args<"beforeNodeRun">, origin: HookOrigin): void {
  if (result === undefined || result === null) return;
  const where = origin.module ? `${origin.name} (${origin.module})` : origin.name;
  const node = args.node;
  const fix = `return nothing, or an object mapping some of the node's inputs (${
    node.inputs.map((i) => `"${i}"`).join(", ") || "none"
  }) to new values`;
  if (typeof result !== "object" || Array.isArray(result)) {
    throw new HookError(
      "hooks/bad-return",
      `Hook beforeNodeRun of ${where} returned ${
        Array.isArray(result) ? "an array" : `a ${typeof result}`
      } for node "${node.name}"`,
      { hint: fix, source: node.source },
    );
  }
  const unknown = Object.keys(result).filter((key) => !node.inputs.includes(key));
  if (unknown.length > 0) {
    throw new HookError(
      "hooks/bad-return",
      `Hook beforeNodeRun of ${where} returned ${
        unknown.map((k) => `"${k}"`).join(", ")
      } for node "${node.name}", which ${
        unknown.length > 1 ? "are not its inputs" : "is not one of its inputs"
      }`,
      { hint: `${didYouMeanHint(unknown[0], node.inputs)} ${fix}`.trim(), source: node.source },
    );
  }
}

/** A hook set imported from a project module. */
export interface ImportedHooks {
  name: string;
  module: string;
  hooks: Hooks;
}

/** A project hooks reference from kmlf.yml: an absolute module path and the export holding the hooks. */
export interface HooksRef {
  module: string;
  exportName: string;
  /** Where kmlf.yml declares it, for error locations. */
  source?: SourceLocation;
}

/**
 * Imports project hook objects declared in kmlf.yml (`./hooks.ts#myHooks`) by file URL, checking that
 * each export is an object (or a class, instantiated without arguments) whose functions are known hook
 * names. Every problem is reported together.
 *
 * @example
 * ```ts
 * const sets = await importHooks([{ module: "/p/hooks.ts", exportName: "timing" }]);
 * ```
 */
export async function importHooks(refs: readonly HooksRef[]): Promise<ImportedHooks[]> {
  const result: ImportedHooks[] = [];
  const problems: KmlfError[] = [];
  const seen = new Set<string>();
  for (const ref of refs) {
    // pluggy refuses to register a plugin twice; here it would call every hook of the set twice.
    const key = `${ref.module}#${ref.exportName}`;
    if (seen.has(key)) {
      problems.push(
        new ConfigError("hooks/duplicate", `Hooks "${ref.exportName}" of ${ref.module} are listed twice`, {
          source: ref.source,
          hint: "remove this entry from kmlf.yml hooks: (each hook would otherwise run twice)",
        }),
      );
      continue;
    }
    seen.add(key);
    try {
      result.push(await importOne(ref));
    } catch (error) {
      if (!(error instanceof KmlfError)) throw error;
      problems.push(error);
    }
  }
  throwIfAny(problems, "Cannot load project hooks");
  return result;
}

async function importOne(ref: HooksRef): Promise<ImportedHooks> {
  const fail = (code: string, message: string, hint: string, cause?: unknown) =>
    new ConfigError(code, message, { source: ref.source, hint, cause, userCode: cause !== undefined });
  if (!isFile(ref.module)) {
    throw fail(
      "hooks/module-not-found",
      `Cannot find hooks module ${ref.module}`,
      "paths in kmlf.yml hooks: are relative to kmlf.yml; check the path and the file extension",
    );
  }
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(ref.module).href);
  } catch (error) {
    const failure = await explainFailedImport(error, { module: ref.module });
    throw new ConfigError(
      "hooks/import-failed",
      `Cannot import hooks module ${ref.module}: ${failure.reason}`,
      {
        source: ref.source,
        hint: failure.hint,
        cause: failure.cause,
        userCode: failure.userCode,
      },
    );
  }
  const value = mod[ref.exportName];
  if (value === undefined) {
    throw fail(
      "hooks/unknown-export",
      `Module ${ref.module} has no export "${ref.exportName}"`,
      didYouMeanHint(ref.exportName, Object.keys(mod)) ||
        `exports: ${Object.keys(mod).join(", ") || "(none)"}`,
    );
  }
  let hooks: unknown = value;
  if (typeof value === "function") {
    if (!/^class\b/.test(Function.prototype.toString.call(value))) {
      throw fail(
        "hooks/not-an-object",
        `Export "${ref.exportName}" of ${ref.module} is a function, not a hooks object or class`,
        "export an object (or a class) whose methods are hooks, e.g. `export const hooks = { afterNodeRun() {} }`",
      );
    }
    try {
      hooks = new (value as new () => Hooks)();
    } catch (cause) {
      throw fail(
        "hooks/not-an-object",
        `Cannot create hooks "${ref.exportName}" of ${ref.module}: its constructor threw`,
        "give the class a constructor that needs no arguments",
        cause,
      );
    }
  }
  if (typeof hooks !== "object" || hooks === null || Array.isArray(hooks)) {
    throw fail(
      "hooks/not-an-object",
      `Export "${ref.exportName}" of ${ref.module} is not a hooks object`,
      "export an object (or class) with hook methods such as afterNodeRun",
    );
  }
  const problem = hookSetProblem(hooks, `"${ref.exportName}" in ${ref.module}`);
  if (problem) throw fail(problem.code, problem.message, problem.hint);
  return { name: ref.exportName, module: ref.module, hooks: hooks as Hooks };
}

/**
 * What is wrong with a hook set, if anything: a function under a name that is no hook (Kedro's
 * snake_case names included), or a hook's name holding something that is not a function.
 */
function hookSetProblem(
  hooks: object,
  what: string,
): { code: string; message: string; hint: string } | undefined {
  const unknown = methodNames(hooks).filter((key) => !(HOOK_NAMES as readonly string[]).includes(key));
  if (unknown.length > 0) {
    return {
      code: "hooks/unknown-hook",
      message: `Hooks ${what} define unknown hook${unknown.length > 1 ? "s" : ""} ${
        unknown.map((k) => `"${k}"`).join(", ")
      }`,
      hint: unknown.map(unknownHookHint).filter(Boolean).join(" ") ||
        `known hooks: ${HOOK_NAMES.join(", ")}`,
    };
  }
  const record = hooks as Record<string, unknown>;
  const notFunctions = HOOK_NAMES.filter((h) => record[h] !== undefined && typeof record[h] !== "function");
  if (notFunctions.length > 0) {
    return {
      code: "hooks/not-a-function",
      message: `Hooks ${what}: ${
        notFunctions.map((h) => `${h} is ${kindOf(record[h])}`).join(", ")
      }, not a function`,
      hint: `make ${notFunctions.join(", ")} a method, e.g. { ${notFunctions[0]}(args) { ... } }`,
    };
  }
  return undefined;
}

// Kedro's snake_case names map one to one onto kmlf's camelCase ones.
function unknownHookHint(key: string): string {
  const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  if (camel !== key && (HOOK_NAMES as readonly string[]).includes(camel)) {
    return `Kedro's ${key} is "${camel}" in kmlf (hooks are camelCase, taking one arguments object)`;
  }
  return didYouMeanHint(key, HOOK_NAMES);
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function methodNames(obj: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = obj; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const key of Object.getOwnPropertyNames(o)) {
      if (key !== "constructor" && typeof (obj as Record<string, unknown>)[key] === "function") {
        names.add(key);
      }
    }
  }
  return [...names];
}

// A class instance's class name (`new TimingHooks()` → "TimingHooks"), else "hooks".
function defaultName(hooks: Hooks): string {
  const name = (hooks as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === "string" && name !== "" && name !== "Object" ? name : "hooks";
}
