/** The data catalog: named datasets from config, factory patterns, parameters, load/save with clear errors. */
import { type KmlfError, type SourceLocation, throwIfAny } from "../errors.ts";
import { isParameter } from "../dataset_names.ts";
import { clonePlain } from "../plain_copy.ts";
import { buildFromConfig } from "./catalog_build.ts";
import { checkTranscoding } from "./catalog_checks.ts";
import { datasetFailure, duplicateDataset, noConfirm, saveNone, unknownDataset } from "./catalog_errors.ts";
import type { CatalogConfig, CatalogOptions, CatalogWarning } from "./catalog_options.ts";
import type { Dataset } from "./dataset.ts";
import { MemoryDataset } from "./datasets/memory_dataset.ts";
import { type CreatedDataset, createFromEntry, type EntryContext, typeNameOf } from "./entry.ts";
import type { DatasetPattern } from "./patterns.ts";
import { FactoryPatterns } from "./factory_patterns.ts";
import { catalogEntryContext } from "./catalog_context.ts";
import { WarningFeed } from "./warning_feed.ts";
import {
  catalogFileFor,
  missingParametersWarning,
  parameterEntries,
  parameterFileFor,
  parameterHint,
  type ParameterSources,
} from "./hint_files.ts";
import type { DatasetRegistry } from "./registry.ts";
import { builtinRegistry } from "./builtin_types.ts";
import { generateVersion } from "./versioning.ts";

const NO_CONFIG: CatalogConfig = { data: {}, locate: () => undefined };

/**
 * Datasets by name. Declared entries are built (and so validated) up front; names matching a factory
 * pattern are built on first use and cached; undeclared names become MemoryDatasets on request.
 *
 * @example
 * ```ts
 * const config = { data: { iris: { type: "csv", filepath: "data/iris.csv" } }, locate: () => undefined };
 * const catalog = await Catalog.fromConfig(config, { projectRoot: "/path/to/project" });
 * const rows = await catalog.load("iris");
 * ```
 */
export class Catalog {
  /** The version every versioned dataset of this catalog saves (the run id). */
  readonly saveVersion: string | undefined;
  /** The dataset types this catalog builds entries with. */
  readonly registry: DatasetRegistry;
  /**
   * Broken entries that none of the used names needs (see {@link CatalogOptions.used}), and entries built
   * with a note (one with a `note`: where Kedro warns, e.g. credentials set twice), declared ones sorted by
   * name, then those of pattern matches as they are built and notes datasets give later ({@link onWarning}).
   */
  readonly warnings: CatalogWarning[];
  readonly #feed = new WarningFeed();
  readonly #broken = new Map<string, readonly KmlfError[]>();
  readonly #declared = new Map<string, Dataset>();
  readonly #typeNames = new Map<string, string>();
  readonly #configs = new Map<string, Record<string, unknown>>();
  // Names declared in the catalog config; their file:line is looked up only when asked for (an error, the
  // `kmlf catalog` commands): locating re-parses the YAML with positions, which a run never needs otherwise.
  readonly #sourceNames = new Set<string>();
  readonly #config: CatalogConfig;
  readonly #fromPatterns = new Map<string, Promise<Dataset>>();
  readonly #built = new Map<string, Dataset>();
  readonly #runtime = new Map<string, Dataset>();
  readonly #ctx: EntryContext;
  #patterns = FactoryPatterns.NONE;
  #parameterSources?: ParameterSources;

  private constructor(config: CatalogConfig, options: CatalogOptions) {
    this.warnings = this.#feed.list;
    this.saveVersion = options.saveVersion ?? generateVersion();
    this.registry = options.registry ?? builtinRegistry();
    this.#config = config;
    this.#ctx = catalogEntryContext(config, options, this);
  }

  /**
   * An empty catalog, for datasets added with {@link add} (tests, embedding).
   *
   * @example
   * ```ts
   * const catalog = Catalog.empty();
   * catalog.add("numbers", new MemoryDataset({ data: [1, 2] }));
   * ```
   */
  static empty(options: Partial<CatalogOptions> = {}): Catalog {
    return new Catalog(NO_CONFIG, { projectRoot: ".", ...options });
  }

  /**
   * Builds and validates the declared entries and factory patterns; all problems are reported together.
   * With `used`, entries no used name needs may be broken: they become {@link warnings}.
   *
   * @example
   * ```ts
   * const catalog = await Catalog.fromConfig(conf, { projectRoot, credentials, saveVersion: runId });
   * ```
   */
  static async fromConfig(config: CatalogConfig, options: CatalogOptions): Promise<Catalog> {
    const catalog = new Catalog(config, options);
    await buildFromConfig(config, options, {
      ctx: catalog.#ctx,
      warnings: catalog.warnings,
      named: (name) => catalog.#sourceNames.add(name),
      broken: (name, problems) => catalog.#broken.set(name, problems),
      patterns: (patterns) => {
        catalog.#patterns = patterns;
      },
      configured: (name, entry) => catalog.#configs.set(name, entry),
      create: (name, entry, at) => catalog.#create(name, entry, at),
      built: (name, { dataset, typeName }) => {
        catalog.#declared.set(name, dataset);
        catalog.#typeNames.set(name, typeName);
      },
      patternConfig: (name) => catalog.matchPattern(name)?.config,
    });
    return catalog;
  }

  /**
   * Registers `parameters` (everything) and `params:<key>` for every key, recursively into mappings
   * (`params:model`, `params:model.lr`, …), as in-memory datasets. `sources` (the files they came from)
   * lets hints about an undefined parameter name the project's files ({@link parameterFileFor}).
   *
   * @example
   * ```ts
   * catalog.addParameters({ model: { lr: 0.1 } }, { files: ["conf/base/parameters_ds.yml"] });
   * await catalog.load("params:model.lr"); // 0.1
   * ```
   */
  addParameters(params: Record<string, unknown>, sources?: ParameterSources): void {
    if (sources) this.#parameterSources = sources;
    if (sources?.missing) this.#feed.add(missingParametersWarning(sources.missing, sources));
    for (const [name, value] of parameterEntries(params)) {
      this.add(name, new MemoryDataset({ data: value }), { replace: true });
    }
  }

  /**
   * The file(s) to define parameter `key` in, for hints: those {@link addParameters} was given, else
   * `conf/base/parameters.yml`.
   *
   * @example
   * ```ts
   * catalog.parameterFileFor("model.lr"); // "conf/base/parameters_ds.yml"
   * ```
   */
  parameterFileFor(key: string): string {
    return parameterFileFor(this.#parameterSources, key);
  }

  /**
   * The hint of an undefined parameter `key`: the file to define it in, or how this caller passes it
   * (`--params`, or a script's `runtimeParams`).
   *
   * @example
   * ```ts
   * catalog.parameterHint("seed"); // 'define "seed" in conf/base/parameters.yml (or pass --params seed=...)'
   * ```
   */
  parameterHint(key: string): string {
    return parameterHint(this.#parameterSources, key);
  }

  /** The catalog file hints tell users to declare a dataset in (`conf/base/catalog.yml` if unknown). */
  catalogFile(): string {
    return catalogFileFor(this.#config.files);
  }

  /**
   * Adds a dataset instance; replacing an existing name needs `replace: true`.
   *
   * @example
   * ```ts
   * catalog.add("scores", new MemoryDataset({ copyMode: "assign" }));
   * ```
   */
  add(name: string, dataset: Dataset, options: { replace?: boolean } = {}): void {
    checkTranscoding(name);
    if (!options.replace && (this.#declared.has(name) || this.#built.has(name) || this.#runtime.has(name))) {
      throw duplicateDataset(name, this.#declaredSource(name));
    }
    for (const map of [this.#fromPatterns, this.#built, this.#runtime, this.#configs, this.#broken]) {
      map.delete(name);
    }
    this.#declared.set(name, dataset);
    const className = dataset.constructor.name;
    this.#typeNames.set(name, this.registry.lookup(className)?.typeName ?? className);
  }

  /** Declared, added, a parameter, or matched by a factory pattern or the catch-all. */
  has(name: string): boolean {
    return this.#declared.has(name) || this.#broken.has(name) || this.#runtime.has(name) ||
      this.matchPattern(name) !== undefined;
  }

  /**
   * The dataset called `name`. Pattern matches are built on first use; with `fallbackToRuntimePattern`
   * an undeclared name becomes a MemoryDataset (what the runner does for intermediate data).
   *
   * @example
   * ```ts
   * const ds = await catalog.get("features", { fallbackToRuntimePattern: true });
   * ```
   */
  async get(name: string, options: { fallbackToRuntimePattern?: boolean } = {}): Promise<Dataset> {
    const known = this.#declared.get(name) ?? this.#runtime.get(name);
    if (known) return known;
    const broken = this.#broken.get(name);
    if (broken) throwIfAny(broken, `Invalid catalog entry "${name}"`);
    checkTranscoding(name);
    const pending = this.#fromPatterns.get(name);
    if (pending) return await pending;
    const match = this.matchPattern(name);
    if (match) {
      const building = this.#create(name, match.config, match.pattern.pattern).then(
        ({ dataset, typeName }) => {
          this.#built.set(name, dataset);
          this.#typeNames.set(name, typeName);
          return dataset;
        },
      );
      this.#fromPatterns.set(name, building);
      return await building;
    }
    if (options.fallbackToRuntimePattern) {
      const dataset = new MemoryDataset();
      this.#runtime.set(name, dataset);
      this.#typeNames.set(name, "MemoryDataset");
      return dataset;
    }
    throw unknownDataset(name, [...this.#declared.keys(), ...this.#built.keys()], this.catalogFile());
  }

  /** Loads a dataset; failures name the dataset and its type. */
  async load(name: string): Promise<unknown> {
    const dataset = await this.get(name);
    try {
      return await dataset.load();
    } catch (error) {
      throw datasetFailure(error, { action: "load", name, catalog: this });
    }
  }

  /** Saves data (never `undefined`/`null`); an undeclared name becomes a MemoryDataset. */
  async save(name: string, data: unknown): Promise<void> {
    if (data === undefined || data === null) {
      throw saveNone(name, { data, source: this.#declaredSource(name) });
    }
    const dataset = await this.get(name, { fallbackToRuntimePattern: true });
    try {
      await dataset.save(data);
    } catch (error) {
      throw datasetFailure(error, { action: "save", name, catalog: this });
    }
  }

  /** Whether the dataset has data; false for unknown names. */
  async exists(name: string): Promise<boolean> {
    if (!this.has(name)) return false;
    const dataset = await this.get(name);
    try {
      return await dataset.exists();
    } catch (error) {
      throw datasetFailure(error, { action: "check", name, catalog: this });
    }
  }

  /** Frees cached data of a built dataset (no-op for names never used). */
  async release(name: string): Promise<void> {
    const dataset = this.#declared.get(name) ?? this.#runtime.get(name) ?? this.#built.get(name);
    await dataset?.release?.();
  }

  /** Calls the dataset's `confirm()`; datasets without one are an error. */
  async confirm(name: string): Promise<void> {
    const dataset = await this.get(name);
    if (typeof dataset.confirm !== "function") {
      throw noConfirm(name, { typeName: this.typeName(name), source: this.#declaredSource(name) });
    }
    await dataset.confirm();
  }

  /** In-memory (not persisted across runs): parameters, memory datasets and undeclared names. */
  isEphemeral(name: string): boolean {
    if (isParameter(name)) return true;
    const dataset = this.#declared.get(name) ?? this.#runtime.get(name) ?? this.#built.get(name);
    if (dataset) return dataset.ephemeral === true;
    const match = this.matchPattern(name);
    return match ? this.registry.lookup(String(match.config.type))?.typeName === "MemoryDataset" : true;
  }

  /** The dataset's type name (`CSVDataset`), without building pattern matches; undeclared → MemoryDataset. */
  typeName(name: string): string {
    const known = this.#typeNames.get(name);
    if (known) return known;
    const type = this.#configs.get(name)?.type;
    if (typeof type === "string") return typeNameOf(type, this.registry);
    const match = this.matchPattern(name);
    return match ? typeNameOf(String(match.config.type), this.registry) : "MemoryDataset";
  }

  /** Declared entries (broken ones too), added datasets and parameters (no pattern matches), sorted. */
  names(): string[] {
    return [...new Set([...this.#declared.keys(), ...this.#broken.keys()])].sort();
  }

  /** What undeclared `name` resolves through: a factory pattern, the catch-all (`"{default}"`), or neither. */
  matchedBy(name: string): "pattern" | "catch-all" | undefined {
    const match = this.matchPattern(name);
    return match && (this.#patterns.isCatchAll(match.pattern) ? "catch-all" : "pattern");
  }

  /** User factory patterns in the order they are tried (the catch-all last). */
  listPatterns(): string[] {
    return this.#patterns.all().map((p) => p.pattern);
  }

  /**
   * The entry config as written (credentials by reference name), after pattern substitution: a copy, so
   * changing it changes neither this catalog's datasets nor later answers.
   */
  resolveConfig(name: string): Record<string, unknown> | undefined {
    const written = this.#configs.get(name);
    if (written) return clonePlain(written);
    return this.#declared.has(name) ? undefined : this.matchPattern(name)?.config; // built anew per call
  }

  /** Where `name` is declared (its catalog entry or pattern); with `key`, the entry's key, not its value. */
  sourceOf(name: string, options: { key?: boolean } = {}): SourceLocation | undefined {
    if (options.key && this.#sourceNames.has(name)) return this.#ctx.locateKey?.([name]);
    return this.#declaredSource(name) ?? this.matchPattern(name)?.source;
  }

  /**
   * Calls `listener` with each warning added from now on: the notes of pattern datasets as they are built,
   * and a note a dataset gives after its entry was built (from its load or save), each once. Returns the
   * function that stops it.
   *
   * @example
   * ```ts
   * const stop = catalog.onWarning((w) => console.warn(w.name, w.problems[0].message));
   * ```
   */
  onWarning(listener: (warning: CatalogWarning) => void): () => void {
    return this.#feed.subscribe(listener);
  }

  // Builds an entry (at key `at`); what Kedro would warn about while building it becomes a warning (see
  // WarningFeed.entryNotes: a partition's rebuilds repeat it, a dataset's later notes are their own).
  async #create(name: string, entry: unknown, at: string): Promise<CreatedDataset> {
    const notes = this.#feed.entryNotes(name);
    return await createFromEntry(name, entry, [at], { ...this.#ctx, warn: notes.warn }).finally(notes.built);
  }

  #declaredSource(name: string): SourceLocation | undefined {
    return this.#sourceNames.has(name) ? this.#config.locate([name]) : undefined;
  }

  /**
   * The dataset factory pattern (`"{name}_data"`) that matches `name`, most specific first, with its resolved
   * config.
   * @ignore
   */
  private matchPattern(
    name: string,
  ): { pattern: DatasetPattern; config: Record<string, unknown>; source?: SourceLocation } | undefined {
    if (this.#declared.has(name) || this.#broken.has(name)) return undefined;
    const match = this.#patterns.match(name);
    return match && { ...match, source: this.#declaredSource(match.pattern.pattern) };
  }
}
