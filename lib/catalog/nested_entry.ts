/**
 * A dataset nested in another's `dataset:` (partitioned, incremental, MlflowArtifactDataset): its key paths
 * located and named as the catalog file wrote them, and the keys its wrapper set named by where they come from.
 */
import type { KeyPath } from "../yaml/parse_yaml.ts";
import type { EntryContext } from "./entry_context.ts";
import type { NestedDatasetOptions } from "./dataset_factory.ts";

/**
 * The context of a dataset defined at `innerAt` inside the entry at `at` (a wrapper's `dataset:`): its key
 * paths are located and named as written, a key the wrapper set (`givenBy`) as the wrapper's key it comes
 * from. Those lie outside `innerAt` (or are `innerAt` itself), so mapping twice changes nothing.
 *
 * @example
 * ```ts
 * // A partition's `filepath` (set from the entry's `path`) is located and named as `parts.path`.
 * const inner = nestedContext(ctx, ["parts"], ["parts", "dataset"], (p) => p, { filepath: ["path"] });
 * ```
 */
export function nestedContext(
  ctx: EntryContext,
  at: KeyPath,
  innerAt: KeyPath,
  written: (keyPath: KeyPath) => KeyPath,
  givenBy: NonNullable<NestedDatasetOptions["givenBy"]>,
): EntryContext {
  const shown = (path: KeyPath): KeyPath => ctx.writtenAt?.(path) ?? path;
  const mapped = (path: KeyPath): KeyPath => {
    if (path.length <= innerAt.length || innerAt.some((k, i) => path[i] !== k)) return path;
    const key = String(path[innerAt.length]);
    if (!Object.hasOwn(givenBy, key)) return path;
    return [...at, ...written(givenBy[key]), ...path.slice(innerAt.length + 1)];
  };
  return {
    ...ctx,
    locate: (path) => ctx.locate(mapped(path)),
    locateKey: (path) => ctx.locateKey?.(mapped(path)) ?? ctx.locate(mapped(path)),
    writtenAt: (path) => shown(mapped(path)),
    givenBy: Object.fromEntries(
      Object.entries(givenBy).map(([key, from]) => [key, shown([...at, ...written(from)])]),
    ),
  };
}

/**
 * The hint for an unknown key of a nested dataset that its wrapper set (a partition's filepath) and its type
 * does not take: the user never wrote it, so it says where the key comes from and what to use instead.
 * Undefined for any other key.
 *
 * @example
 * ```ts
 * givenKeyHint(["parts", "dataset", "filepath"], ["parts", "dataset"], "memory", { filepath: ["parts", "path"] });
 * ```
 */
export function givenKeyHint(
  keyPath: KeyPath,
  top: KeyPath,
  type: string,
  givenBy: EntryContext["givenBy"] = {},
): string | undefined {
  const key = String(keyPath.at(-1));
  if (keyPath.length !== top.length + 1 || top.some((k, i) => keyPath[i] !== k)) return undefined;
  if (!Object.hasOwn(givenBy, key)) return undefined;
  return `the dataset around it sets ${key} (from ${givenBy[key].join(".")}), which ${type} does not take: ` +
    `use a type that takes ${key} (a file dataset such as json, csv or parquet)`;
}
