/**
 * Validates a parsed YAML value against a zod schema and turns every issue into a kmlf error
 * that names the file, line:column, key path and — for unknown keys — the closest known key.
 *
 * @module
 */
import type { z } from "../zod/mod.ts";
import { cachedSafeParse, type LaterOutput, type LaterSchema, parseLater } from "../zod/on_demand.ts";
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
  /** The file is read as written (kmlf.yml, pipeline files): a `${…}` in a bad value was meant to be resolved. */
  notInterpolated?: boolean;
  /**
   * The key path the user wrote for a key path of the validated value, when the caller took an older
   * spelling as its new key (`log_model.artifact_path` validated as `log_model.name`): errors name and
   * locate the written key.
   */
  writtenAs?: (path: KeyPath) => KeyPath;
}

/**
 * A {@link ValidateOptions.writtenAs} for keys taken under another name: each `[validated, written]` pair
 * maps that key path, and every path under it, back to the one written.
 *
 * @example
 * ```ts
 * const writtenAs = renamedKeys([[["log_model", "name"], ["log_model", "artifact_path"]]]);
 * writtenAs(["log_model", "name"]); // ["log_model", "artifact_path"]
 * ```
 */
export function renamedKeys(pairs: ReadonlyArray<readonly [KeyPath, KeyPath]>): (path: KeyPath) => KeyPath {
  return (path) => {
    for (const [validated, written] of pairs) {
      if (validated.length <= path.length && validated.every((k, i) => path[i] === k)) {
        return [...written, ...path.slice(validated.length)];
      }
    }
    return path;
  };
}

/**
 * Returns the parsed value, or throws all problems together. A schema filed with `cacheAs` answers a value
 * validated before from the validation cache (lib/validation_cache.ts).
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
  const result = cachedSafeParse(schema, value);
  if (result.success) return result.data;
  throwIfAny(
    issuesToErrors(schema, result.error.issues, locator, { ...options, value }),
    `Invalid ${options.what}`,
  );
  throw new Error("unreachable");
}

/**
 * {@link validateWith} for a {@link LaterSchema}: a value the validation cache knows is answered without
 * loading zod; any other is parsed, and its problems thrown together.
 *
 * @example
 * ```ts
 * const Settings = laterSchema("settings", (z) => z.strictObject({ name: z.string() }));
 * const settings = await validateLater(Settings, src.value, src, { code: "settings/invalid", what: "kmlf.yml" });
 * ```
 */
export async function validateLater<L extends LaterSchema>(
  schema: L,
  value: unknown,
  locator: Locator,
  options: ValidateOptions,
): Promise<LaterOutput<L>> {
  const result = await parseLater(schema, value);
  if (result.success) return result.data as LaterOutput<L>;
  throwIfAny(
    issuesToErrors(result.schema, result.error.issues, locator, { ...options, value }),
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
    const path = options.writtenAs?.([...base, ...rel]) ?? [...base, ...rel];
    // A union with its own message keeps it for a value of no form (its author described every form there);
    // a value of one form (`runner: {max_workers: "4"}`) is wrong inside it, named at its own key.
    const matched = issue.code === "invalid_union"
      ? matchedBranch(issue.errors, issue.message !== "Invalid input")
      : undefined;
    if (matched) {
      // `a | {…}` given a mapping: what is wrong is inside the mapping, at its own key and line.
      const nested = matched.map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
      errors.push(...issuesToErrors(schema, nested, locator, options));
      continue;
    }
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
          hint: `add ${String(path.at(-1))}: <${
            (YAML_TYPES[issue.expected] ?? issue.expected).replace(/^an? /, "")
          }>`,
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
    const expected = expectedTypes(issue);
    errors.push(
      new ConfigError(
        options.code,
        `Invalid value for "${formatKeyPath(path)}" in ${options.what}: ` +
          (expected ? `expected ${expected}, got ${describeValue(actual)}` : issue.message),
        {
          source: locator.locate(path) ?? { keyPath: formatKeyPath(path) },
          hint: hintFor(issue, actual, expected, options, omittableAt(schema, rel)) +
            (actual === undefined ? "" : ` (got ${JSON.stringify(actual)})`),
        },
      ),
    );
  }
  return errors;
}

function locateKey(locator: Locator, path: KeyPath): SourceLocation | undefined {
  return locator.locateKey?.(path) ?? locator.locate(path);
}

/** Keys declared by the object schema found at `path` (unwrapping optional/default/nullable/lazy). */
function objectKeysAt(schema: z.core.$ZodType, path: KeyPath): string[] {
  const def = defOf(unwrap(schemaAt(schema, path)));
  return def?.type === "object" ? Object.keys(def.shape as Record<string, unknown>) : [];
}

/** Whether the key at `path` may be left out (its schema optional or with a default); false when unknown. */
function omittableAt(schema: z.core.$ZodType, path: KeyPath): boolean {
  let node = path.length ? schemaAt(schema, path) : undefined;
  for (let i = 0; node !== undefined && i < 10; i++) {
    const def = defOf(node);
    if (def?.type === "optional" || def?.type === "default" || def?.type === "prefault") return true;
    if (def?.type === "lazy") node = (node as { _zod: { innerType: unknown } })._zod.innerType;
    else if (def?.type === "nullable" || def?.type === "readonly") node = def.innerType;
    else return false;
  }
  return false;
}

// The schema of the value at `path`, as written at its key (wrappers kept), or undefined.
function schemaAt(schema: z.core.$ZodType, path: KeyPath): unknown {
  let node: unknown = schema;
  for (const seg of path) {
    const def = defOf(unwrap(node));
    if (def?.type === "object") node = (def.shape as Record<string, unknown>)[String(seg)];
    else if (def?.type === "array") node = def.element;
    else if (def?.type === "record") node = def.valueType;
    else return undefined;
  }
  return node;
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
    // A lazy schema (`deferred`, lib/zod/mod.ts): its inner one, built once and kept by zod.
    if (def?.type === "lazy") {
      current = (current as { _zod: { innerType: unknown } })._zod.innerType;
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

/**
 * The one branch of a failed union whose type the value had (its problems are all inside the value, none
 * "expected <type>" at the value itself), or undefined when the value's type matched no branch or several.
 * `inside` (a union with its own message): only a branch whose problems are all inside the value, at a key
 * or an item, so that a value of no form (an enum's wrong word too) keeps the union's message.
 */
function matchedBranch(
  branches: readonly (readonly z.core.$ZodIssue[])[],
  inside: boolean,
): z.core.$ZodIssue[] | undefined {
  const fits = inside
    ? (issues: readonly z.core.$ZodIssue[]) =>
      issues.every((i) => i.path.length > 0 || i.code === "unrecognized_keys")
    : (issues: readonly z.core.$ZodIssue[]) =>
      !issues.some((i) => i.path.length === 0 && (i.code === "invalid_type" || i.code === "invalid_union"));
  const typed = branches.filter((issues) => issues.length > 0 && fits(issues));
  return typed.length === 1 ? [...typed[0]] : undefined;
}

function hintFor(
  issue: z.core.$ZodIssue,
  actual: unknown,
  expected: string | undefined,
  options: ValidateOptions,
  omittable: boolean,
): string {
  // A schema's refinement may carry its fix: `z.refine(ok, { error, params: { hint } })`.
  if (issue.code === "custom" && typeof issue.params?.hint === "string") return issue.params.hint;
  if (options.notInterpolated && typeof actual === "string" && actual.includes("${")) {
    return "this file is read as written (only conf/ files are interpolated): write the value itself";
  }
  if (expected) return `write ${expected} here`;
  if (actual === "") {
    return omittable ? "write a value, or remove the key where it has a default" : "write a value";
  }
  if (issue.code === "invalid_value") {
    return `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  if (issue.code === "invalid_union") return "see the documented forms of this key in the README";
  return "fix this value";
}

// zod's type names in the words of YAML, which is what the user wrote.
const YAML_TYPES: Record<string, string> = {
  object: "a mapping",
  record: "a mapping",
  map: "a mapping",
  array: "a list",
  tuple: "a list",
  set: "a list",
  string: "a string",
  number: "a number",
  int: "an integer",
  bigint: "an integer",
  boolean: "a boolean (true or false)",
  null: "null",
};

/** "a string or a list" for a wrong type (or a union of types), in YAML's words; undefined otherwise. */
function expectedTypes(issue: z.core.$ZodIssue): string | undefined {
  const names = issue.code === "invalid_type"
    ? [String(issue.expected)]
    : issue.code === "invalid_union"
    ? issue.errors.flatMap((branch) =>
      branch.flatMap((i) => (i.code === "invalid_type" && i.path.length === 0 ? [String(i.expected)] : []))
    )
    : [];
  const words = [...new Set(names.map((n) => YAML_TYPES[n] ?? n))];
  if (words.length === 0 || (issue.code === "invalid_union" && names.length < issue.errors.length)) {
    return undefined;
  }
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
}

function describeValue(value: unknown): string {
  if (value === null) return "null (no value)";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "boolean") return String(value);
  return `the ${typeof value} ${String(value)}`;
}

function valueAt(value: unknown, path: KeyPath): unknown {
  let node = value;
  for (const seg of path) {
    node = node && typeof node === "object" ? (node as Record<string, unknown>)[String(seg)] : undefined;
  }
  return node;
}
