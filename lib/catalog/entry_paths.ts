/**
 * A catalog entry's relative paths made absolute against the project root (Kedro's
 * `_convert_paths_to_absolute_posix`), changing nothing else: a mapping with no path to change is the same
 * object, and one that changes is copied with what the file said that a plain object loses (the order of
 * integer-like keys, `1.0` floats: see source_keys.ts).
 *
 * @module
 */
import { isAbsolute, resolve } from "../path.ts";
import { DatasetError, type SourceLocation } from "../errors.ts";
import type { KeyPath } from "../yaml/parse_yaml.ts";
import { copySourceKeys } from "../source_keys.ts";
import { isRecord } from "../is_record.ts";
import { urlScheme } from "./local_path.ts";
import { foreignCatalogPath } from "./foreign_path.ts";

const PATH_KEYS = new Set(["filepath", "path", "filename"]);
const NONE: ReadonlySet<string> = new Set();

/** Where an entry's values are, for errors located in the catalog file. */
export interface EntryWhere {
  at: KeyPath;
  locate: (path: KeyPath) => SourceLocation | undefined;
}

/**
 * Makes every relative `filepath`/`path`/`filename` string (at any mapping depth, as Kedro does) absolute
 * against `root` (an empty one is left empty, for the type's schema to refuse), and `file://` URLs paths;
 * other URLs and absolute paths are kept (kmlf's own datasets refuse URLs: see local_path.ts). A path written
 * for another machine (`C:\x`, `\\server\share`, `~/x`: see foreign_path.ts) is `catalog/foreign-path`,
 * located at its value. As in Kedro, which converts the catalog before credentials are substituted, an
 * inline `credentials:` mapping's paths are made absolute too: call this before resolving credentials names,
 * so credentials.yml's blocks stay as written. The entry's `payload` keys (MemoryDataset's `data`: the
 * user's data, not configuration) are kept as written.
 *
 * @example
 * ```ts
 * absolutePaths({ filepath: "data/x.csv" }, "/p"); // { filepath: "/p/data/x.csv" }
 * ```
 */
export function absolutePaths(
  config: Record<string, unknown>,
  root: string,
  where?: EntryWhere,
  payload: ReadonlySet<string> = NONE,
): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(config)) {
    if (payload.has(key)) continue;
    const inner = where && { at: [...where.at, key], locate: where.locate };
    let next = value;
    if (PATH_KEYS.has(key) && typeof value === "string") {
      const scheme = urlScheme(value)?.toLowerCase();
      if (scheme === "file") next = kedroFileUrlPath(value, key, inner);
      // (An empty path stays empty: the types' schemas refuse it, where the project root would pass.)
      else if (value !== "" && scheme === undefined) {
        checkLocal(value, value, key, inner);
        if (!isAbsolute(value)) next = resolve(root, value);
      }
    } else if (isRecord(value)) next = absolutePaths(value, root, inner);
    if (next !== value) out = withValue(out ?? copyOf(config), key, next);
  }
  return out ?? config;
}

/**
 * A shallow copy of a mapping read from a file that keeps what the file said (key order, `1.0` floats, key
 * values); a key named `__proto__` stays data.
 *
 * @example
 * ```ts
 * const copy = withValue(copyOf(entry), "filepath", "/p/x.csv");
 * ```
 */
export function copyOf(config: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) withValue(copy, key, value);
  copySourceKeys(config, copy);
  return copy;
}

/**
 * Sets `key` of `record` to `value` as data (a `__proto__` key too), and returns `record`.
 *
 * @example
 * ```ts
 * withValue({}, "__proto__", { a: 1 }); // an own key, not a prototype
 * ```
 */
export function withValue(
  record: Record<string, unknown>,
  key: string,
  value: unknown,
): Record<string, unknown> {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  return record;
}

/**
 * The path of a `file://` filepath as Kedro reads it (`_parse_filepath`, then fsspec): as written after
 * `file://` — `%20`, `#` and `?` are letters of the name, not escapes, a fragment or a query, so
 * `file:///data/a b#1.csv` is that file, never `/data/a b`. One naming a host (`file://data/x.csv`, which
 * Kedro would read as `/x.csv`) is refused.
 */
function kedroFileUrlPath(url: string, key: string, where?: EntryWhere): string {
  const local = /^file:\/\/(?:localhost)?(\/.*)$/is.exec(url);
  const rest = url.slice("file://".length);
  // `file:///C:/x` (and `file://C:/x`, whose "host" is the drive) names a Windows file.
  checkLocal(local?.[1] ?? rest, url, key, where);
  if (local) return local[1];
  throw new DatasetError(
    "catalog/bad-file-url",
    `Cannot use ${key} "${url}": after file:// comes a machine's name, so "${
      rest.split("/")[0]
    }" would be taken for one`,
    {
      source: where?.locate(where.at),
      hint: `write a path relative to the project (${rest}) or file:///<absolute path> (three slashes)`,
    },
  );
}

// Refuses a path written for another machine (see foreign_path.ts), located at its key's value.
function checkLocal(path: string, written: string, key: string, where?: EntryWhere): void {
  const foreign = foreignCatalogPath(path);
  if (!foreign) return;
  throw new DatasetError("catalog/foreign-path", `Cannot use ${key} "${written}": ${foreign.problem}`, {
    source: where?.locate(where.at),
    hint: foreign.hint,
  });
}
