/**
 * `${…}` interpolation, resolved per environment folder like Kedro's OmegaConf loader:
 * `${a.b}` (same config type), `${globals:key, default}`, `${runtime_params:key, default}`,
 * `${env:VAR, default}` (credentials only), plus resolvers registered by plugins (`${km.random_name:}`).
 */
import { parseScalar as yamlScalar } from "../yaml/dump.ts";
import { ConfigError, didYouMeanHint, type SourceLocation } from "../errors.ts";
import { formatKeyPath, type KeyPath } from "../yaml/parse_yaml.ts";
import { isRecord } from "./merge.ts";

/** A custom resolver: receives its already-resolved arguments. */
export type Resolver = (args: unknown[]) => unknown;

/** What interpolation can see while resolving one config type of one env folder. */
export interface InterpolationContext {
  configType: string;
  root: Record<string, unknown>;
  globals: Record<string, unknown>;
  runtimeParams: Record<string, unknown>;
  /** `${env:…}` is allowed only in credentials. */
  allowEnv: boolean;
  /** `${runtime_params:…}` is refused inside globals. */
  allowRuntimeParams: boolean;
  resolvers: Record<string, Resolver>;
  locate(path: KeyPath): SourceLocation | undefined;
}

const MISSING = Symbol("missing");

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
  const resolving: string[] = [];
  const done = new Map<string, unknown>();

  const resolveValue = (value: unknown, path: KeyPath): unknown => {
    if (typeof value === "string") return value.includes("${") ? resolveString(value, path) : value;
    if (Array.isArray(value)) return value.map((v, i) => resolveValue(v, [...path, i]));
    if (isRecord(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = resolveValue(v, [...path, k]);
      return out;
    }
    return value;
  };

  const fail = (path: KeyPath, message: string, hint: string): never => {
    throw new ConfigError("config/interpolation", message, {
      source: ctx.locate(path) ?? { keyPath: formatKeyPath(path) },
      hint,
    });
  };

  const lookupReference = (ref: string, path: KeyPath): unknown => {
    const key = ref.trim();
    if (done.has(key)) return done.get(key);
    if (resolving.includes(key)) {
      fail(
        path,
        `Circular interpolation: ${[...resolving, key].map((k) => "${" + k + "}").join(" -> ")}`,
        "break the cycle",
      );
    }
    const segments = key.split(".");
    let node: unknown = ctx.root;
    for (const seg of segments) {
      if (!isRecord(node) || !(seg in node)) {
        const siblings = isRecord(node) ? Object.keys(node) : [];
        const guess = didYouMeanHint(seg, siblings);
        fail(
          path,
          `Cannot resolve \${${key}}: no key "${key}" in ${ctx.configType}`,
          guess ||
            `define "${key}" in the same environment's ${ctx.configType} files (interpolation does not cross environments; use globals for that)`,
        );
      }
      node = (node as Record<string, unknown>)[seg];
    }
    resolving.push(key);
    const resolved = resolveValue(node, segments);
    resolving.pop();
    done.set(key, resolved);
    return resolved;
  };

  const callResolver = (name: string, args: string[], path: KeyPath): unknown => {
    const resolved = args.map((
      a,
    ) => (a.includes("${") ? resolveString(a, path) : a === "" ? "" : yamlScalar(a)));
    const [key, ...rest] = resolved;
    const hasDefault = args.length > 1;
    const defaultValue = rest.length === 1 ? rest[0] : rest;
    switch (name) {
      case "globals": {
        const k = String(key);
        if (k.startsWith("_")) {
          fail(
            path,
            `Cannot resolve \${globals:${k}}: keys starting with "_" are not supported for globals`,
            "rename the global key",
          );
        }
        const value = getPath(ctx.globals, k);
        if (value !== MISSING) return value;
        if (hasDefault) return defaultValue;
        return fail(
          path,
          `Globals key "${k}" not found and no default value provided`,
          `define "${k}" in conf/base/globals.yml or add a default: \${globals:${k}, value}`,
        );
      }
      case "runtime_params": {
        if (!ctx.allowRuntimeParams) {
          fail(
            path,
            "The runtime_params: resolver is not supported in globals",
            "use runtime_params in catalog, parameters or other config files",
          );
        }
        const k = String(key);
        const value = getPath(ctx.runtimeParams, k);
        if (value !== MISSING) return value;
        if (hasDefault) return defaultValue;
        return fail(
          path,
          `Runtime parameter "${k}" not found and no default value provided`,
          `pass --params "${k}=..." or add a default: \${runtime_params:${k}, value}`,
        );
      }
      case "env":
      case "oc.env": {
        if (!ctx.allowEnv) {
          fail(
            path,
            `\${${name}:…} is only allowed in credentials files (found in ${ctx.configType})`,
            "move the value to conf/<env>/credentials.yml and reference it, or use ${runtime_params:…}",
          );
        }
        const value = Deno.env.get(String(key));
        if (value !== undefined) return value;
        if (hasDefault) return defaultValue;
        return fail(
          path,
          `Environment variable "${String(key)}" is not set and no default value provided`,
          `export ${String(key)}=... or add a default: \${env:${String(key)}, value}`,
        );
      }
      default: {
        const resolver = ctx.resolvers[name];
        if (!resolver) {
          const guess = didYouMeanHint(name, [
            "globals",
            "runtime_params",
            "env",
            ...Object.keys(ctx.resolvers),
          ]);
          return fail(
            path,
            `Unknown resolver "${name}" in \${${name}:…}`,
            guess ||
              `known resolvers: globals, runtime_params, env, ${Object.keys(ctx.resolvers).join(", ")}`,
          );
        }
        return resolver(resolved);
      }
    }
  };

  const evaluate = (expr: string, path: KeyPath): unknown => {
    const m = expr.match(/^\s*([A-Za-z_][\w.]*)\s*:(.*)$/s);
    if (m) return callResolver(m[1], m[2].trim() === "" ? [] : splitArgs(m[2]), path);
    return lookupReference(expr, path);
  };

  function resolveString(text: string, path: KeyPath): unknown {
    const parts = scan(
      text,
      (msg) => fail(path, `Cannot parse interpolation in "${text}": ${msg}`, "check the ${…} braces"),
    );
    if (parts.length === 1 && typeof parts[0] !== "string") return evaluate(parts[0].expr, path);
    return parts.map((p) => (typeof p === "string" ? p : stringify(evaluate(p.expr, path)))).join("");
  }

  return resolveValue(ctx.root, []) as Record<string, unknown>;
}

/** Splits a string into literal parts and `${…}` expressions, honouring nesting and `\${` escapes. */
function scan(text: string, fail: (msg: string) => never): (string | { expr: string })[] {
  const parts: (string | { expr: string })[] = [];
  let literal = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\" && text.startsWith("${", i + 1)) {
      literal += "${";
      i += 2;
      continue;
    }
    if (!text.startsWith("${", i)) {
      literal += text[i];
      continue;
    }
    let depth = 0;
    let j = i;
    for (; j < text.length; j++) {
      if (text.startsWith("${", j)) depth++, j++;
      else if (text[j] === "}" && --depth === 0) break;
    }
    if (depth !== 0) fail("unclosed ${");
    if (literal) parts.push(literal);
    literal = "";
    parts.push({ expr: text.slice(i + 2, j) });
    i = j;
  }
  if (literal) parts.push(literal);
  return parts;
}

function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = "";
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith("${", i)) depth++;
    if (text[i] === "}") depth--;
    if (text[i] === "," && depth === 0) {
      args.push(current.trim());
      current = "";
    } else current += text[i];
  }
  args.push(current.trim());
  return args;
}

function getPath(obj: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = obj;
  for (const seg of dotted.split(".")) {
    if (!isRecord(node) || !(seg in node)) return MISSING;
    node = node[seg];
  }
  return node;
}

function stringify(value: unknown): string {
  return typeof value === "string"
    ? value
    : isRecord(value) || Array.isArray(value)
    ? JSON.stringify(value)
    : String(value);
}
