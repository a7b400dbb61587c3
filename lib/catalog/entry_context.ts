/** What building datasets from catalog entries needs from the catalog (entry.ts, nested_entry.ts). */
import type { KmlfError, SourceLocation } from "../errors.ts";
import type { KeyPath } from "../yaml/parse_yaml.ts";
import type { CredentialsContext } from "./entry_credentials.ts";
import type { DatasetRegistry } from "./registry.ts";
import type { VersionSpec } from "./versioning.ts";

/** Everything needed to build datasets from entries. */
export interface EntryContext extends CredentialsContext {
  projectRoot: string;
  registry: DatasetRegistry;
  /** The position of the key itself at `path` (for "unknown key" errors). */
  locateKey?(path: KeyPath): SourceLocation | undefined;
  /** The versions a versioned dataset of this name uses. */
  versionFor(name: string): VersionSpec;
  /** Where the base env wrote an entry that the run env replaced whole (destructive merge), if it did. */
  replacedBase?(name: string): SourceLocation | undefined;
  /**
   * The key path where a key path was written, for a dataset nested in another's `dataset:` (its
   * `dataset: json` shorthand's `type` is `dataset` itself); the same path for a catalog entry.
   */
  writtenAt?(path: KeyPath): KeyPath;
  /**
   * Where an error a dataset's factory (a project class, a plugin's type) threw without a location is shown,
   * for the entry or nested definition at `at`; omitted: `locate(at)`. `kmlf catalog validate` marks it there:
   * thrown while a factory pattern's stand-ins were built, it may be about a stand-in.
   */
  locateThrown?(at: KeyPath): SourceLocation | undefined;
  /** Keys of a nested dataset's config its wrapper set (a partition's `filepath`), each with where from. */
  givenBy?: Readonly<Record<string, KeyPath>>;
  /**
   * Takes the located notes of an entry (`DatasetFactoryContext.warn`); omitted: dropped. `late`: given after
   * the factory that was handed the context returned (from a dataset's load or save), not while it built.
   */
  warn?(note: KmlfError, options?: { late?: boolean }): void;
}
