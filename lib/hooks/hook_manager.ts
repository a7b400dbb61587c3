/** Registers hook implementations and calls them in Kedro's order, naming the culprit when one throws. */
import { pathToFileURL } from "../path.ts";
import {
  ConfigError,
  didYouMeanHint,
  HookError,
  KmlfError,
  type SourceLocation,
  throwIfAny,
} from "../errors.ts";
import { HOOK_NAMES, type HookName, type Hooks } from "./hook_spec.ts";
import { isFile } from "../fs_utils.ts";

/** Where a set of hooks came from, for error messages and `disable`. */
export interface HookOrigin {
  name: string;
  module?: string;
  kind: "plugin" | "project";
}

interface Registered {
  hooks: Hooks;
  origin: HookOrigin;
}

type Args<K extends HookName> = Parameters<NonNullable<Hooks[K]>>[0];
type Result<K extends HookName> = Awaited<ReturnType<NonNullable<Hooks[K]>>>;

/**
 * Calls hooks like pluggy does for Kedro: plugins first, then project hooks, each group in reverse
 * registration order (LIFO).
 *
 * @example
 * ```ts
 * const hooks = new HookManager();
 * hooks.register({ afterNodeRun: ({ node }) => console.log(node.name) }, { name: "log", kind: "project" });
 * await hooks.call("afterNodeRun", { node, catalog, inputs: {}, outputs: {}, runId });
 * ```
 */
export class HookManager {
  readonly #registered: Registered[] = [];
  #byHook = new Map<HookName, Registered[]>();

  /** Adds a hook set; plugins are called before project hooks, the last registered first. */
  register(hooks: Hooks, origin: HookOrigin): void {
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
      try {
        results.push(await fn.call(hooks, args));
      } catch (cause) {
        // Always wrapped, so the user learns which hook of which plugin or module failed; a kmlf error
        // raised on purpose (e.g. a bad mlflow.yml) is kept as the cause and rendered under it.
        const where = origin.module ? `${origin.name} (${origin.module})` : origin.name;
        throw new HookError(
          // A kmlf error keeps its code (the troubleshooting table is keyed by it).
          cause instanceof KmlfError ? cause.code : "hooks/failed",
          `Hook ${hook} of ${where} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
          {
            cause,
            // A kmlf error knows its own fix (e.g. which variable to unset); otherwise: the hook itself.
            hint: cause instanceof KmlfError && cause.hint
              ? cause.hint
              : origin.kind === "project"
              ? "fix the hook, or remove it from kmlf.yml hooks:"
              : `disable the plugin with disable_hooks_for_plugins: [${origin.name}] in kmlf.yml`,
          },
        );
      }
    }
    return results;
  }

  private ordered(): Registered[] {
    const plugins = this.#registered.filter((r) => r.origin.kind === "plugin").reverse();
    const project = this.#registered.filter((r) => r.origin.kind === "project").reverse();
    return [...plugins, ...project];
  }

  private reindex(): void {
    const ordered = this.ordered();
    this.#byHook = new Map(
      HOOK_NAMES.map((h) => [h, ordered.filter((r) => typeof r.hooks[h] === "function")]),
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
  for (const ref of refs) {
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
  } catch (cause) {
    throw fail(
      "hooks/import-failed",
      `Cannot import hooks module ${ref.module}: ${
        String((cause as Error)?.message ?? cause).split("\n")[0]
      }`,
      "fix the error in the module (run `deno check` on it for details)",
      cause,
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
  const unknown = methodNames(hooks).filter((key) => !(HOOK_NAMES as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw fail(
      "hooks/unknown-hook",
      `Hooks "${ref.exportName}" in ${ref.module} define unknown hook${unknown.length > 1 ? "s" : ""} ${
        unknown.map((k) => `"${k}"`).join(", ")
      }`,
      unknown.map((k) => didYouMeanHint(k, HOOK_NAMES)).filter(Boolean).join(" ") ||
        `known hooks: ${HOOK_NAMES.join(", ")}`,
    );
  }
  return { name: ref.exportName, module: ref.module, hooks: hooks as Hooks };
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
