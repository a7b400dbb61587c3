/**
 * What a dataset type's factory is given besides its arguments ({@link DatasetFactoryContext}): where the
 * entry is, its version and metadata, how to report a note and how to build a nested dataset. Types only:
 * the registry (registry.ts) keeps the factories; the catalog's entry building (entry.ts) fills the context.
 *
 * @module
 */
import type { SourceLocation } from "../errors.ts";
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
