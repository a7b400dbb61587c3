/**
 * Dataset types by name. Built-ins register here; the MLflow layer adds its own types the same way.
 * Each type may carry a strict zod schema of its catalog arguments, so typos are caught before a run. What a
 * factory is given is in dataset_factory.ts.
 */
import type { z } from "../zod/mod.ts";
import { LaterSchema, laterSchema } from "../zod/on_demand.ts";
import { ConfigError } from "../errors.ts";
import type { DatasetFactory } from "./dataset_factory.ts";

/** Options of {@link DatasetRegistry.register}. */
export interface RegisterOptions {
  /** Strict zod 4 schema of the arguments (default: any mapping); another kind throws `catalog/bad-schema`. */
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

/**
 * A type's argument schema as kmlf's own types may give it: a zod schema, or a {@link LaterSchema} (built,
 * with zod loaded, only when an entry's arguments are not in the validation cache). Not in the public API:
 * {@link DatasetRegistry.resolve} gives a type's schema as a zod schema.
 */
export type ArgumentSchema = z.core.$ZodType | LaterSchema;

/** A built-in type's definition ({@link registerBuiltin}): its schema may be a {@link LaterSchema}. */
export interface BuiltinTypeDefinition extends Omit<DatasetTypeDefinition, "schema"> {
  /** Strict schema of the arguments (default: any mapping). */
  schema?: ArgumentSchema;
}

/** A registered type as the catalog uses it ({@link resolveArguments}): its schema maybe not built yet. */
export interface ResolvedType extends Omit<DatasetType, "schema"> {
  /** The schema the arguments are validated with. */
  argumentSchema: ArgumentSchema;
}

// A registration: built, or loaded (once) by `resolve`.
interface Registration {
  info: DatasetTypeInfo;
  /** The plugin that registered it ({@link DatasetRegistry.registerFor}); built-in types have none. */
  owner?: string;
  type?: ResolvedType;
  load?: () => Promise<ResolvedType>;
}

// Any mapping: the arguments of a type registered without a schema.
const ANY_MAPPING = laterSchema(undefined, (z) => z.record(z.string(), z.unknown()));
// The public form of each resolved type, its schema built (`resolve` gives the same object every time).
const PUBLIC_TYPES = new WeakMap<ResolvedType, DatasetType>();

// Set by DatasetRegistry's static block (declared first: it runs when the class is defined).
let registerBuiltinOf: (
  registry: DatasetRegistry,
  names: string[],
  definition: BuiltinTypeDefinition,
) => void;
let registerBuiltinLazyOf: (
  registry: DatasetRegistry,
  names: string[],
  load: () => Promise<BuiltinTypeDefinition>,
) => void;
let resolveArgumentsOf: (registry: DatasetRegistry, name: string) => Promise<ResolvedType | undefined>;

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
    this.#register(names, { ...options, factory }, options.typeName);
  }

  #register(names: string[], definition: BuiltinTypeDefinition, typeName?: string): void {
    const type = datasetType(names, definition, typeName);
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
    this.#registerLazy(names, load, options);
  }

  #registerLazy(
    names: string[],
    load: () => Promise<BuiltinTypeDefinition>,
    options: { typeName?: string } = {},
  ): void {
    const info = { names, typeName: typeNameOf(names, options.typeName) };
    let loaded: Promise<ResolvedType> | undefined;
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
    const type = await this.#resolve(name);
    if (!type) return undefined;
    const known = PUBLIC_TYPES.get(type);
    if (known) return known;
    const { argumentSchema, ...rest } = type;
    const schema = argumentSchema instanceof LaterSchema ? await argumentSchema.schema() : argumentSchema;
    const built = PUBLIC_TYPES.get(type) ?? { ...rest, schema };
    PUBLIC_TYPES.set(type, built);
    return built;
  }

  async #resolve(name: string): Promise<ResolvedType | undefined> {
    const registration = this.#registration(name);
    return registration?.type ?? await registration?.load?.();
  }

  static {
    // kmlf's own access to what `register`/`resolve` keep from plugins: schemas built on first need.
    registerBuiltinOf = (registry, names, definition) => registry.#register(names, definition);
    registerBuiltinLazyOf = (registry, names, load) => registry.#registerLazy(names, load);
    resolveArgumentsOf = (registry, name) => registry.#resolve(name);
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

/**
 * {@link DatasetRegistry.register} for kmlf's own types, whose schema may be a {@link LaterSchema}.
 *
 * @example
 * ```ts
 * registerBuiltin(registry, ["csv", "CSVDataset"], csvType);
 * ```
 */
export function registerBuiltin(
  registry: DatasetRegistry,
  names: string[],
  definition: BuiltinTypeDefinition,
): void {
  registerBuiltinOf(registry, names, definition);
}

/**
 * {@link DatasetRegistry.registerLazy} for kmlf's own types, whose schema may be a {@link LaterSchema}.
 *
 * @example
 * ```ts
 * registerBuiltinLazy(registry, ["text", "TextDataset"], async () => fileType((await textModule()).TextDataset));
 * ```
 */
export function registerBuiltinLazy(
  registry: DatasetRegistry,
  names: string[],
  load: () => Promise<BuiltinTypeDefinition>,
): void {
  registerBuiltinLazyOf(registry, names, load);
}

/**
 * The type registered under `name` as the catalog validates an entry with it: its schema is not built (nor
 * zod loaded) until an entry's arguments are not in the validation cache.
 *
 * @example
 * ```ts
 * const type = await resolveArguments(registry, "csv"); // type.argumentSchema: a LaterSchema
 * ```
 */
export function resolveArguments(registry: DatasetRegistry, name: string): Promise<ResolvedType | undefined> {
  return resolveArgumentsOf(registry, name);
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

function datasetType(names: string[], definition: BuiltinTypeDefinition, typeName?: string): ResolvedType {
  const name = typeNameOf(names, typeName);
  return {
    names,
    typeName: name,
    factory: definition.factory,
    argumentSchema: definition.schema === undefined ? ANY_MAPPING : usableSchema(definition.schema, name),
    versionable: definition.versionable ?? false,
    argumentHints: definition.argumentHints ?? {},
    argumentAliases: definition.argumentAliases ?? {},
  };
}

// A plugin's schema is parsed by kmlf's zod 4: a zod 3 schema (zod@3, "zod/v3") or another library's would
// fail every entry of the type with a TypeError from inside zod, blamed on the entry's arguments.
function usableSchema(schema: ArgumentSchema, typeName: string): ArgumentSchema {
  const zod = (schema as { _zod?: { run?: unknown } } | null)?._zod;
  if (schema instanceof LaterSchema || typeof zod?.run === "function") return schema;
  throw new ConfigError(
    "catalog/bad-schema",
    `The dataset type "${typeName}" is registered with a schema that is not a zod 4 schema`,
    {
      hint: 'build it with zod 4 (`import { z } from "zod"`, with "zod": "npm:zod@^4" in deno.json; zod 3 ' +
        'schemas, from zod@3 or "zod/v3", are not supported), or register the type without a schema',
    },
  );
}
