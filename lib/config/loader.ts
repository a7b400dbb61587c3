/**
 * The config loader: `conf/base` overlaid by `conf/<env>`, one config type at a time, with Kedro's
 * merge rules and interpolation. Every loaded config can still say which file and line a value came from.
 */
import { basename, dirname, join } from "../path.ts";
import {
  ConfigError,
  didYouMeanHint,
  KmlfAggregateError,
  KmlfError,
  type SourceLocation,
  throwIfAny,
} from "../errors.ts";
import type { KeyPath, YamlSource } from "../yaml/parse_yaml.ts";
import { checkDuplicates, checkMappings, checkRuntimeParamsOverLists } from "./_checks.ts";
import { type ConfTree, diskTree, isArchivePath, matchesPatterns, patternsFor } from "./files.ts";
import { resolveAll, type Resolver } from "./interpolate.ts";
import { clonePlain, deepMerge } from "./merge.ts";
import { statIfAny } from "../fs_utils.ts";
import { promised } from "../promised.ts";
import { markSourceKeys, recordMergedKeys } from "../source_keys.ts";
import { locateIn, locateRuntime, makeLocate } from "./config_locations.ts";

/**
 * A merged, interpolated config type plus where its values came from.
 *
 * @example
 * ```ts
 * const catalog: LoadedConfig = await loader.get("catalog");
 * catalog.locate(["iris", "filepath"]); // { file: "/p/conf/base/catalog.yml", line: 3, column: 13, keyPath: "iris.filepath" }
 * ```
 */
export interface LoadedConfig {
  /** The merged, interpolated config: key → value. */
  data: Record<string, unknown>;
  /** Absolute paths of the files that contributed, base first, each env's files sorted. */
  files: string[];
  /**
   * For hints: the file to create for this type in the base folder (`<conf>/base/parameters.yml`, or the
   * name kmlf.yml's `config_patterns` give it). Absolute.
   */
  newFile?: string;
  /** Why no file was read, when none was and a caller warns of it (parameters: Kedro's context warns). */
  missing?: ConfigError;
  /**
   * Where the winning value at `path` was written: file, line and column (the nearest written ancestor
   * when the value came from an interpolation). A value set by `--params` has only a `keyPath`;
   * `locate([])` is the most specific file. A path that does not exist gets its nearest written
   * ancestor in the winning file, or `undefined` when no file defines even its first key.
   */
  locate(path: KeyPath): SourceLocation | undefined;
  /** Like {@link locate}, but the position of the key itself (for "unknown key" errors). */
  locateKey?(path: KeyPath): SourceLocation | undefined;
  /**
   * Where the base folder wrote the top-level `key` that the env folder replaced whole (the destructive
   * merge strategy); undefined when nothing was replaced. For hints: an override that lost base's keys.
   */
  replacedBase?(key: string): SourceLocation | undefined;
}

/**
 * Options of {@link ConfigLoader.create}.
 *
 * @example
 * ```ts
 * const options: ConfigLoaderOptions = { confSource: "/p/conf", env: "local", runtimeParams: { seed: 3 } };
 * ```
 */
export interface ConfigLoaderOptions {
  /** Absolute path of the conf folder, or of a `.zip` / `.tar` / `.tar.gz` archive holding it. */
  confSource: string;
  env: string;
  /** Defaults to "base". When `env` equals it, only that folder is read. */
  baseEnv?: string;
  /** `--params`, deep-merged into the parameters of each env folder that has parameter files. */
  runtimeParams?: Record<string, unknown>;
  /**
   * For hints: the flag that sets runtime params (default `--params`), `runtimeParams` for a script's
   * session (its option), or `null` for a command that takes none, so a missing `${runtime_params:…}` is
   * not told to pass a flag the command refuses.
   */
  runtimeParamsFlag?: string | null;
  /** For messages: the variable that named `env` (`KEDRO_ENV=prod`), when one did (not `--env`). */
  envOrigin?: string;
  /** Per config type: "destructive" (default, top-level replace) or "soft" (deep merge). */
  mergeStrategy?: Record<string, "soft" | "destructive">;
  /** Extra or overriding config types → glob patterns relative to each env folder. */
  patterns?: Record<string, string[]>;
  /** Extra `${name:args}` resolvers. */
  resolvers?: Record<string, Resolver>;
  /** Reads environment variables for `${env:…}` in credentials (defaults to `Deno.env.get`). */
  getEnv?: (name: string) => string | undefined;
}

interface EnvConfig {
  data: Record<string, unknown>;
  sources: YamlSource[];
}

/**
 * Loads configuration lazily (only the files of the requested type are read) and caches each type.
 *
 * @example
 * ```ts
 * const loader = await ConfigLoader.create({ confSource: "/p/conf", env: "local" });
 * const { data: params, locate } = await loader.get("parameters");
 * locate(["model", "lr"]); // { file: "/p/conf/base/parameters.yml", line: 2, column: 7, keyPath: "model.lr" }
 * ```
 */
export class ConfigLoader {
  /** The environment overlaid on the base one (e.g. `local`). */
  readonly env: string;
  /** The base environment (kmlf.yml's `base_env`, default `base`). */
  readonly baseEnv: string;
  readonly #options: ConfigLoaderOptions;
  readonly #tree: ConfTree;
  readonly #cache = new Map<string, Promise<LoadedConfig>>();
  readonly #files = new Map<string, Promise<string[]>>();

  private constructor(options: ConfigLoaderOptions, tree: ConfTree) {
    // The caller's runtime params are copied: changing that object later (or run params' copy of it in a
    // hook) must not change config types loaded afterwards.
    this.#options = { ...options, runtimeParams: clonePlain(options.runtimeParams) };
    this.#tree = tree;
    this.env = options.env;
    this.baseEnv = options.baseEnv ?? "base";
  }

  /**
   * Checks that the base and env folders exist and that every merge strategy is known. A conf source
   * that is an archive file is read in memory (its reader is loaded only then).
   */
  static async create(options: ConfigLoaderOptions): Promise<ConfigLoader> {
    const tree = isArchivePath(options.confSource) && statIfAny(options.confSource)?.isFile
      ? await (await import("./conf_archive.ts")).openConfArchive(
        options.confSource,
        options.baseEnv ?? "base",
      )
      : diskTree(options.confSource);
    // Synchronous work (the folders are looked at with statSync); a refusal is still a rejection.
    return promised(() => {
      const loader = new ConfigLoader(options, tree);
      const errors: ConfigError[] = [];
      for (const env of loader.envs()) {
        const dir = join(tree.root, env);
        const kind = tree.kind(dir);
        if (kind !== "dir") {
          const state = kind ? "is a file, not a folder" : "does not exist";
          errors.push(
            new ConfigError("config/missing-env", `Configuration folder ${dir} ${state}`, {
              source: { file: dir },
              hint: kind
                ? `move that file away and create the folder ${dir}`
                : env === loader.baseEnv
                ? envFolderGiven(tree, loader.envs(), options.confSource) ??
                  `create ${dir} (it holds the shared catalog.yml and parameters.yml)`
                : options.envOrigin
                ? `create ${dir} (it may stay empty), or unset ${
                  options.envOrigin.split("=")[0]
                } (${options.envOrigin} names it) or pass another --env` +
                  otherEnvs(tree, env, loader.baseEnv)
                : `create ${dir} (it may stay empty), or pass another --env / KMLF_ENV / KEDRO_ENV` +
                  otherEnvs(tree, env, loader.baseEnv),
            }),
          );
        }
      }
      for (const [type, strategy] of Object.entries(options.mergeStrategy ?? {})) {
        if (strategy !== "soft" && strategy !== "destructive") {
          errors.push(
            new ConfigError(
              "config/bad-merge-strategy",
              `Merge strategy "${strategy}" for ${type} is not supported`,
              {
                hint:
                  'use "soft" (deep merge) or "destructive" (top-level replace) in kmlf.yml merge_strategy',
              },
            ),
          );
        }
      }
      throwIfAny(errors);
      return loader;
    });
  }

  /**
   * The merged config of `type` (e.g. "catalog", "parameters", "credentials", "mlflow", "globals").
   * A type without patterns uses `<type>*`, `<type>*\/**`, `**\/<type>*`. Files are read once; each call
   * gets its own copy of `data`, as Kedro's `config_loader[type]` is a fresh load: a caller changing it
   * changes nothing of what later callers (the catalog, the nodes' parameters) get.
   */
  async get(type: string): Promise<LoadedConfig> {
    const loaded = await this.#shared(type);
    return { ...loaded, data: clonePlain(loaded.data) };
  }

  // The cached config of `type`, never handed out (only read here, e.g. globals for interpolation).
  #shared(type: string): Promise<LoadedConfig> {
    let loaded = this.#cache.get(type);
    if (!loaded) {
      loaded = this.load(type);
      this.#cache.set(type, loaded);
    }
    return loaded;
  }

  /**
   * The environments to read, base first.
   * @ignore
   */
  private envs(): string[] {
    return this.env === this.baseEnv ? [this.baseEnv] : [this.baseEnv, this.env];
  }

  /**
   * One config type, environments merged and interpolated.
   * @ignore
   */
  private async load(type: string): Promise<LoadedConfig> {
    const globals = type === "globals" ? {} : (await this.#shared("globals")).data;
    const perEnv = await settleAll(this.envs().map((env) => this.loadEnv(env, type, globals)));
    const files = perEnv.flatMap((e) => e.sources.map((s) => s.file));
    const runtime = type === "parameters" ? this.#options.runtimeParams ?? {} : undefined;
    if (files.length === 0) {
      if (type === "catalog") throw this.noFiles(type, "config/missing-catalog");
      const data = runtime ? clonePlain(runtime) : {};
      // Kedro's context warns when no parameter file is found (and goes on with {} or the runtime params).
      const missing = type === "parameters" ? this.noFiles(type, "config/no-parameter-files") : undefined;
      return {
        data,
        files,
        newFile: this.newFile(type),
        missing,
        locate: (path) => locateRuntime(runtime, path),
      };
    }
    const soft = this.#options.mergeStrategy?.[type] === "soft";
    let data: Record<string, unknown> = {};
    for (const env of perEnv) data = soft ? deepMerge(data, env.data) : shallowMerge(data, env.data);
    markSourceKeys(data); // so MemoryDataset's copies of parameters keep a file's key order
    const [base, overlay] = perEnv;
    const replacedBase = (key: string) =>
      !soft && overlay && Object.hasOwn(overlay.data, key) && Object.hasOwn(base.data, key)
        ? locateIn(base.sources, [key], true)
        : undefined;
    return {
      data,
      files,
      newFile: this.newFile(type),
      locate: makeLocate(perEnv, soft, runtime, false),
      locateKey: makeLocate(perEnv, soft, runtime, true),
      replacedBase,
    };
  }

  /**
   * One environment's files of a config type, merged.
   * @ignore
   */
  private async loadEnv(env: string, type: string, globals: Record<string, unknown>): Promise<EnvConfig> {
    const dir = join(this.#tree.root, env);
    const patterns = this.patterns(type);
    const rel = (await this.listFiles(dir)).filter((f) => matchesPatterns(f, patterns));
    const sources = await settleAll(rel.map((file) => this.#tree.read(join(dir, file))));
    checkMappings(sources);
    checkDuplicates(sources, type);
    let merged: Record<string, unknown> = {};
    for (const s of sources) merged = deepMerge(merged, (s.value ?? {}) as Record<string, unknown>);
    const runtime = this.#options.runtimeParams ?? {};
    // Kedro's quirk, kept: runtime params join every env folder that has parameter files.
    if (type === "parameters" && sources.length > 0) {
      checkRuntimeParamsOverLists(merged, runtime, sources, this.#options.runtimeParamsFlag ?? "--params");
      merged = deepMerge(merged, runtime);
    }
    const resolved = resolveAll({
      configType: type,
      root: merged,
      globals,
      runtimeParams: runtime,
      allowEnv: type === "credentials",
      allowRuntimeParams: type !== "globals",
      runtimeParamsFlag: this.#options.runtimeParamsFlag,
      resolvers: this.#options.resolvers ?? {},
      getEnv: this.#options.getEnv,
      locate: (path) => locateIn(sources, path),
    });
    // `_` keys are templates: usable in interpolation, then dropped (parameters keep them, like Kedro).
    if (type !== "parameters") {
      for (const key of Object.keys(resolved)) if (key.startsWith("_")) delete resolved[key];
    }
    return { data: resolved, sources };
  }

  /**
   * The glob patterns of a config type (kmlf.yml's `config_patterns` or Kedro's defaults).
   * @ignore
   */
  private patterns(type: string): string[] {
    return patternsFor(type, this.#options.patterns);
  }

  /**
   * No file of `type` in any env folder: Kedro's MissingConfigException, with the file to create.
   * @ignore
   */
  private noFiles(type: string, code: string): ConfigError {
    const dirs = this.envs().map((env) => join(this.#tree.root, env));
    return new ConfigError(
      code,
      `No ${type === "parameters" ? "parameter" : type} files found in ${dirs.join(" or ")} matching ${
        this.patterns(type).join(", ")
      }`,
      { source: { file: dirs[0] }, hint: `create ${this.newFile(type)} (it may contain just {})` },
    );
  }

  /**
   * The file a hint tells users to create for `type`: its first pattern's name (`parameters*` →
   * `parameters.yml`) in the base folder.
   * @ignore
   */
  private newFile(type: string): string {
    const name = this.patterns(type)[0].split("/").filter((s) => s !== "**" && s !== "").at(-1) ?? type;
    const plain = name.replaceAll("*", "").replaceAll("?", "") || type;
    return join(this.#tree.root, this.baseEnv, /\.(ya?ml|json)$/.test(plain) ? plain : `${plain}.yml`);
  }

  /**
   * The config files of one environment folder.
   * @ignore
   */
  private listFiles(dir: string): Promise<string[]> {
    let files = this.#files.get(dir);
    if (!files) {
      files = this.#tree.list(dir);
      this.#files.set(dir, files);
    }
    return files;
  }
}

function shallowMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a, ...b };
  recordMergedKeys(out, [a, b]);
  return out;
}

// Like Promise.all, but every kmlf error is reported (in input order, so reports are deterministic).
async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const errors: KmlfError[] = [];
  for (const r of results) {
    if (r.status === "fulfilled") continue;
    if (!(r.reason instanceof KmlfError)) throw r.reason;
    errors.push(...(r.reason instanceof KmlfAggregateError ? r.reason.errors : [r.reason]));
  }
  throwIfAny(errors);
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

// "; environments: local, prod; did you mean "local"?" for a mistyped --env (the folders beside base).
// A configuration folder that is an environment folder itself (`--conf-source conf/base`, or one holding
// catalog.yml): creating `<it>/base` is not the fix, naming its parent is.
function envFolderGiven(tree: ConfTree, envs: string[], confSource: string): string | undefined {
  if (isArchivePath(confSource)) return undefined;
  const files = ["catalog.yml", "catalog.yaml", "parameters.yml", "parameters.yaml"];
  const holds = files.find((file) => tree.kind(join(tree.root, file)) === "file");
  if (!holds && !envs.includes(basename(tree.root))) return undefined;
  return `${tree.root} is an environment folder itself (${
    holds ? `it holds ${holds}` : `named ${basename(tree.root)}`
  }): give the folder that holds ${envs.join(" and ")} instead, e.g. ${dirname(tree.root)}`;
}

function otherEnvs(tree: ConfTree, env: string, baseEnv: string): string {
  const envs = tree.envs().filter((name) => name !== baseEnv && !name.startsWith(".")).sort();
  if (envs.length === 0) return "";
  const guess = didYouMeanHint(env, envs);
  return `; environments: ${envs.join(", ")}${guess ? `; ${guess}` : ""}`;
}
