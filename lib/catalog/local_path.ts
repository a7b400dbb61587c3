/**
 * kmlf's datasets read and write local files. A Kedro catalog copied as is may name remote ones
 * (`s3://bucket/x.csv`, `gcs://…`, `abfs://…`, fsspec's URLs): taken as relative paths they would be read
 * from, or written to, a folder named `s3:` wherever kmlf was started. They are refused instead.
 */
import { DatasetError } from "../errors.ts";

const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * The URL scheme a path starts with (`"s3"` for `s3://b/x.csv`), or undefined for a plain path.
 *
 * @example
 * ```ts
 * urlScheme("s3://bucket/x.csv"); // "s3"
 * urlScheme("data/x.csv"); // undefined
 * ```
 */
export function urlScheme(path: string): string | undefined {
  return URL_SCHEME.exec(path)?.[1];
}

/**
 * Returns `path` when it names a local file; throws `catalog/remote-filepath` for a URL (the catalog has
 * already turned `file://` URLs into paths). `key` is the argument that holds it (`filepath`, `path`): the
 * error's `source` is `{keyPath: key}`, which the catalog shows at that key of the entry that gave it (a
 * dataset's, a partitioned `dataset:`'s, an incremental `checkpoint:`'s), in its file.
 *
 * @example
 * ```ts
 * localFilePath("/p/data/x.csv", "filepath"); // "/p/data/x.csv"
 * localFilePath("s3://bucket/x.csv", "filepath"); // throws DatasetError catalog/remote-filepath
 * ```
 */
export function localFilePath(path: string, key: string): string {
  const scheme = urlScheme(path);
  if (scheme === undefined || scheme.toLowerCase() === "file") return path;
  throw new DatasetError(
    "catalog/remote-filepath",
    `Cannot use ${key} "${path}": kmlf's datasets read and write local files, not ${scheme}:// URLs`,
    {
      source: { keyPath: key },
      hint:
        `copy the data to a local path (e.g. data/01_raw/…) and set ${key} to it, mount the storage as a ` +
        "folder, or load it in a dataset class of your own (type: ./datasets/my_dataset.ts#MyDataset)",
    },
  );
}
