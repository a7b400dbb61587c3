/**
 * Validates a parsed YAML value against a zod schema and turns every issue into a kmlf error
 * that names the file, line:column, key path and — for unknown keys — the closest known key.
 *
 * @module
 */
import type { z } from "../zod/mod.ts";
import { ConfigError, didYouMeanHint, type KmlfError, type SourceLocation, throwIfAny } from "../errors.ts";
import { formatKeyPath, type KeyPath } from "./parse_yaml.ts";

/** Where values came from: anything with `locate` (a YamlSource or a merged config). */
export interface Locator {
  locate(path: KeyPath): SourceLocation | undefined;
  locateKey?(path: KeyPath): SourceLocation | undefined;
}

/** Options of {@link validateWith}. */
export interface ValidateOptions {
  /** Error code for every problem, e.g. `settings/invalid`. */
  code: string;
  /** What is being validated, for messages: `kmlf.yml`, `mlflow.yml`. */
  what: string;
  /** Prefix of key paths when `value` is a sub-tree of the located document. */
  basePath?: KeyPath;
  /** The validated value, to quote bad values in hints. */
  value?: unknown;
  /** Top-level keys taken before `schema` sees the value (a catalog entry's `type`, `metadata`). */
  alsoKnown?: readonly string[];
  /** The hint for an unknown key the caller knows more about (a key another tool spells so), if any. */
  unknownKeyHint?: (keyPath: KeyPath) => string | undefined;
}

/**
 * Returns the parsed value, or throws all problems together.
 *
 * @example
 * ```ts
 * const Settings = z.strictObject({ name: z.string() });
 * const settings = validateWith(Settings, src.value, src, { code: "settings/invalid", what: "kmlf.yml" });
 * ```
 */
export function validateWith<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  locator: Locator,
  options: ValidateOptions,
): z.infer<S> {
  // jitless: zod compiles a fast path for an object schema on its first parse, which only pays off over
  // many parses; a settings file is parsed once per process.
  const result = schema.safeParse(value, { jitless: true });
  if (result.success) return result.data;
  throwIfAny(
    issuesToErrors(schema, result.error.issues, locator, { ...options, value }),
    `Invalid ${options.what}`,
  );
  throw new Error("unreachable");
}

/**
 * Converts zod issues into kmlf errors with locations and did-you-mean for unknown keys.
 *
 * @example
 * ```ts
 * const errors = issuesToErrors(schema, result.error.issues, src, { code: "x/invalid", what: "x.yml" });
 * ```
 */
export function issuesToErrors(
  schema: z.core.$ZodType,
  issues: readonly z.core.$ZodIssue[],
  locator: Locator,
  options: ValidateOptions,
): KmlfError[] {
  const base = options.basePath ?? [];
  const errors: KmlfError[] = [];
  for (const issue of issues) {
    const rel = issue.path.map((p) => (typeof p === "number" ? p : String(p)));
    const path = [...base, ...rel];
    if (issue.code === "unrecognized_keys") {
      const known = [...objectKeysAt(schema, rel), ...(rel.length === 0 ? options.alsoKnown ?? [] : [])];
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        const guess = didYouMeanHint(key, known);
        errors.push(
          new ConfigError(options.code, `Unknown key "${formatKeyPath(keyPath)}" in ${options.what}`, {
            source: locateKey(locator, keyPath),
            hint: options.unknownKeyHint?.(keyPath) ?? (guess ? `${guess} ` : "") +
                (known.length ? `(allowed here: ${known.join(", ")})` : "remove it"),
          }),
        );
      }
      continue;
    }
    if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) {
      errors.push(
        new ConfigError(options.code, `Missing key "${formatKeyPath(path)}" in ${options.what}`, {
          source: locator.locate(path.slice(0, -1)) ?? { keyPath: formatKeyPath(path) },
          hint: `add ${String(path.at(-1))}: <${issue.expected}>`,
        }),
      );
      continue;
    }
    const actual = options.value === undefined ? undefined : valueAt(options.value, rel);
    if (path.length === 0 && issue.code === "invalid_type" && issue.expected === "object") {
      // The whole document: `Invalid value for ""` would name no key.
      const got = Array.isArray(actual) ? "a list" : actual === null ? "null" : `a ${typeof actual}`;
      errors.push(
        new ConfigError(
          options.code,
          `Cannot read ${options.what}: it is ${got}, not a mapping of keys to values`,
          {
            source: locator.locate([]),
            hint: "write `key: value` entries at the top level",
          },
        ),
      );
      continue;
    }
    errors.push(
      new ConfigError(
        options.code,
        `Invalid value for "${formatKeyPath(path)}" in ${options.what}: ${issue.message}`,
        {
          source: locator.locate(path) ?? { keyPath: formatKeyPath(path) },
          hint: hintFor(issue) + (actual === undefined ? "" : ` (got ${JSON.stringify(actual)})`),
        },
      ),
    );
  }
  return errors;
}

function locateKey(locator: Locator, path: KeyPath): SourceLocation | undefined {
  return locator.locateKey?.(path) ?? locator.locate(path);
}

/** Keys declared by the object schema found at `path` (unwrapping optional/default/nullable). */
function objectKeysAt(schema: z.core.$ZodType, path: KeyPath): string[] {
  let node: unknown = schema;
  for (const seg of [...path, null]) {
    node = unwrap(node);
    if (seg === null) break;
    const def = defOf(node);
    if (def?.type === "object") node = (def.shape as Record<string, unknown>)[String(seg)];
    else if (def?.type === "array") node = def.element;
    else if (def?.type === "record") node = def.valueType;
    else return [];
  }
  const def = defOf(node);
  return def?.type === "object" ? Object.keys(def.shape as Record<string, unknown>) : [];
}

function unwrap(node: unknown): unknown {
  let current = node;
  for (let i = 0; i < 10; i++) {
    const def = defOf(current);
    // `a | {…}` (a shorthand or a mapping): the keys that can be wrong are the mapping's.
    if (def?.type === "union") {
      const mapping = (def.options as unknown[]).find((o) => defOf(unwrap(o))?.type === "object");
      if (!mapping) break;
      current = mapping;
      continue;
    }
    if (
      !def ||
      !["optional", "nullable", "default", "prefault", "readonly", "catch", "pipe"].includes(String(def.type))
    ) break;
    current = def.type === "pipe" ? def.in : def.innerType;
  }
  return current;
}

function defOf(node: unknown): Record<string, unknown> | undefined {
  return (node as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
}

function hintFor(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") return `expected ${issue.expected}`;
  if (issue.code === "invalid_value") {
    return `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  if (issue.code === "invalid_union") {
    const expected = [
      ...new Set(issue.errors.flat().flatMap((i) => (i.code === "invalid_type" ? [String(i.expected)] : []))),
    ];
    return expected.length > 1
      ? `expected ${expected.slice(0, -1).join(", ")} or ${expected.at(-1)}`
      : "see the documented forms of this key in the README";
  }
  return "fix this value";
}

function valueAt(value: unknown, path: KeyPath): unknown {
  let node = value;
  for (const seg of path) {
    node = node && typeof node === "object" ? (node as Record<string, unknown>)[String(seg)] : undefined;
  }
  return node;
}
