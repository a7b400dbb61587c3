/**
 * Which files of a partitioned folder are partitions, and which ids a save may use, as Kedro's
 * PartitionedDataset lists them (fsspec's `find()`): plain partitions are `<id><suffix>` files, versioned
 * ones (kedro-datasets 2+) `<id><suffix>/<version>/<id><suffix>`.
 */
import { join } from "../../path.ts";
import { DatasetError } from "../../errors.ts";
import { pathExists } from "../atomic.ts";
import { compareCodePoints } from "../../code_points.ts";

/** How a folder's partitions are laid out. */
export interface PartitionLayout {
  /** Only files ending with it are partitions; the id drops it. */
  suffix: string;
  /** How many folder levels are listed (Kedro's `load_args.maxdepth`); undefined: all. */
  maxDepth?: number;
  /** Each partition is a versioned dataset: a folder `<id><suffix>` of `<version>/<id><suffix>` files. */
  versioned?: boolean;
  /** A file in the folder that is never a partition (an incremental dataset's checkpoint). */
  notPartition?: string;
  /**
   * Versioned partitions in the order of their folders (Kedro's IncrementalDataset sorts them), not of
   * their files (PartitionedDataset keeps fsspec's order of the files: `a-b/…` before `a/…`).
   */
  sortFolders?: boolean;
}

/**
 * The ids of the partitions in `folder`, in the order Kedro lists them: their paths (id and suffix) in
 * Python's string order. Hidden files and folders are skipped (temp files of in-flight atomic writes).
 *
 * @example
 * ```ts
 * await listPartitionIds("/p/data/parts", { suffix: ".csv" }); // ["2024-01", "2024", "eu/2024-01"]
 * ```
 */
export async function listPartitionIds(folder: string, layout: PartitionLayout): Promise<string[]> {
  const { suffix, maxDepth } = layout;
  const files: string[] = []; // paths relative to the folder, "/"-separated
  const walk = async (dir: string, prefix: string, depth: number) => {
    for (const e of Deno.readDirSync(dir)) {
      if (e.name.startsWith(".")) continue;
      const path = join(dir, e.name);
      if (e.isDirectory) {
        if (maxDepth === undefined || depth < maxDepth) await walk(path, `${prefix}${e.name}/`, depth + 1);
      } else if (e.name.endsWith(suffix) && e.name.length > suffix.length && path !== layout.notPartition) {
        files.push(prefix + e.name);
      }
    }
  };
  if (pathExists(folder)) await walk(folder, "", 1);
  // fsspec's find() sorts the paths, so with a suffix "2024-01" comes before "2024" ("-" < "."), and the
  // last one is the checkpoint an incremental confirm() writes. Python's order: UTF-16's differs past U+FFFF.
  files.sort(compareCodePoints);
  // A versioned partition is listed where its first file is (Kedro maps find()'s files to their folders).
  const paths = layout.versioned
    ? [...new Set(files.map((file) => versionedPartition(folder, file)))]
    : files;
  if (layout.versioned && layout.sortFolders) paths.sort(compareCodePoints);
  return paths.map((path) => suffix ? path.slice(0, -suffix.length) : path);
}

// `a.json/<version>/a.json` → `a.json`, as Kedro's `_grandparent` does, refusing a file of another shape.
function versionedPartition(folder: string, file: string): string {
  const parts = file.split("/");
  if (parts.length >= 3 && parts[parts.length - 3] === parts[parts.length - 1]) {
    return parts.slice(0, -2).join("/");
  }
  throw new DatasetError(
    "dataset/not-versioned-partition",
    `${join(folder, file)} is not a file of a versioned partition, which is ` +
      `<id><suffix>/<version>/<id><suffix> (got ${parts.slice(-3).join("/")})`,
    {
      hint: "the partitions' dataset is versioned: true, so every file listed must be a version of one; " +
        "move the file out of the folder (a folder saved before versioned: true holds plain files: save it " +
        "again into a new folder)",
    },
  );
}

/**
 * Throws `dataset/bad-partition-id` unless a load would list every id back as saved: relative paths, not
 * hidden, within maxdepth, and (unversioned) none a file where another needs a folder (`a`, `a/b`).
 *
 * @example
 * ```ts
 * assertPartitionIds(["2024-01", "eu/2024-01"], { suffix: ".csv" }); // ok
 * assertPartitionIds(["../x"], { suffix: "" }); // throws
 * ```
 */
export function assertPartitionIds(ids: string[], layout: PartitionLayout): void {
  const { suffix, maxDepth } = layout;
  const folders = new Map<string, string>();
  for (const id of ids) {
    const parts = id.split(/[\\/]/);
    if (id === "" || id.startsWith("/") || parts.some((p) => p === ".." || p === "." || p === "")) {
      throw new DatasetError("dataset/bad-partition-id", `Partition id "${id}" is not a relative path`, {
        hint: "use ids like 2024-01 or region/2024-01",
      });
    }
    if (parts.some((p) => p.startsWith("."))) {
      // A load lists no hidden entries (temp files of saves in flight, .ipynb_checkpoints): it would be lost.
      throw new DatasetError("dataset/bad-partition-id", `Partition id "${id}" names a hidden file`, {
        hint: "a load skips files and folders whose name starts with a dot: drop the leading dot",
      });
    }
    // A versioned partition's files are two levels below its id: <id>/<version>/<name>.
    const depth = parts.length + (layout.versioned ? 2 : 0);
    if (maxDepth !== undefined && depth > maxDepth) {
      throw new DatasetError(
        "dataset/bad-partition-id",
        `Partition id "${id}" puts its file${
          layout.versioned ? "s" : ""
        } ${depth} levels deep, deeper than ` +
          `load_args.maxdepth (${maxDepth})`,
        { hint: "a load would not list it: use an id with fewer / or raise load_args.maxdepth" },
      );
    }
    for (let i = 1; i < parts.length; i++) folders.set(parts.slice(0, i).join("/"), id);
  }
  if (layout.versioned) return; // every partition is a folder: "a" and "a/b" can both be one
  for (const id of ids) {
    const file = id.split(/[\\/]/).join("/") + suffix;
    const inside = folders.get(file);
    if (inside === undefined) continue;
    throw new DatasetError(
      "dataset/bad-partition-id",
      `Partition ids "${id}" and "${inside}" clash: ${file} would be both a file and the folder of "${inside}"`,
      { hint: "rename one of them, or set a filename_suffix (a.json and a/b.json can both exist)" },
    );
  }
}
