/**
 * The config loader: `conf/base` overlaid by `conf/<env>`, one config type at a time, with Kedro's
 * merge rules and interpolation. Every loaded config can still say which file and line a value came from.
 */
import { join } from "node:path";
import { ConfigError, type SourceLocation } from "../errors.ts";
import { type KeyPath, readYamlFile, type YamlSource } from "../yaml/parse_yaml.ts";
import { DEFAULT_PATTERNS, listConfigFiles, matchesPatterns } from "./files.ts";
import { resolveAll, type Resolver } from "./interpolate.ts";
import { deepMerge, isRecord, leafPaths } from "./merge.ts";

/** A merged, interpolated config type plus where its values came from. */
export interface LoadedConfig {
  data: Record<string, unknown>;
  /** Absolute paths of the files that contributed, base first. */
  files: string[];
  locate(path: KeyPath): SourceLocation | undefined;
}

/** Options of {@link ConfigLoader.create}. */
export interface ConfigLoaderOptions {
  /** Absolute path of the conf folder. */
  confSource: string;
  env: string;
  baseEnv?: string;
  runtimeParams?: Record<string, unknown>;
  /** Per config type: "destructive" (default, top-level replace) or "soft" (deep merge). */
  mergeStrategy?: Record<string, "soft" | "destructive">;
  /** Extra or overriding config types → glob patterns. */
  patterns?: Record<string, string[]>;
  /** Extra `${name:args}` resolvers. */
  resolvers?: Record<string, Resolver>;
}

interface EnvConfig {
  data: Record<string, unknown>;
  sources: YamlSource[];
}

/**
 * Loads configuration lazily and caches each type.
 *
 * @example
 * ```ts
 * const loader = await ConfigLoader.create({ confSource: "/p/conf", env: "local" });
 * const { data: params } = await loader.get("parameters");
 * ```
 */
export class ConfigLoader {
  readonly env: string;
  readonly baseEnv: string;
  readonly #options: ConfigLoaderOptions;
  readonly #cache = new Map<string, Promise<LoadedConfig>>();
  readonly #files = new Map<string, Promise<string[]>>();
  #globals?: Promise<Record<string, unknown>>;

  private constructor(options: ConfigLoaderOptions) {
    this.#options = options;
    this.env = options.env;
    this.baseEnv = options.baseEnv ?? "base";
  }

  /** Checks that the base and env folders exist. */
  static async create(options: ConfigLoaderOptions): Promise<ConfigLoader> {
    const loader = new ConfigLoader(options);
    for (const env of loader.envs()) {
      const dir = join(options.confSource, env);
      const stat = await Deno.stat(dir).catch(() => undefined);
      if (!stat?.isDirectory) {
        throw new ConfigError("config/missing-env", `Configuration folder ${dir} does not exist`, {
          source: { file: dir },
          hint: env === loader.baseEnv
            ? `create ${dir} (it holds the shared catalog.yml and parameters.yml)`
            : `create ${dir} (it may stay empty), or pass another --env / KMLF_ENV`,
        });
      }
    }
    for (const [type, strategy] of Object.entries(options.mergeStrategy ?? {})) {
      if (strategy !== "soft" && strategy !== "destructive") {
        throw new ConfigError(
          "config/bad-merge-strategy",
          `Merge strategy "${strategy}" for ${type} is not supported`,
          {
            hint: 'use "soft" (deep merge) or "destructive" (top-level replace) in kmlf.yml merge_strategy',
          },
        );
      }
    }
    return loader;
  }

  /** The merged config of `type` (e.g. "catalog", "parameters", "credentials", "mlflow"). */
  get(type: string): Promise<LoadedConfig> {
    let loaded = this.#cache.get(type);
    if (!loaded) {
      loaded = this.load(type);
      this.#cache.set(type, loaded);
    }
    return loaded;
  }

  private envs(): string[] {
    return this.env === this.baseEnv ? [this.baseEnv] : [this.baseEnv, this.env];
  }

  private patterns(type: string): string[] {
    const patterns = { ...DEFAULT_PATTERNS, ...this.#options.patterns }[type];
    return patterns ?? [`${type}*`, `${type}*/**`, `**/${type}*`];
  }

  private async load(type: string): Promise<LoadedConfig> {
    const globals = type === "globals" ? {} : await this.globals();
    const perEnv: EnvConfig[] = [];
    for (const env of this.envs()) perEnv.push(await this.loadEnv(env, type, globals));
    const files = perEnv.flatMap((e) => e.sources.map((s) => s.file));
    const runtime = this.#options.runtimeParams ?? {};
    if (files.length === 0) {
      if (type === "catalog") {
        const base = join(this.#options.confSource, this.baseEnv);
        throw new ConfigError(
          "config/missing-catalog",
          `No catalog files found in ${base} or ${join(this.#options.confSource, this.env)}`,
          {
            hint: `create ${join(base, "catalog.yml")} (it may contain just {})`,
          },
        );
      }
      const data = type === "parameters" ? structuredClone(runtime) : {};
      return { data, files, locate: () => undefined };
    }
    const soft = this.#options.mergeStrategy?.[type] === "soft";
    let data: Record<string, unknown> = {};
    for (const env of perEnv) {
      data = soft ? deepMerge(data, env.data) : { ...data, ...env.data };
    }
    const [base, overlay] = perEnv;
    const locate = (path: KeyPath): SourceLocation | undefined => {
      if (
        overlay && (soft ? hasPath(overlay.data, path) : path.length > 0 && String(path[0]) in overlay.data)
      ) {
        return locateIn(overlay.sources, path);
      }
      return locateIn(base.sources, path) ?? (overlay ? locateIn(overlay.sources, path) : undefined);
    };
    return { data, files, locate };
  }

  private async loadEnv(env: string, type: string, globals: Record<string, unknown>): Promise<EnvConfig> {
    const dir = join(this.#options.confSource, env);
    const patterns = this.patterns(type);
    const rel = (await this.listFiles(dir)).filter((f) => matchesPatterns(f, patterns));
    const sources: YamlSource[] = [];
    for (const file of rel) sources.push(await readYamlFile(join(dir, file)));
    checkMappings(sources);
    checkDuplicates(sources, type);
    let merged: Record<string, unknown> = {};
    for (const s of sources) merged = deepMerge(merged, (s.value ?? {}) as Record<string, unknown>);
    const runtime = this.#options.runtimeParams ?? {};
    if (type === "parameters" && sources.length > 0) merged = deepMerge(merged, runtime);
    const resolved = resolveAll({
      configType: type,
      root: merged,
      globals,
      runtimeParams: runtime,
      allowEnv: type === "credentials",
      allowRuntimeParams: type !== "globals",
      resolvers: this.#options.resolvers ?? {},
      locate: (path) => locateIn(sources, path),
    });
    if (type !== "parameters") {
      for (const key of Object.keys(resolved)) if (key.startsWith("_")) delete resolved[key];
    }
    return { data: resolved, sources };
  }

  private listFiles(dir: string): Promise<string[]> {
    let files = this.#files.get(dir);
    if (!files) {
      files = listConfigFiles(dir);
      this.#files.set(dir, files);
    }
    return files;
  }

  private globals(): Promise<Record<string, unknown>> {
    this.#globals ??= this.get("globals").then((g) => g.data);
    return this.#globals;
  }
}

function checkMappings(sources: YamlSource[]): void {
  for (const s of sources) {
    if (s.value !== null && !isRecord(s.value)) {
      throw new ConfigError("config/not-a-mapping", `${s.file} must contain a mapping of keys to values`, {
        source: s.locate([]),
        hint: "write `key: value` entries at the top level (an empty file or {} is fine)",
      });
    }
  }
}

// Within one env: a top-level key (leaf path for parameters) may be defined by one file only.
function checkDuplicates(sources: YamlSource[], type: string): void {
  const seen = new Map<string, YamlSource>();
  for (const s of sources) {
    const value = (s.value ?? {}) as Record<string, unknown>;
    const keys = type === "parameters" ? leafPaths(value) : Object.keys(value);
    for (const key of keys) {
      if (key.startsWith("_")) continue;
      const first = seen.get(key);
      if (first) {
        const path = key.split(".");
        const at = first.locateKey(path);
        throw new ConfigError(
          "config/duplicate-key",
          `Key "${key}" is defined in both ${first.file} and ${s.file}`,
          {
            source: s.locateKey(path),
            hint: `keep it in one file of this environment (first defined at ${first.file}:${
              at.line ?? "?"
            }:${at.column ?? "?"})`,
          },
        );
      }
      seen.set(key, s);
    }
  }
}

function hasPath(value: unknown, path: KeyPath): boolean {
  let node = value;
  for (const seg of path) {
    if (Array.isArray(node) && typeof seg === "number" && seg < node.length) node = node[seg];
    else if (isRecord(node) && String(seg) in node) node = node[String(seg)];
    else return false;
  }
  return true;
}

// The last file defining the full path wins (files merge in order); else the deepest known prefix.
function locateIn(sources: YamlSource[], path: KeyPath): SourceLocation | undefined {
  for (let depth = path.length; depth >= 1; depth--) {
    const prefix = path.slice(0, depth);
    for (let i = sources.length - 1; i >= 0; i--) {
      if (hasPath(sources[i].value, prefix)) {
        return { ...sources[i].locate(prefix), keyPath: sources[i].locate(path).keyPath };
      }
    }
  }
  return sources.length === 1 ? sources[0].locate(path) : undefined;
}
