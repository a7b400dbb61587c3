/** What `Catalog.fromConfig` takes (the merged config and its options) and what it reports back. */
import type { KmlfError, SourceLocation } from "../errors.ts";
import type { DatasetRegistry } from "./registry.ts";

/** A merged catalog (or credentials) config with source positions. */
export interface CatalogConfig {
  data: Record<string, unknown>;
  locate(path: readonly (string | number)[]): SourceLocation | undefined;
  /** The position of the key itself at `path` (for "unknown key" errors); falls back to `locate`. */
  locateKey?(path: readonly (string | number)[]): SourceLocation | undefined;
  /** Where the base env wrote an entry that the run env replaced whole (destructive merge), if it did. */
  replacedBase?(name: string): SourceLocation | undefined;
  /** The files the config came from (base env first), as hints show them: hints name one of them. */
  files?: readonly string[];
}

/** Options of {@link Catalog.fromConfig}. */
export interface CatalogOptions {
  /** Relative `filepath`/`path`/`filename` values and custom dataset modules resolve against it. */
  projectRoot: string;
  credentials?: CatalogConfig;
  /** Pinned load versions of versioned datasets, by name. */
  loadVersions?: Record<string, string>;
  /** The save version of every versioned dataset (the run id); a new timestamp when omitted. */
  saveVersion?: string;
  registry?: DatasetRegistry;
  /**
   * The names the caller will use (a run: its pipeline's datasets and `--load-versions` names). Only
   * their entries (and the patterns they match) must be valid; any other broken entry is kept out of the
   * catalog and reported in {@link Catalog.warnings}, like Kedro's lazy catalog. Omitted: every entry
   * must be valid.
   */
  used?: Iterable<string>;
  /**
   * Also build each factory pattern once, with a stand-in for every placeholder, so that what fails for
   * every name it matches (an unknown key, a wrong kind of value, a bad nested `dataset:`) is reported at the
   * pattern (`kmlf catalog validate`). Without it a pattern's arguments are checked when a name it matches
   * is first built, as in Kedro.
   */
  checkPatterns?: boolean;
}

/**
 * A catalog entry left out because it is broken and none of the used names needs it, or one a run uses in a
 * way it should know about, or one built where Kedro warns (its `note` says why).
 */
export interface CatalogWarning {
  /** The entry's key (a dataset name or a factory pattern). */
  name: string;
  /** Its problems, as the errors a strict build would have thrown. */
  problems: readonly KmlfError[];
  /** Why the run goes on anyway, when not because the entry is unused (a pinned output, a Kedro warning). */
  note?: string;
}
