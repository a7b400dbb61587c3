/**
 * The composition root: project settings + config → catalog, pipelines and hooks → runner.
 * The only layer (besides the CLI) that sees config; tracking joins through plugins' hooks.
 */
import type { DatasetRegistry } from "../catalog/mod.ts";
import type { Catalog } from "../catalog/catalog.ts";
import { generateVersion } from "../catalog/versioning.ts";
import { clonePlain, type ConfigLoader, type LoadedConfig, type ProjectSettings } from "../config/mod.ts";
import { didYouMeanHint, UsageError } from "../errors.ts";
import { deepFreezePlain } from "../plain_copy.ts";
import type { HookContext, HookManager } from "../hooks/mod.ts";
import { loadPipelines, type Pipeline, pipelineNames } from "../pipeline/mod.ts";
import type { RunnerSpec, RunResult } from "../runner/mod.ts";
import { chooseRunner, type RunnerFlags } from "./runner_choice.ts";
import { buildHookManager } from "./session_hooks.ts";
import type { RunScope, SessionRunOptions } from "./session_run.ts";
import type { Plugin, PluginContext } from "../plugin.ts";
import { pluginRegistry } from "./project_plugins.ts";
import { promised } from "../promised.ts";
import { checkRunOptions } from "./call_options.ts";
import { loadSessionSetup, type SessionOptions } from "./session_setup.ts";
import { buildSessionCatalog, type SessionCatalogOptions } from "./session_catalog.ts";

/**
 * One project, one environment. Create it, then `run()` once (like a Kedro session).
 *
 * @example
 * ```ts
 * const session = await KmlfSession.create({ projectRoot: "/path/to/project" });
 * const result = await session.run({ pipelineNames: ["training"] });
 * ```
 */
export class KmlfSession {
  /** The project's kmlf.yml, validated (frozen: read it, change kmlf.yml to change it). */
  readonly settings: ProjectSettings;
  /** The configuration environment in use. */
  readonly env: string;
  /** The project's config loader for that environment. */
  readonly config: ConfigLoader;
  /**
   * This session's run id (a timestamp, `YYYY-MM-DDThh.mm.ss.sssZ`): the save version of versioned datasets.
   */
  readonly runId: string;
  readonly #options: SessionOptions;
  /** The given plugins, then kmlf.yml's `plugins:`. */
  readonly #plugins: Plugin[];
  #ran = false;
  // One hook manager per session, as Kedro's: a script's catalog() and its run() share hook instances.
  #hooks?: Promise<HookManager>;
  #contextCreated?: Promise<void>;

  private constructor(
    settings: ProjectSettings,
    config: ConfigLoader,
    options: SessionOptions,
    plugins: Plugin[],
  ) {
    // Read by every later call (pipelines folder, runner, config patterns the loader keeps): a script
    // changing them would change this session's catalogs and run behind its back.
    this.settings = deepFreezePlain(settings);
    this.env = config.env;
    this.config = config;
    this.runId = generateVersion();
    // The caller's runtime params as they were: changing that object later changes nothing of this session.
    this.#options = { ...options, runtimeParams: clonePlain(options.runtimeParams) };
    this.#plugins = plugins;
  }

  /** Loads kmlf.yml (and the plugins it lists) and checks the environment folders exist. */
  static async create(options: SessionOptions): Promise<KmlfSession> {
    const { settings, config, plugins } = await loadSessionSetup(options);
    return new KmlfSession(settings, config, options, plugins);
  }

  /**
   * The merged parameters (runtime params included): a copy, as Kedro's `context.params` is, so a script
   * changing it changes nothing of this session's catalogs and run.
   *
   * @example
   * ```ts
   * const params = await session.parameters();
   * params.seed = 99; // the nodes still read the seed of parameters.yml
   * ```
   */
  async parameters(): Promise<Record<string, unknown>> {
    return (await this.config.get("parameters")).data;
  }

  /**
   * Builds the catalog: datasets from catalog config, credentials injected, parameters registered; then
   * fires `afterCatalogCreated` (after `afterContextCreated`, once per session), as Kedro's `context.catalog`
   * does on every access. With `used`, only the entries those names need must be valid (see
   * `CatalogOptions.used`); `hooks: false` fires no hook (kmlf's catalog commands); `checkPatterns` builds each
   * factory pattern once too (`kmlf catalog validate`).
   */
  async catalog(
    options: {
      loadVersions?: Record<string, string>;
      registry?: DatasetRegistry;
      used?: Iterable<string>;
      hooks?: boolean;
      checkPatterns?: boolean;
    } = {},
  ): Promise<Catalog> {
    if (options.hooks === false) return (await this.#buildCatalog(options)).catalog;
    return await this.#catalogWithHooks(options, await this.contextCreated());
  }

  // Builds a catalog and fires afterCatalogCreated with `hooks` (the context's catalog does not wait for
  // afterContextCreated to end: a hook of it may read `context.catalog`, as in Kedro).
  async #catalogWithHooks(options: SessionCatalogOptions, hooks: HookManager): Promise<Catalog> {
    const { catalog, conf, creds, params } = await this.#buildCatalog(options);
    // Fresh loads, as Kedro's: each ConfigLoader.get is a copy and the catalog keeps copies of its own, so a
    // hook changing them changes neither this catalog nor the next one.
    await hooks.call("afterCatalogCreated", {
      catalog,
      confCatalog: conf.data,
      confCreds: creds.data,
      parameters: params.data,
      saveVersion: this.runId,
      loadVersions: { ...options.loadVersions },
    });
    return catalog;
  }

  // The catalog from catalog config, credentials and parameters, and those configs (this catalog's copies).
  #buildCatalog(options: SessionCatalogOptions) {
    return buildSessionCatalog({
      config: this.config,
      projectRoot: this.settings.root,
      runtimeParamsFlag: this.#options.runtimeParamsFlag,
      saveVersion: this.runId,
      registry: () => this.registry(),
    }, options);
  }

  /** All registered pipeline names (no module imports). */
  pipelineNames(): Promise<string[]> {
    return promised(() => pipelineNames(this.settings.pipelinesDir)).catch(async (error) => {
      throw (await import("./settings_folders.ts")).locateMissingPipelinesDir(error, this.settings);
    });
  }

  /** Loads the requested pipelines (and what they include) and returns their union. */
  async pipeline(names: string[] = ["__default__"]): Promise<Pipeline> {
    const loaded = await this.pipelines(names);
    let union: Pipeline | undefined;
    const label = `--pipelines ${names.join(",")}`;
    for (const name of names) union = union ? union.union(loaded[name], label) : loaded[name];
    return union!;
  }

  /**
   * Loads the requested pipelines by name, reading each pipeline file once however many of them include
   * it (a listing of every pipeline: `__default__` and each one it joins).
   *
   * @example
   * ```ts
   * const { training, inference } = await session.pipelines(["training", "inference"]);
   * ```
   */
  async pipelines(names: string[]): Promise<Record<string, Pipeline>> {
    const available = await this.pipelineNames();
    const unknown = names.filter((n) => n !== "__default__" && !available.includes(n));
    if (unknown.length > 0) {
      throw new UsageError("pipeline/unknown", `Pipeline "${unknown[0]}" does not exist`, {
        hint:
          `registered pipelines: ${available.join(", ") || "(none)"}; add ${
            this.relative(this.settings.pipelinesDir)
          }/${unknown[0]}.yml` +
          (didYouMeanHint(unknown[0], available) ? `; ${didYouMeanHint(unknown[0], available)}` : ""),
      });
    }
    return await loadPipelines(this.settings.pipelinesDir, { only: names });
  }

  /**
   * The runner for a run: each flag, else kmlf.yml's `runner:` setting, else sequential.
   *
   * @example
   * ```ts
   * session.resolveRunner({ runner: "ParallelRunner", maxWorkers: "2" }); // { kind: "parallel", maxWorkers: 2, isAsync: false }
   * ```
   */
  resolveRunner(flags: RunnerFlags = {}): RunnerSpec {
    return chooseRunner(flags, this.settings);
  }

  /** Runs pipelines once: hooks fire, versioned datasets share this session's run id. */
  async run(given: SessionRunOptions = {}): Promise<RunResult> {
    const options = checkRunOptions(given);
    if (this.#ran) {
      throw new UsageError("session/already-ran", "A session runs only once", {
        hint: "create a new session",
      });
    }
    this.#ran = true;
    // One name as a string (Kedro's pipeline_name) is that pipeline, not one per character (checkRunOptions).
    const listed = options.pipelineNames as string[] | undefined;
    const names = listed?.length ? listed : ["__default__"];
    // The runners and the run's checks load here: listing commands open sessions that never run.
    const { runPipelines } = await import("./session_run.ts");
    return await runPipelines(this.#runScope(), names, options.runner ?? this.resolveRunner(), options);
  }

  /**
   * A dataset registry with built-ins plus every plugin's dataset types (`disable_hooks_for_plugins`
   * disables hooks only, as in Kedro: the plugin's datasets stay usable).
   */
  registry(): DatasetRegistry {
    return pluginRegistry(this.#plugins, this.pluginContext());
  }

  /** Hook manager with plugin hooks, then the project's hooks from kmlf.yml. */
  hookManager(): Promise<HookManager> {
    return this.#hooks ??= buildHookManager(this.#plugins, this.settings, this.pluginContext());
  }

  /**
   * The session's hook manager, once afterContextCreated has fired (once per session).
   * @ignore
   */
  private async contextCreated(): Promise<HookManager> {
    const hooks = await this.hookManager();
    this.#contextCreated ??= hooks.has("afterContextCreated")
      ? this.hookContext().then((context) => hooks.call("afterContextCreated", { context })).then(() => {})
      : Promise.resolve();
    await this.#contextCreated;
    return hooks;
  }

  /**
   * What plugins see of the project.
   * @ignore
   */
  private pluginContext(): PluginContext {
    return {
      projectRoot: this.settings.root,
      projectName: this.settings.name,
      env: this.env,
      loadConfig: (type) => this.#configCopy(type),
      loadCredentials: async () => (await this.#configCopy("credentials")).data,
      pipelineNames: () => ["__default__", ...pipelineNames(this.settings.pipelinesDir)],
    };
  }

  /**
   * What `afterContextCreated` hooks get.
   * @ignore
   */
  private async hookContext(): Promise<HookContext> {
    const params = await this.parameters();
    const get = (type: string) => this.#configCopy(type);
    const context = {
      projectPath: this.settings.root,
      projectName: this.settings.name,
      env: this.env,
      runId: this.runId,
      // Kedro's `context.params` property: the parameters anew on every read.
      get params() {
        return clonePlain(params);
      },
      loadConfig: async (type: string) => (await get(type)).data,
      configLoader: { env: this.config.env, baseEnv: this.config.baseEnv, get },
    };
    // Kedro's `context.catalog` property: a new catalog per read. Not enumerable, so that printing or
    // serializing the context builds none.
    const hooks = () => this.hookManager();
    return Object.defineProperty(context, "catalog", {
      get: () => hooks().then((manager) => this.#catalogWithHooks({}, manager)),
      enumerable: false,
    }) as unknown as HookContext;
  }

  // One config type as hooks and plugins read it: a copy (every ConfigLoader.get is one), as Kedro's are
  // fresh loads, so that changing it changes nothing of the run.
  #configCopy(type: string): Promise<LoadedConfig> {
    return this.config.get(type);
  }

  // What a run needs of the session (session_run.ts).
  #runScope(): RunScope {
    return {
      runId: this.runId,
      projectPath: this.settings.root,
      env: this.env,
      pipelinesDir: this.relative(this.settings.pipelinesDir),
      runtimeParams: this.#options.runtimeParams ?? {},
      commandLine: this.#options.commandLine ?? "",
      onCatalogWarning: this.#options.onCatalogWarning,
      registry: () => this.registry(),
      hooks: () => this.contextCreated(),
      pipeline: (names) => this.pipeline(names),
      registered: async () => this.pipelines(await this.pipelineNames()),
      catalog: (options) => this.catalog(options),
    };
  }

  /**
   * `path` relative to the project root when it lies inside it.
   * @ignore
   */
  private relative(path: string): string {
    return path.startsWith(this.settings.root + "/") ? path.slice(this.settings.root.length + 1) : path;
  }
}
