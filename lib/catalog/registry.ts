/**
 * Dataset types by name. Built-ins register here; the MLflow layer adds its own types the same way.
 * Each type may carry a strict zod schema of its catalog arguments, so typos are caught before a run.
 */
import { z } from "../zod/mod.ts";
import { ConfigError, type SourceLocation } from "../errors.ts";
import type { Dataset } from "./dataset.ts";
import type { VersionSpec } from "./versioning.ts";

/** What a factory gets besides its arguments. */
export interface DatasetFactoryContext {
  /** Catalog name of the dataset. */
  name: string;
  /** The project's root folder; relative paths in arguments resolve against it. */
  projectRoot: string;
  /** Where the entry is declared. */
  source?: SourceLocation;
  /** Where a key of the entry is (`["save_args", "name"]`), for errors about one argument. */
  locate?(keyPath: readonly (string | number)[]): SourceLocation | undefined;
  /**
   * Where the key itself is written (`filepath:`, not its value), for errors about a key being given at all
   * (a key the type does not take, two keys that exclude each other) rather than about its value. `kmlf
   * catalog validate` judges a factory pattern's values only where no placeholder fills them, but its keys
   * everywhere: an error located at a value with a placeholder is not reported there.
   */
  locateKey?(keyPath: readonly (string | number)[]): SourceLocation | undefined;
  /**
   * The key path the entry wrote for an argument's, from the catalog entry's top, for messages: another
   * spelling taken as the key (`artifact_path` for `["save_args", "name"]`), and a dataset nested in
   * another's `dataset:` adds that path (`["dataset", "save_args", "name"]`); else the same path.
   */
  written?(keyPath: readonly (string | number)[]): readonly (string | number)[];
  /**
   * The arguments the registered type `type` takes (its schema's keys), without building anything;
   * undefined for a project class or a type whose arguments are no fixed set. A wrapper checks with it that
   * its nested type takes the key it sets (a partition's file).
   */
  argumentsOf?(type: string): Promise<ReadonlySet<string> | undefined>;
  /** Set when the entry says `versioned: true`: the pinned load version and the catalog's save version. */
  version?: VersionSpec;
  /** The entry's `metadata` (free-form, passed through). */
  metadata?: Record<string, unknown>;
  /**
   * Reports what the user should know about an entry that still builds (where Kedro logs a warning): the
   * catalog lists it among its warnings, located at the key `keyPath` of the entry. Notes given while the
   * factory runs are the entry's warning (a dataset built again for each partition repeats them: those are
   * dropped). A note given later — the dataset keeps `ctx` and warns from its load or save — is a warning of
   * its own when given, once per text: `Catalog.onWarning` listeners get it (`kmlf run` prints it). A note
   * without its texts, or a key path that is not a list, is refused (`catalog/bad-note`): it fails the entry,
   * or the load or save that gave it.
   */
  warn?(keyPath: readonly (string | number)[], note: CatalogNote): void;
  /**
   * Builds another dataset from a catalog-style definition — a mapping with a `type`, or a type name (for
   * wrapper datasets such as MlflowArtifactDataset and PartitionedDataset). `keyPath` is where that
   * definition sits in the entry (`["dataset"]`): its errors name `<entry>.dataset.<key>` and point at that
   * key's line (without one, at the entry).
   */
  createDataset(
    config: Record<string, unknown> | string,
    name: string,
    keyPath?: readonly (string | number)[],
    options?: NestedDatasetOptions,
  ): Promise<Dataset>;
}

/** A non-fatal note about an entry ({@link DatasetFactoryContext.warn}): a stable code, what and the fix. */
export interface CatalogNote {
  /** `catalog/<what>`, like an error's. */
  code: string;
  /** What happens, naming the entry and the keys as written. */
  message: string;
  /** What to change to say what is meant. */
  hint: string;
}

/** Options of {@link DatasetFactoryContext.createDataset}. */
export interface NestedDatasetOptions {
  /**
   * Keys of the nested config the wrapper set itself, each with the wrapper's own key path it comes from
   * (`{ filepath: ["path"] }`: a partition's file is the folder's): errors about them point there.
   */
  givenBy?: Readonly<Record<string, readonly (string | number)[]>>;
}

/**
 * Creates a dataset from validated snake_case arguments: the entry without `type`, `metadata` and
 * `versioned` (see `ctx.metadata` and `ctx.version`). Must not do I/O: the catalog builds every
 * declared dataset up front to validate it.
 */
export type DatasetFactory = (
  args: Record<string, unknown>,
  ctx: DatasetFactoryContext,
) => Dataset | Promise<Dataset>;

/** Options of {@link DatasetRegistry.register}. */
export interface RegisterOptions {
  /** Strict schema of the arguments (default: any mapping). */
  schema?: z.core.$ZodType;
  /** Whether `versioned: true` is supported (default false). */
  versionable?: boolean;
  /** Name shown by `kmlf catalog` and in errors (default: the first name ending in "Dataset"). */
  typeName?: string;
  /**
   * Arguments users of the Python original write that this type does not take, by key path
   * (`load_args.index_col`, or a top-level key such as `pyfunc_workflow`), each with what to do instead;
   * reported instead of "unknown key".
   */
  argumentHints?: Readonly<Record<string, string>>;
  /**
   * Other spellings of this type's arguments in the Python original's versions, by key path (`artifact_path`,
   * `save_args.artifact_path`), each with the key path it means here and the version that spelled it so:
   * taken as that key; giving both spellings is refused (`catalog/renamed-argument`).
   */
  argumentAliases?: Readonly<Record<string, ArgumentAlias>>;
}

/** One other spelling of an argument: the key path it means, and where that spelling comes from. */
export interface ArgumentAlias {
  /** The key path here, e.g. `save_args.name`. */
  to: string;
  /** Who spells it so, e.g. "kedro-mlflow 0.12–1.x". */
  from: string;
}

/** A registered dataset type. */
export interface DatasetType {
  /** Names accepted in `type:`; the first is the short canonical one. */
  names: string[];
  /** The class-style name shown to users, e.g. `CSVDataset`. */
  typeName: string;
  /** Builds a dataset from the entry's arguments. */
  factory: DatasetFactory;
  /** The strict zod schema the arguments are validated with before `factory` is called. */
  schema: z.core.$ZodType;
  /** Whether the type accepts `versioned: true`. */
  versionable: boolean;
  /** Arguments of the Python original this type does not take, each with what to do instead. */
  argumentHints: Readonly<Record<string, string>>;
  /** Other spellings of arguments, taken as the key they mean ({@link RegisterOptions.argumentAliases}). */
  argumentAliases: Readonly<Record<string, ArgumentAlias>>;
}

/** What {@link DatasetRegistry.lookup} tells of a type without loading it. */
export type DatasetTypeInfo = Pick<DatasetType, "names" | "typeName">;

/** A type {@link DatasetRegistry.registerLazy} loads on first use: its factory and register options. */
export interface DatasetTypeDefinition extends Omit<RegisterOptions, "typeName"> {
  /** Builds a dataset from the entry's arguments. */
  factory: DatasetFactory;
}

// A registration: built, or loaded (once) by `resolve`.
interface Registration {
  info: DatasetTypeInfo;
  /** The plugin that registered it ({@link DatasetRegistry.registerFor}); built-in types have none. */
  owner?: string;
  type?: DatasetType;
  load?: () => Promise<DatasetType>;
}

// `kedro_datasets.pandas.CSVDataset` and `kedro.io.MemoryDataset` resolve like `pandas.CSVDataset`.
const KEDRO_PREFIXES = ["kedro_datasets.", "kedro.io."];

/**
 * The registry of dataset types.
 *
 * @example
 * ```ts
 * const registry = builtinRegistry();
 * registry.register(["upper", "UpperDataset"], (args) => new UpperDataset(args as { filepath: string }), {
 *   schema: z.strictObject({ filepath: z.string() }),
 * });
 * ```
 */
export class DatasetRegistry {
  readonly #types = new Map<string, Registration>();
  #owner: string | undefined;

  /**
   * Calls `register` with this registry, its registrations made for the plugin `owner`: a name kmlf or
   * another plugin registered already is refused (`plugins/duplicate-dataset-type`), since one of them
   * would silently lose every catalog entry of that type (Kedro's types are class paths: two plugins never
   * share one). A plugin may register one name more than once; its last registration wins.
   *
   * @example
   * ```ts
   * registry.registerFor("shout", (r) => r.register(["upper_text"], (args) => new UpperText(args)));
   * ```
   */
  registerFor(owner: string, register: (registry: DatasetRegistry) => void): void {
    const outer = this.#owner;
    this.#owner = owner;
    try {
      register(this);
    } finally {
      this.#owner = outer;
    }
  }

  /**
   * Registers `factory` under every name in `names` (later registrations of a name win).
   *
   * @example
   * ```ts
   * registry.register(["mlflow_artifact", "MlflowArtifactDataset"], (args, ctx) => wrap(args, ctx));
   * ```
   */
  register(names: string[], factory: DatasetFactory, options: RegisterOptions = {}): void {
    const type = datasetType(names, { ...options, factory }, options.typeName);
    this.#add(names, { info: type, type });
  }

  /**
   * Registers a type whose code loads when a catalog first uses it ({@link resolve}): a catalog that
   * uses no Excel file should not load the Excel dataset, its schemas and its npm package.
   *
   * @example
   * ```ts
   * registry.registerLazy(["csv", "CSVDataset"], async () => (await loadTabularTypes()).csvType);
   * ```
   */
  registerLazy(
    names: string[],
    load: () => Promise<DatasetTypeDefinition>,
    options: { typeName?: string } = {},
  ): void {
    const info = { names, typeName: typeNameOf(names, options.typeName) };
    let loaded: Promise<DatasetType> | undefined;
    this.#add(names, {
      info,
      load: () => loaded ??= load().then((definition) => datasetType(names, definition, info.typeName)),
    });
  }

  /** The type registered under `name` (Kedro's `kedro_datasets.` / `kedro.io.` prefixes are optional). */
  lookup(name: string): DatasetTypeInfo | undefined {
    return this.#registration(name)?.info;
  }

  /** The type registered under `name` with its factory and schema, loading them if need be. */
  async resolve(name: string): Promise<DatasetType | undefined> {
    const registration = this.#registration(name);
    return registration?.type ?? await registration?.load?.();
  }

  /** Short names of all types (the first name of each), in registration order. */
  typeNames(): string[] {
    return [...new Set([...this.#types.values()].map((t) => t.info.names[0]))];
  }

  /** Every accepted name (for did-you-mean). */
  allNames(): string[] {
    return [...this.#types.keys()];
  }

  #add(names: string[], registration: Registration): void {
    if (names.length === 0) throw new TypeError("DatasetRegistry.register needs at least one name");
    const owner = this.#owner;
    if (owner !== undefined) {
      for (const name of names) {
        const taken = this.#registration(name);
        if (taken && taken.owner !== owner) throw duplicateType(owner, name, taken);
      }
    }
    const entry = owner === undefined ? registration : { ...registration, owner };
    for (const name of names) this.#types.set(name, entry);
  }

  #registration(name: string): Registration | undefined {
    const direct = this.#types.get(name);
    if (direct) return direct;
    const prefix = KEDRO_PREFIXES.find((p) => name.startsWith(p));
    return prefix ? this.#types.get(name.slice(prefix.length)) : undefined;
  }
}

function duplicateType(owner: string, name: string, taken: Registration): ConfigError {
  const builtin = taken.owner === undefined;
  return new ConfigError(
    "plugins/duplicate-dataset-type",
    `Plugin "${owner}" registers the dataset type "${name}", ${
      builtin
        ? `a name of kmlf's built-in ${taken.info.typeName}`
        : `which plugin "${taken.owner}" registered first`
    }`,
    {
      hint:
        `register the type under a name of its own in plugin "${owner}" (catalog entries name the type they ` +
        `mean by it)${builtin ? "" : ", or list only one of the two plugins in kmlf.yml plugins:"}`,
    },
  );
}

function typeNameOf(names: string[], typeName: string | undefined): string {
  return typeName ?? names.find((n) => n.endsWith("Dataset") && !n.includes(".")) ?? names[0];
}

function datasetType(names: string[], definition: DatasetTypeDefinition, typeName?: string): DatasetType {
  return {
    names,
    typeName: typeNameOf(names, typeName),
    factory: definition.factory,
    schema: definition.schema ?? z.record(z.string(), z.unknown()),
    versionable: definition.versionable ?? false,
    argumentHints: definition.argumentHints ?? {},
    argumentAliases: definition.argumentAliases ?? {},
  };
}
