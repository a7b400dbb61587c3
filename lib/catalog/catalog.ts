/** The data catalog: named datasets from config, factory patterns, parameters, load/save with clear errors. */
import {
  DatasetError,
  didYouMeanHint,
  type KmlfError,
  KmlfError as BaseError,
  type SourceLocation,
  throwIfAny,
} from "../errors.ts";

import type { Dataset } from "./dataset.ts";
import { MemoryDataset } from "./datasets/memory.ts";
import { createFromEntry, type EntryContext } from "./entry.ts";
import {
  compilePattern,
  type DatasetPattern,
  rankPatterns,
  resolvePattern,
  undefinedPlaceholders,
} from "./patterns.ts";
import { DatasetRegistry } from "./registry.ts";

/** A merged catalog (or credentials) config with source positions. */
export interface CatalogConfig {
  data: Record<string, unknown>;
  locate(path: readonly (string | number)[]): SourceLocation | undefined;
}

/** Options of {@link Catalog.fromConfig}. */
export interface CatalogOptions {
  projectRoot: string;
  credentials?: CatalogConfig;
  /** Pinned load versions of versioned datasets, by name. */
  loadVersions?: Record<string, string>;
  /** The save version of every versioned dataset (the run id). */
  saveVersion?: string;
  registry?: DatasetRegistry;
}

/**
 * Datasets by name. Explicit entries are created (and validated) up front; pattern matches lazily.
 *
 * @example
 * ```ts
 * const catalog = await Catalog.fromConfig({ data: { iris: { type: "csv", filepath: "data/iris.csv" } }, locate: () => undefined }, { projectRoot: "/p" });
 * const rows = await catalog.load("iris");
 * ```
 */
export class Catalog {
  readonly saveVersion: string | undefined;
  readonly registry: DatasetRegistry;
  readonly #datasets = new Map<string, Dataset>();
  readonly #configs = new Map<string, Record<string, unknown>>();
  readonly #sources = new Map<string, SourceLocation | undefined>();
  #patterns: DatasetPattern[] = [];
  #catchAll?: DatasetPattern;
  #entryCtx?: EntryContext;

  private constructor(options: CatalogOptions) {
    this.saveVersion = options.saveVersion;
    this.registry = options.registry ?? DatasetRegistry.withBuiltins();
  }

  /** An empty catalog (datasets added with {@link add}). */
  static empty(options: Partial<CatalogOptions> = {}): Catalog {
    return new Catalog({ projectRoot: Deno.cwd(), ...options });
  }

  /** Builds and validates every explicit entry; all problems are reported together. */
  static async fromConfig(config: CatalogConfig, options: CatalogOptions): Promise<Catalog> {
    const catalog = new Catalog(options);
    const loadVersions = options.loadVersions ?? {};
    const credentials = options.credentials?.data ?? {};
    catalog.#entryCtx = {
      projectRoot: options.projectRoot,
      registry: catalog.registry,
      credentials,
      locate: (path) => config.locate(path),
      versionFor: (name) => ({ load: loadVersions[name], save: options.saveVersion }),
      createDataset: (cfg, name) =>
        createFromEntry(name, cfg, [name], {
          ...catalog.#entryCtx!,
          locate: () => catalog.#sources.get(name.split("/")[0]),
        }),
    };
    const problems: KmlfError[] = [];
    const patterns: DatasetPattern[] = [];
    const explicit: [string, unknown][] = [];
    for (const [name, entry] of Object.entries(config.data)) {
      if ((name.match(/@/g) ?? []).length > 1) {
        problems.push(
          new DatasetError("catalog/bad-transcoding", `Dataset name "${name}" has more than one "@"`, {
            source: config.locate([name]),
            hint: 'use at most one transcoding separator: "name@format"',
          }),
        );
      } else if (name.includes("{")) {
        const p = compilePattern(name, (entry ?? {}) as Record<string, unknown>);
        const missing = undefinedPlaceholders(p);
        if (missing.length > 0) {
          problems.push(
            new DatasetError(
              "catalog/bad-pattern",
              `Pattern "${name}" uses {${missing.join("}, {")}} which its name does not define`,
              {
                source: config.locate([name]),
                hint: "every {placeholder} in the entry must appear in the pattern key",
              },
            ),
          );
        }
        patterns.push(p);
        catalog.#sources.set(name, config.locate([name]));
      } else explicit.push([name, entry]);
    }
    const catchAll = patterns.filter((p) => p.specificity === 0);
    if (catchAll.length > 1) {
      problems.push(
        new DatasetError(
          "catalog/multiple-catch-all",
          `Multiple catch-all patterns: ${catchAll.map((p) => p.pattern).join(", ")}`,
          {
            source: config.locate([catchAll[1].pattern]),
            hint: 'only one catch-all pattern such as "{default}" is allowed; remove the extras',
          },
        ),
      );
    }
    catalog.#catchAll = catchAll[0];
    catalog.#patterns = rankPatterns(patterns.filter((p) => p.specificity > 0));
    await Promise.all(explicit.map(async ([name, entry]) => {
      catalog.#sources.set(name, config.locate([name]));
      try {
        catalog.#datasets.set(name, await createFromEntry(name, entry, [name], catalog.#entryCtx!));
        catalog.#configs.set(name, entry as Record<string, unknown>);
      } catch (error) {
        if (!(error instanceof BaseError)) throw error;
        problems.push(...((error as KmlfError & { errors?: KmlfError[] }).errors ?? [error]));
      }
    }));
    const declared = new Set(explicit.map(([name]) => name));
    for (const name of Object.keys(loadVersions)) {
      if (!declared.has(name) && !catalog.has(name)) {
        problems.push(
          new DatasetError(
            "catalog/unknown-load-version",
            `--load-versions names "${name}", which is not in the catalog`,
            {
              hint: didYouMeanHint(name, catalog.names()) ||
                "name a versioned dataset declared in catalog.yml",
            },
          ),
        );
      }
    }
    throwIfAny(problems, "Invalid catalog");
    return catalog;
  }

  /** Registers `parameters` and `params:<path>` for every (nested) key. */
  addParameters(params: Record<string, unknown>): void {
    this.add("parameters", new MemoryDataset({ data: params }), { replace: true });
    const walk = (value: unknown, prefix: string) => {
      this.add(`params:${prefix}`, new MemoryDataset({ data: value }), { replace: true });
      if (value && typeof value === "object" && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value)) walk(v, `${prefix}.${k}`);
      }
    };
    for (const [k, v] of Object.entries(params)) walk(v, k);
  }

  /** Adds a dataset instance (an existing name needs `replace: true`). */
  add(name: string, dataset: Dataset, options: { replace?: boolean } = {}): void {
    if (this.#datasets.has(name) && !options.replace) {
      throw new DatasetError("catalog/duplicate", `Dataset "${name}" is already in the catalog`, {
        hint: "pass replace: true to overwrite it",
      });
    }
    this.#datasets.set(name, dataset);
  }

  /** Declared, a parameter, or matched by a factory pattern or the catch-all. */
  has(name: string): boolean {
    return this.#datasets.has(name) || this.matchPattern(name) !== undefined;
  }

  /** The dataset called `name`, materialising pattern matches (and, on request, in-memory defaults). */
  async get(name: string, options: { fallbackToRuntimePattern?: boolean } = {}): Promise<Dataset> {
    const existing = this.#datasets.get(name);
    if (existing) return existing;
    const match = this.matchPattern(name);
    if (match) {
      const ds = await createFromEntry(name, match.config, [match.pattern.pattern], {
        ...this.ctx(),
        locate: () => this.#sources.get(match.pattern.pattern),
      });
      this.#datasets.set(name, ds);
      this.#configs.set(name, match.config);
      return ds;
    }
    if (options.fallbackToRuntimePattern) {
      const ds = new MemoryDataset();
      this.#datasets.set(name, ds);
      return ds;
    }
    throw new DatasetError("catalog/unknown-dataset", `Dataset "${name}" is not in the catalog`, {
      hint: didYouMeanHint(name, this.names()) || "declare it in conf/base/catalog.yml",
    });
  }

  async load(name: string): Promise<unknown> {
    const ds = await this.get(name, { fallbackToRuntimePattern: true });
    try {
      return await ds.load();
    } catch (error) {
      throw this.wrap(error, "load", name, ds);
    }
  }

  async save(name: string, data: unknown): Promise<void> {
    const ds = await this.get(name, { fallbackToRuntimePattern: true });
    if (data === undefined || data === null) {
      throw new DatasetError("dataset/save-none", `Cannot save ${data} to dataset "${name}"`, {
        source: this.#sources.get(name),
        hint: "the producing node must return a value for this output",
      });
    }
    try {
      await ds.save(data);
    } catch (error) {
      throw this.wrap(error, "save", name, ds);
    }
  }

  async exists(name: string): Promise<boolean> {
    if (!this.has(name)) return false;
    return await (await this.get(name)).exists();
  }

  async release(name: string): Promise<void> {
    await this.#datasets.get(name)?.release?.();
  }

  async confirm(name: string): Promise<void> {
    const ds = await this.get(name);
    if (typeof ds.confirm !== "function") {
      throw new DatasetError("catalog/no-confirm", `Dataset "${name}" does not have a confirm() method`, {
        hint: "remove it from the node's confirms:",
      });
    }
    await ds.confirm();
  }

  /** In-memory (not persisted across runs): parameters, memory datasets and undeclared names. */
  isEphemeral(name: string): boolean {
    const ds = this.#datasets.get(name);
    if (ds) return ds.ephemeral === true;
    const match = this.matchPattern(name);
    if (!match) return true;
    const type = String(match.config.type ?? "");
    return this.registry.lookup(type)?.names[0] === "memory";
  }

  /** The dataset's class name, without materialising pattern matches. */
  typeName(name: string): string {
    const ds = this.#datasets.get(name);
    if (ds) return ds.constructor.name;
    const match = this.matchPattern(name);
    if (!match) return "MemoryDataset";
    const type = String(match.config.type ?? "");
    return this.registry.lookup(type)?.names[1] ?? type;
  }

  /** Declared and registered names (no patterns), sorted. */
  names(): string[] {
    return [...this.#datasets.keys()].sort();
  }

  /** Factory patterns in the order they are tried (catch-all last). */
  listPatterns(): string[] {
    return [...this.#patterns.map((p) => p.pattern), ...(this.#catchAll ? [this.#catchAll.pattern] : [])];
  }

  /** The entry config after pattern substitution (credentials by reference name), if any. */
  resolveConfig(name: string): Record<string, unknown> | undefined {
    return this.#configs.get(name) ?? this.matchPattern(name)?.config;
  }

  /** Where `name` is declared. */
  sourceOf(name: string): SourceLocation | undefined {
    return this.#sources.get(name);
  }

  private ctx(): EntryContext {
    if (!this.#entryCtx) {
      throw new DatasetError("catalog/no-config", "This catalog was not built from config", {
        hint: "use Catalog.fromConfig",
      });
    }
    return this.#entryCtx;
  }

  private matchPattern(
    name: string,
  ): { pattern: DatasetPattern; config: Record<string, unknown> } | undefined {
    for (const p of [...this.#patterns, ...(this.#catchAll ? [this.#catchAll] : [])]) {
      const config = resolvePattern(p, name);
      if (config) return { pattern: p, config };
    }
    return undefined;
  }

  private wrap(error: unknown, action: "load" | "save", name: string, ds: Dataset): KmlfError {
    const type = ds.constructor.name;
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof BaseError ? error.code : `dataset/${action}-failed`;
    return new DatasetError(code, `Cannot ${action} dataset "${name}" (${type}): ${message}`, {
      source: this.#sources.get(name),
      hint: error instanceof BaseError
        ? error.hint
        : `check the ${action === "load" ? "file and load_args" : "data the node returned and save_args"}`,
      cause: error,
    });
  }
}
