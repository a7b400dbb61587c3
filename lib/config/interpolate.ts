/**
 * `${…}` interpolation, resolved per environment folder like Kedro's OmegaConf loader:
 * `${a.b}` / `${a.list[0]}` / `${.sibling}` (same config type), `${globals:key, default}`,
 * `${runtime_params:key, default}`, `${env:VAR, default}` (credentials only), OmegaConf's own resolvers
 * (`oc.env`, `oc.select`, `oc.dict.keys`, `oc.dict.values`, `oc.decode`, `oc.create`), plus resolvers
 * registered by plugins (`${km.random_name:}`). Every node is resolved once, so a resolver's
 * value is the same wherever it is referenced.
 */
import { parseElement } from "./_element.ts";
import { ConfigError, didYouMean, type SourceLocation } from "../errors.ts";
import { formatKeyPath, type KeyPath } from "../yaml/parse_yaml.ts";
import { childOf, clonePlain, isRecord, MISSING, setOwn } from "./merge.ts";
import { referencePath, scanInterpolations, splitArgs } from "./_syntax.ts";
import { recordIntegralFloats, recordMergedKeys, sourceFloats } from "../source_keys.ts";
import { heldAt, plainOf, settleFloats, textOf } from "./_held_float.ts";
import { passRuntimeParam, RUNTIME_PARAMS_OPTION } from "../runtime_params_hint.ts";
import { OMEGACONF_RESOLVERS, omegaConfResolver } from "./omegaconf_resolvers.ts";

/**
 * A custom resolver for `${name:arg1, arg2}`: receives its already-resolved arguments
 * (parsed as YAML scalars).
 *
 * @example
 * ```ts
 * const add: Resolver = (args) => (args as number[]).reduce((a, b) => a + b, 0); // ${add:1, 2} → 3
 * ```
 */
export type Resolver = (args: unknown[]) => unknown;

/**
 * What interpolation can see while resolving one config type of one env folder.
 *
 * @example
 * ```ts
 * const ctx: InterpolationContext = { configType: "catalog", root, globals: {}, runtimeParams: {},
 *   allowEnv: false, allowRuntimeParams: true, resolvers: {}, locate: (path) => source.locate(path) };
 * ```
 */
export interface InterpolationContext {
  configType: string;
  root: Record<string, unknown>;
  globals: Record<string, unknown>;
  runtimeParams: Record<string, unknown>;
  /** `${env:…}` is allowed only in credentials. */
  allowEnv: boolean;
  /** `${runtime_params:…}` is refused inside globals. */
  allowRuntimeParams: boolean;
  /**
   * For hints: the flag that sets runtime params in this command (default `--params`), or `null` when the
   * command takes none (`kmlf experiments`, `kmlf mlflow ui`: only a default helps there, as in Kedro).
   */
  runtimeParamsFlag?: string | null;
  resolvers: Record<string, Resolver>;
  /** Reads an environment variable for `${env:…}` (defaults to `Deno.env.get`). */
  getEnv?: (name: string) => string | undefined;
  locate(path: KeyPath): SourceLocation | undefined;
}

const BUILTINS = ["globals", "runtime_params", "env"];
const OMEGACONF = OMEGACONF_RESOLVERS;

/** Resolver names a plugin cannot take: interpolation's own (all but `oc.env`, which Kedro lets one replace). */
export const RESERVED_RESOLVERS: readonly string[] = [
  ...BUILTINS,
  ...OMEGACONF.filter((n) => n !== "oc.env"),
];

/**
 * Returns `root` with every interpolation resolved (a new tree; the input is not changed).
 *
 * @example
 * ```ts
 * resolveAll({ configType: "parameters", root: { a: 1, b: "${a}" }, globals: {}, runtimeParams: {},
 *   allowEnv: false, allowRuntimeParams: true, resolvers: {}, locate: () => undefined }); // { a: 1, b: 1 }
 * ```
 */
export function resolveAll(ctx: InterpolationContext): Record<string, unknown> {
  const done = new Map<string, unknown>();
  const active: KeyPath[] = []; // the chain being resolved, for the cycle message
  const activeIds = new Set<string>();

  const fail = (path: KeyPath, message: string, hint: string, cause?: unknown): never => {
    throw new ConfigError("config/interpolation", message, {
      source: ctx.locate(path) ?? { keyPath: formatKeyPath(path) },
      hint,
      cause,
    });
  };

  // Resolves the raw node found at `path`, once; a node met again while it is resolving is a cycle.
  const resolveAt = (path: KeyPath, raw: unknown, id = pathId(path)): unknown => {
    const isContainer = Array.isArray(raw) || isRecord(raw);
    if (!isContainer && !(typeof raw === "string" && raw.includes("${"))) return raw;
    if (done.has(id)) return done.get(id);
    if (activeIds.has(id)) {
      const chain = [...active.slice(active.findIndex((p) => pathId(p) === id)), path];
      fail(
        path,
        `Circular interpolation: ${chain.map((p) => "${" + formatKeyPath(p) + "}").join(" -> ")}`,
        "break the cycle: one of these values must not refer back to the others",
      );
    }
    active.push(path);
    activeIds.add(id);
    let out: unknown;
    // A resolved string may be a float without a fraction (HeldFloat): its container records it so.
    if (typeof raw === "string") out = resolveString(raw, path);
    else if (Array.isArray(raw)) {
      const items = raw.map((v, i) => [String(i), resolveAt([...path, i], v, `${id}\u0001${i}`)] as const);
      const list = items.map(([, v]) => plainOf(v));
      const floats = sourceFloats(raw);
      if (floats) recordIntegralFloats(list, floats);
      settleFloats(list, items);
      out = list;
    } else {
      const record: Record<string, unknown> = {};
      const items = Object.entries(raw as Record<string, unknown>)
        .map(([k, v]) => [k, resolveAt([...path, k], v, `${id}\u0001${k}`)] as const);
      for (const [k, v] of items) setOwn(record, k, plainOf(v));
      recordMergedKeys(record, [raw as Record<string, unknown>]);
      settleFloats(record, items);
      out = record;
    }
    active.pop();
    activeIds.delete(id);
    done.set(id, out);
    return out;
  };

  // With `ifMissing`, a key that is not there gives MISSING instead of failing (`oc.select`).
  const lookupReference = (ref: string, path: KeyPath, ifMissing = false): unknown => {
    const target = referencePath(ref, path);
    if (!target) {
      return fail(
        path,
        `Cannot resolve \${${ref}}: "${ref}" is not a valid key path`,
        "write ${a.b} or ${a.list[0]}",
      );
    }
    let node: unknown = ctx.root;
    let resolved = false;
    const walked: (string | number)[] = [];
    let parent: unknown;
    for (const step of target) {
      node = plainOf(node);
      const seg = Array.isArray(node) && /^\d+$/.test(String(step)) ? Number(step) : step;
      const next = childOf(node, seg);
      parent = node;
      if (next === MISSING && ifMissing) return MISSING;
      if (next === MISSING) {
        const guess = didYouMean(String(seg), isRecord(node) ? Object.keys(node) : []);
        fail(
          path,
          `Cannot resolve \${${ref}}: no key "${ref.trim()}" in ${ctx.configType}`,
          guess !== undefined
            ? `did you mean "${guess}"?`
            : `define "${ref.trim()}" in the same environment's ${ctx.configType} files (interpolation does not cross environments; use globals for that)`,
        );
      }
      walked.push(seg);
      node = next;
      // Descending through an interpolated value (`a: ${b}`, then `${a.x}`) continues in its result.
      if (!resolved && typeof next === "string" && next.includes("${")) {
        node = resolveAt([...walked], next);
        resolved = true;
      }
    }
    const value = clonePlain(resolved ? node : resolveAt(walked, node));
    return walked.length > 0 ? heldAt(parent, walked[walked.length - 1], value) : value;
  };

  const callResolver = (name: string, argText: string, path: KeyPath): unknown => {
    const args = argText.trim() === "" ? [] : splitArgs(argText);
    // `elements` may hold a float without a fraction (`1.0`, HeldFloat), which a default keeps.
    const elements = args.map((a) => parseElement(a, elementContext(path)));
    const values = elements.map(plainOf);
    if (BUILTINS.includes(name) || (name === "oc.env" && !Object.hasOwn(ctx.resolvers, name))) {
      if (args.length < 1 || args.length > 2) {
        fail(
          path,
          `\${${name}:…} takes a key and an optional default, got ${args.length} argument(s)`,
          `write \${${name}:key} or \${${name}:key, default}; quote a default that contains commas`,
        );
      }
    }
    const key = String(values[0]);
    const hasDefault = args.length > 1;
    // Kedro clears oc.env and lets `custom_resolvers={"oc.env": …}` re-enable it everywhere: a plugin
    // resolver of that name replaces the built-in one, in every config type.
    const custom = name === "oc.env" && Object.hasOwn(ctx.resolvers, name) ? "custom" : name;
    switch (custom) {
      case "globals": {
        if (key.startsWith("_")) {
          fail(
            path,
            `Cannot resolve \${globals:${key}}: keys starting with "_" are not supported for globals`,
            "rename the global key so it does not start with _",
          );
        }
        const value = getDotted(ctx.globals, key);
        if (value !== MISSING) return clonePlain(value);
        if (hasDefault) return elements[1];
        return fail(
          path,
          `Globals key "${key}" not found and no default value provided`,
          withGuess(
            key,
            ctx.globals,
            `define "${key}" in conf/base/globals.yml or add a default: \${globals:${key}, value}`,
          ),
        );
      }
      case "runtime_params": {
        if (!ctx.allowRuntimeParams) {
          fail(
            path,
            "The runtime_params: resolver is not supported in globals",
            "use ${runtime_params:…} in catalog, parameters or other config files, not in globals.yml",
          );
        }
        const value = getDotted(ctx.runtimeParams, key);
        if (value !== MISSING) return clonePlain(value);
        if (hasDefault) return elements[1];
        return fail(
          path,
          `Runtime parameter "${key}" not found and no default value provided`,
          withGuess(
            key,
            ctx.runtimeParams,
            runtimeParamsHint(
              key,
              ctx.runtimeParamsFlag,
              ctx.locate(path)?.file ?? `its ${ctx.configType} file`,
            ),
          ),
        );
      }
      case "env":
      case "oc.env": {
        if (!ctx.allowEnv) {
          fail(
            path,
            `\${${name}:…} is only allowed in credentials files (found in ${ctx.configType})`,
            "move the value to conf/<env>/credentials.yml and reference it, or use ${runtime_params:…} " +
              '(a plugin resolver named "oc.env" allows it everywhere, like Kedro\'s custom_resolvers)',
          );
        }
        let value: string | undefined;
        try {
          value = (ctx.getEnv ?? ((n: string) => Deno.env.get(n)))(key);
        } catch (cause) {
          fail(path, `Cannot read environment variable "${key}"`, "grant --allow-env", cause);
        }
        if (value !== undefined) return value;
        // OmegaConf's oc.env gives text, its default too (str(1.0) is '1.0'; None stays None); kmlf's env
        // keeps a typed default.
        if (hasDefault && name === "oc.env") return values[1] === null ? null : textOf(elements[1]);
        if (hasDefault) return elements[1];
        return fail(
          path,
          `Environment variable "${key}" is not set and no default value provided`,
          `export ${key}=... or add a default: \${${name}:${key}, value}`,
        );
      }
      default: {
        if (OMEGACONF.includes(custom)) {
          return omegaConfResolver(name, args, elements, {
            lookup: (ref, ifMissing) => lookupReference(ref, path, ifMissing),
            element: (text) => parseElement(text, elementContext(path)),
            fail: (message, hint) => fail(path, message, hint),
          });
        }
        const resolver = ctx.resolvers[name];
        if (!resolver) {
          // Kedro's spelling of the environment resolver is oc.env; offer it (`env` is kmlf's short form).
          const known = [...BUILTINS, ...OMEGACONF, ...Object.keys(ctx.resolvers)];
          const guess = didYouMean(name, known);
          return fail(
            path,
            `Unknown resolver "${name}" in \${${name}:…}`,
            guess !== undefined ? `did you mean "${guess}"?` : `known resolvers: ${known.join(", ")}`,
          );
        }
        try {
          return resolver(values);
        } catch (cause) {
          return fail(
            path,
            `Resolver "${name}" failed: ${(cause as Error)?.message ?? String(cause)}`,
            `check the arguments given to \${${name}:…}`,
            cause,
          );
        }
      }
    }
  };

  const evaluate = (expr: string, path: KeyPath): unknown => {
    const m = expr.match(/^\s*([A-Za-z_][\w.]*)\s*:(.*)$/s);
    if (m) return callResolver(m[1], m[2], path);
    // `${a.${b}}`: the key itself is interpolated first.
    const key = expr.includes("${") ? textOf(resolveString(expr, path)) : expr;
    return lookupReference(key, path);
  };

  // Resolver arguments and oc.decode's text: OmegaConf's element grammar, interpolations resolved here.
  const elementContext = (path: KeyPath) => ({
    interpolate: (expr: string) => evaluate(expr, path),
    fail: (message: string): never =>
      fail(path, `Cannot parse a resolver argument: ${message}`, "check the ${…} braces and quotes"),
  });

  function resolveString(text: string, path: KeyPath): unknown {
    const parts = scanInterpolations(
      text,
      (msg) => fail(path, `Cannot parse interpolation in "${text}": ${msg}`, "check the ${…} braces"),
    );
    if (parts.length === 1 && typeof parts[0] !== "string") return evaluate(parts[0].expr, path);
    // OmegaConf writes a value into text as Python's str() of it (`True`, `None`, `[1, 'a']`).
    return parts.map((p) => (typeof p === "string" ? p : textOf(evaluate(p.expr, path)))).join("");
  }

  return resolveAt([], ctx.root) as Record<string, unknown>;
}

// One string per node position (segments cannot contain \u0001, a YAML control character).
function pathId(path: KeyPath): string {
  let id = "";
  for (const seg of path) id += `\u0001${seg}`;
  return id;
}

// The value at `dotted`, wrapped (HeldFloat) when its mapping records a float without a fraction there.
function getDotted(obj: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = obj;
  let parent: unknown;
  let seg = "";
  for (seg of dotted.split(".")) {
    parent = node;
    node = childOf(node, seg);
    if (node === MISSING) return MISSING;
  }
  return heldAt(parent, seg, node);
}

// Pass the flag where the command has one; else a default is the only fix this command can take.
// A command without --params (kmlf runs, experiments, gc, mlflow ui, models predict|serve read mlflow.yml)
// is told where to write the default, and which commands do take the flag.
// A script's session (flag `runtimeParams`) is told its option.
function runtimeParamsHint(key: string, flag: string | null = "--params", file: string): string {
  const byDefault = `add a default: \${runtime_params:${key}, value}`;
  return flag === null
    ? `give "${key}" a default in ${file}: \${runtime_params:${key}, value} (this command takes no --params; ` +
      "kmlf run, kmlf catalog, kmlf export and kmlf mlflow modelify|start-run|end-run do)"
    : flag === RUNTIME_PARAMS_OPTION
    ? `pass ${passRuntimeParam(key, flag)} or ${byDefault}`
    : `pass ${flag} "${key}=..." or ${byDefault}`;
}

function withGuess(key: string, tree: Record<string, unknown>, hint: string): string {
  const guess = didYouMean(key, dottedKeys(tree));
  return guess === undefined ? hint : `did you mean "${guess}"? (or ${hint})`;
}

function dottedKeys(tree: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return isRecord(v) ? [key, ...dottedKeys(v, key)] : [key];
  });
}
