/** Checks on the files of one config type in one env folder, before they are merged. */
import { passRuntimeParam, RUNTIME_PARAMS_OPTION } from "../runtime_params_hint.ts";
import { ConfigError, type KmlfError, throwIfAny } from "../errors.ts";
import { formatKeyPath, type YamlSource } from "../yaml/parse_yaml.ts";
import { isRecord, leafPaths } from "./merge.ts";

/**
 * Every file must hold a mapping (an empty file counts as `{}`).
 *
 * @example
 * ```ts
 * checkMappings([await readYamlFile("conf/base/catalog.yml")]);
 * ```
 */
export function checkMappings(sources: readonly YamlSource[]): void {
  throwIfAny(
    sources.filter((s) => s.value !== null && !isRecord(s.value)).map((s) =>
      new ConfigError("config/not-a-mapping", `${s.file} must contain a mapping of keys to values`, {
        source: s.locate([]),
        hint: "write `key: value` entries at the top level (an empty file or {} is fine)",
      })
    ),
  );
}

interface Owner {
  source: YamlSource;
  path: string[];
}

/**
 * Within one env, a key may come from one file only (Kedro's rule): parameters are compared on full
 * leaf paths (so files may share `model:` if their leaves differ; a leaf in one file that is a mapping
 * in another clashes too), other types on top-level keys. Keys starting with `_` are exempt.
 * All clashes are reported together, one error per pair of files.
 *
 * @example
 * ```ts
 * checkDuplicates(sources, "parameters"); // throws config/duplicate-key naming both files
 * ```
 */
export function checkDuplicates(sources: readonly YamlSource[], type: string): void {
  const leaves = new Map<string, Owner>();
  const inner = new Map<string, Owner>(); // proper prefixes of leaves, for leaf-vs-mapping clashes
  const clashes = new Map<string, { first: Owner; second: Owner }[]>();
  const clash = (first: Owner, second: Owner) => {
    const pair = JSON.stringify([first.source.file, second.source.file]);
    clashes.set(pair, [...clashes.get(pair) ?? [], { first, second }]);
  };
  for (const source of sources) {
    const value = (source.value ?? {}) as Record<string, unknown>;
    const paths = type === "parameters" ? leafPaths(value) : Object.keys(value).map((k) => [k]);
    const mine: Owner[] = [];
    for (const path of paths) {
      if (path[0].startsWith("_")) continue;
      const id = JSON.stringify(path);
      const owner = { source, path };
      const other = leaves.get(id) ?? inner.get(id) ??
        path.slice(0, -1).map((_, i) => leaves.get(JSON.stringify(path.slice(0, i + 1)))).find(Boolean);
      if (other && other.source !== source) {
        const shorter = other.path.length <= path.length ? other.path : path;
        clash(other, { source, path: shorter });
      } else mine.push(owner);
    }
    for (const owner of mine) {
      leaves.set(JSON.stringify(owner.path), owner);
      for (let i = 1; i < owner.path.length; i++) {
        const id = JSON.stringify(owner.path.slice(0, i));
        if (!inner.has(id)) inner.set(id, owner);
      }
    }
  }
  const errors: KmlfError[] = [];
  for (const list of clashes.values()) {
    const [{ first, second }] = list;
    const names = list.map((c) => formatKeyPath(c.second.path));
    const shown = names.length > 10 ? [...names.slice(0, 10), `… (${names.length - 10} more)`] : names;
    const at = first.source.locateKey(second.path);
    errors.push(
      new ConfigError(
        "config/duplicate-key",
        `${names.length === 1 ? "Key" : "Keys"} ${shown.map((n) => `"${n}"`).join(", ")} ${
          names.length === 1 ? "is" : "are"
        } defined in both ${first.source.file} and ${second.source.file}`,
        {
          source: second.source.locateKey(second.path),
          hint: `keep ${
            names.length === 1 ? "it" : "each"
          } in one file of this environment (first defined at ${first.source.file}:${at.line ?? "?"}:${
            at.column ?? "?"
          })`,
        },
      ),
    );
  }
  throwIfAny(errors, "Found keys defined in more than one file");
}

/**
 * A `--params` key below a list (`features.0=x`) would replace the list with a mapping; say so instead, at
 * the list's place in the parameter files (Kedro's OmegaConf refuses to merge a mapping into a list too).
 * `flag` is how the caller gave them (`--params`, or a script's `runtimeParams`), for the message.
 *
 * @example
 * ```ts
 * checkRuntimeParamsOverLists({ features: ["a"] }, { features: { 0: "x" } }, sources); // throws
 * ```
 */
export function checkRuntimeParamsOverLists(
  params: Record<string, unknown>,
  runtime: Record<string, unknown>,
  sources: readonly YamlSource[],
  flag = "--params",
  path: string[] = [],
): void {
  for (const [key, value] of Object.entries(runtime)) {
    if (!isRecord(value) || !Object.hasOwn(params, key)) continue;
    const here = [...path, key];
    const current = params[key];
    if (Array.isArray(current)) {
      const keys = Object.keys(value).map((k) => `${formatKeyPath(here)}.${k}`).join(", ");
      throw new ConfigError(
        "config/params-into-list",
        `${flag} sets ${keys}, but parameter ${formatKeyPath(here)} is a list`,
        {
          source: sources.map((s) => s.locate(here)).find((l) => l !== undefined),
          hint: flag === RUNTIME_PARAMS_OPTION
            ? `give the whole list instead: ${passRuntimeParam(formatKeyPath(here), flag, "[...]")}, ` +
              "or change it in parameters.yml"
            : `give the whole list instead: ${flag} "${formatKeyPath(here)}=[...]" (one element, as items ` +
              "split on commas), or change it in parameters.yml",
        },
      );
    }
    if (isRecord(current)) checkRuntimeParamsOverLists(current, value, sources, flag, here);
  }
}
