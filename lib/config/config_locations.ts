/**
 * Where a merged config's value was written: the file and line of each env's YAML that holds it (Kedro's
 * destructive or soft merge decides which env's), or `--params` when the run set it.
 *
 * @module
 */
import type { SourceLocation } from "../errors.ts";
import { formatKeyPath, type KeyPath, type YamlSource } from "../yaml/parse_yaml.ts";
import { childOf, isRecord, matchedDepth, MISSING } from "./merge.ts";

/** One env's side of a merged config: its files and their merged data. */
export interface LocatedEnv {
  sources: readonly YamlSource[];
  data: Record<string, unknown>;
}

/**
 * A `locate` (or, with `key`, a `locateKey`) for a config merged from `perEnv` (base first).
 *
 * @example
 * ```ts
 * const locate = makeLocate([{ sources, data }], false, undefined, false);
 * locate(["iris", "filepath"]); // { file: "/p/conf/base/catalog.yml", line: 3, column: 13, keyPath: "iris.filepath" }
 * ```
 */
export function makeLocate(
  perEnv: readonly LocatedEnv[],
  soft: boolean,
  runtime: Record<string, unknown> | undefined,
  key: boolean,
): (path: KeyPath) => SourceLocation | undefined {
  const [base, overlay] = perEnv;
  return (path) => {
    if (path.length === 0) {
      const last = [...perEnv].reverse().find((e) => e.sources.length > 0);
      return last?.sources.at(-1)?.locate([]);
    }
    if (runtime && setByRuntime(runtime, path)) return { keyPath: formatKeyPath(path) };
    // Destructive: the env's top-level key replaced base's whole subtree. Soft: the deepest match wins.
    const envs = soft || !overlay
      ? perEnv
      : Object.hasOwn(overlay.data, String(path[0]))
      ? [overlay]
      : [base];
    return locateIn(envs.flatMap((e) => e.sources), path, key) ?? locateRuntime(runtime, path);
  };
}

// The file (the last, on ties) holding the longest prefix of `path`; its position is that prefix's.
export function locateIn(
  sources: readonly YamlSource[],
  path: KeyPath,
  key = false,
): SourceLocation | undefined {
  let best: YamlSource | undefined;
  let bestDepth = 0;
  for (const source of sources) {
    const depth = matchedDepth(source.value, path);
    if (depth > 0 && depth >= bestDepth) [best, bestDepth] = [source, depth];
  }
  if (!best) return undefined;
  const normalized = numericIndexes(best.value, path);
  const found = key && bestDepth === path.length
    ? best.locateKey(normalized)
    : best.locate(normalized.slice(0, bestDepth));
  return { ...found, keyPath: formatKeyPath(path) };
}

// A path whose value (or a scalar above it) was set by --params, rather than by a file.
function setByRuntime(runtime: Record<string, unknown>, path: KeyPath): boolean {
  let node: unknown = runtime;
  for (const seg of path) {
    node = childOf(node, seg);
    if (node === MISSING) return false;
    if (!isRecord(node)) return true;
  }
  return false;
}

export function locateRuntime(
  runtime: Record<string, unknown> | undefined,
  path: KeyPath,
): SourceLocation | undefined {
  return runtime && path.length > 0 && matchedDepth(runtime, path) === path.length
    ? { keyPath: formatKeyPath(path) }
    : undefined;
}

// YAML positions index sequences by number; callers may pass "0".
function numericIndexes(value: unknown, path: KeyPath): KeyPath {
  let node = value;
  return path.map((seg) => {
    const out = Array.isArray(node) && /^\d+$/.test(String(seg)) ? Number(seg) : seg;
    node = node === MISSING ? MISSING : childOf(node, out);
    return out;
  });
}
