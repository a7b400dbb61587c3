/** Registers hook implementations and calls them in Kedro's order, naming the culprit when one throws. */
import { pathToFileURL } from "node:url";
import { ConfigError, didYouMeanHint, HookError, KmlfError, type SourceLocation } from "../errors.ts";
import { HOOK_NAMES, type HookName, type Hooks } from "./hook_spec.ts";

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

  /** Calls every implementation of `hook` in order and returns their results. */
  async call<K extends HookName>(hook: K, args: Args<K>): Promise<Result<K>[]> {
    const impls = this.#byHook.get(hook);
    if (!impls || impls.length === 0) return [];
    const results: Result<K>[] = [];
    for (const { hooks, origin } of impls) {
      const fn = hooks[hook] as (a: Args<K>) => Result<K> | Promise<Result<K>>;
      try {
        results.push(await fn.call(hooks, args));
      } catch (cause) {
        if (
          cause instanceof KmlfError && hook !== "onNodeError" && hook !== "onPipelineError" &&
          cause.code !== "hooks/failed"
        ) {
          // A kmlf error raised on purpose by a hook (e.g. a config problem) keeps its own code.
          throw cause;
        }
        const where = origin.module ? `${origin.name} (${origin.module})` : origin.name;
        throw new HookError(
          "hooks/failed",
          `Hook ${hook} of ${where} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
          {
            cause,
            hint: origin.kind === "project"
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

/**
 * Imports project hook objects declared in kmlf.yml (`./hooks.ts#myHooks`) by file URL, checking that
 * each export is an object whose functions are known hook names.
 *
 * @example
 * ```ts
 * const sets = await importHooks([{ module: "/p/hooks.ts", exportName: "timing" }]);
 * ```
 */
export async function importHooks(
  refs: readonly { module: string; exportName: string; source?: SourceLocation }[],
): Promise<ImportedHooks[]> {
  const result: ImportedHooks[] = [];
  for (const ref of refs) {
    let mod: Record<string, unknown>;
    try {
      mod = await import(pathToFileURL(ref.module).href);
    } catch (cause) {
      throw new ConfigError(
        "hooks/import-failed",
        `Cannot import hooks module ${ref.module}: ${(cause as Error).message?.split("\n")[0]}`,
        {
          source: ref.source,
          cause,
          hint: "paths in kmlf.yml hooks: are relative to kmlf.yml",
        },
      );
    }
    const value = mod[ref.exportName];
    if (value === undefined) {
      throw new ConfigError(
        "hooks/unknown-export",
        `Module ${ref.module} has no export "${ref.exportName}"`,
        {
          source: ref.source,
          hint: didYouMeanHint(ref.exportName, Object.keys(mod)) ||
            `exports: ${Object.keys(mod).join(", ") || "(none)"}`,
        },
      );
    }
    const hooks = typeof value === "function" ? new (value as new () => Hooks)() : value;
    if (typeof hooks !== "object" || hooks === null) {
      throw new ConfigError(
        "hooks/not-an-object",
        `Export "${ref.exportName}" of ${ref.module} is not a hooks object`,
        {
          source: ref.source,
          hint: "export an object (or class) with hook methods such as afterNodeRun",
        },
      );
    }
    for (const key of methodNames(hooks)) {
      if (!(HOOK_NAMES as readonly string[]).includes(key)) {
        throw new ConfigError(
          "hooks/unknown-hook",
          `Hooks "${ref.exportName}" in ${ref.module} define unknown hook "${key}"`,
          {
            source: ref.source,
            hint: didYouMeanHint(key, HOOK_NAMES) || `known hooks: ${HOOK_NAMES.join(", ")}`,
          },
        );
      }
    }
    result.push({ name: ref.exportName, module: ref.module, hooks: hooks as Hooks });
  }
  return result;
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
