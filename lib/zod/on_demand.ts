/**
 * kmlf's zod (lib/zod/mod.ts) loaded on first need: a run whose configuration is all in the validation cache
 * (lib/validation_cache.ts) parses nothing, and loading the zod bundle alone costs it ~2 ms and ~2 MB. This
 * module imports no zod: a {@link LaterSchema} is a builder taking zod's `z`, run by {@link parseLater}
 * (which loads zod) only when the cache does not know the value; the other helpers get `z` from their caller
 * or use the schema's own methods.
 *
 * @module
 */
import type { z as Z } from "./_bundle.js";
import { type CacheSlot, cacheSlot } from "../validation_cache.ts";

/** The `z` namespace of kmlf's zod bundle. */
export type Zod = typeof Z;

let loaded: Zod | undefined;

/**
 * Loads kmlf's zod (once) and gives its `z`.
 *
 * @example
 * ```ts
 * const z = await loadZod();
 * ```
 */
export async function loadZod(): Promise<Zod> {
  return loaded ??= (await import(new URL("./zod_chunk.ts", import.meta.url).href)).z as Zod;
}

/**
 * A kmlf schema whose zod schema is built, with zod loaded, the first time a value has to be parsed by it
 * ({@link parseLater}); with an `id`, its successes are remembered across runs (lib/validation_cache.ts), so
 * a remembered value loads no zod at all. Only for kmlf's own schemas whose answer depends on the value alone.
 */
export class LaterSchema<T extends Z.core.$ZodType = Z.core.$ZodType> {
  #built: T | undefined;
  /** The validation cache's name of the schema (`catalog:csv`), if its successes are remembered. */
  readonly id: string | undefined;
  readonly #build: (z: Zod) => T;

  /** A schema `build` makes from zod; see {@link laterSchema}. */
  constructor(id: string | undefined, build: (z: Zod) => T) {
    this.id = id;
    this.#build = build;
  }

  /** The zod schema, loading zod and building it if need be. */
  async schema(): Promise<T> {
    return this.#built ?? this.now(await loadZod());
  }

  /** The zod schema, built now with `z` (inside another schema's builder, or a module that has zod). */
  now(z: Zod): T {
    return this.#built ??= this.#build(z);
  }
}

/**
 * A {@link LaterSchema}: `build` receives kmlf's `z`. `id` names it in the validation cache (undefined: not
 * cached).
 *
 * @example
 * ```ts
 * const Settings = laterSchema("settings", (z) => z.strictObject({ name: z.string() }));
 * await parseLater(Settings, { name: "iris" }); // { success: true, data: { name: "iris" } }
 * ```
 */
export function laterSchema<T extends Z.core.$ZodType>(
  id: string | undefined,
  build: (z: Zod) => T,
): LaterSchema<T> {
  return new LaterSchema(id, build);
}

/** What a {@link LaterSchema} parses to. */
export type LaterOutput<L> = L extends LaterSchema<infer T> ? Z.output<T> : never;

/** A parse's result; a failure carries the zod schema it failed, for its errors (lib/yaml/validate.ts). */
export type LaterParse<T> = { success: true; data: T } | {
  success: false;
  error: Z.core.$ZodError;
  schema: Z.core.$ZodType;
};

/**
 * Parses `value` with a {@link LaterSchema} (answered from the validation cache when it passed before,
 * without loading zod) or with any zod schema.
 *
 * @example
 * ```ts
 * const parsed = await parseLater(NodeEntry, entry);
 * if (!parsed.success) report(parsed.schema, parsed.error.issues);
 * ```
 */
export async function parseLater<S extends Z.core.$ZodType>(
  schema: LaterSchema<S> | S,
  value: unknown,
): Promise<LaterParse<Z.output<S>>> {
  const slot = cacheSlotOf(schema, value);
  if (slot?.hit) return { success: true, data: slot.hit.output as Z.output<S> };
  const built = schema instanceof LaterSchema ? await schema.schema() : schema;
  const z = await loadZod();
  // jitless: zod compiles a fast path for an object schema on its first parse, which only pays off over
  // many parses of one schema.
  const parsed = z.safeParse(built, value, { jitless: true });
  if (!parsed.success) return { success: false, error: parsed.error, schema: built };
  slot?.remember(parsed.data);
  return { success: true, data: parsed.data as Z.output<S> };
}

/**
 * A schema built the first time a value reaches it, for a big, rarely given part of a file (a dataset's
 * `load_args`): building schemas is what a validating module's import costs. `z.lazy(build)` alone does
 * not defer it: an object asks each of its keys' schemas whether the key may be absent (`optin`/`optout`)
 * on every parse, and a lazy schema builds its inner one to answer. The inner schema must be a plain one
 * (not optional, not defaulted), so the answers are known: none; wrap the result in `z.optional`. Modules
 * that import lib/zod/mod.ts call its `deferred(build)`.
 *
 * @example
 * ```ts
 * const Entry = laterSchema("entry", (z) =>
 *   z.strictObject({
 *     filepath: z.string(),
 *     load_args: z.optional(deferredIn(z, () => z.strictObject({ sep: z.optional(z.string()) }))),
 *   }));
 * await parseLater(Entry, { filepath: "a.csv" }); // load_args' schema is not built
 * ```
 */
export function deferredIn<T extends Z.core.SomeType>(z: Zod, build: () => T): Z.ZodMiniLazy<T> {
  const schema = z.lazy(() => {
    const inner = build();
    if (inner._zod.optin !== undefined || inner._zod.optout !== undefined) {
      throw new Error("deferred(): build a plain schema and wrap the deferred one in z.optional/z._default");
    }
    return inner;
  });
  // Own properties shadow zod's getters (on the instance's prototype), which would build the inner schema.
  for (const key of ["optin", "optout"]) {
    Object.defineProperty(schema._zod, key, { value: undefined, writable: true, configurable: true });
  }
  return schema;
}

// The ids of the schemas filed with `cacheAs`, for the validation cache.
const CACHE_IDS = new WeakMap<object, string>();

// The validation cache's slot for `value` under the schema's id; undefined for a schema that is not cached.
function cacheSlotOf(schema: object, value: unknown): CacheSlot | undefined {
  const id = schema instanceof LaterSchema ? schema.id : CACHE_IDS.get(schema);
  return id === undefined ? undefined : cacheSlot(id, value);
}

/**
 * Files `schema` under `id` in the validation cache: {@link cachedSafeParse} and {@link parseLater} remember
 * its successes across runs.
 *
 * @example
 * ```ts
 * cacheAs(deferred(build), "mlflow.yml");
 * ```
 */
export function cacheAs<S extends object>(schema: S, id: string): S {
  CACHE_IDS.set(schema, id);
  return schema;
}

/**
 * `schema.safeParse(value)`, by the schema's own method (this module loads no zod); for a schema filed with
 * {@link cacheAs}, answered from the validation cache when this value passed it before (the schema is then
 * not built). Failures are always parsed, so their issues are fresh.
 *
 * @example
 * ```ts
 * const parsed = cachedSafeParse(Schema, value);
 * if (!parsed.success) report(Schema, parsed.error.issues);
 * ```
 */
export function cachedSafeParse<S extends Z.ZodMiniType>(
  schema: S,
  value: unknown,
): Z.core.util.SafeParseResult<Z.output<S>> {
  const slot = cacheSlotOf(schema, value);
  if (slot?.hit) return { success: true, data: slot.hit.output as Z.output<S> };
  // jitless: as in parseLater.
  const parsed = schema.safeParse(value, { jitless: true }) as Z.core.util.SafeParseResult<Z.output<S>>;
  if (parsed.success) slot?.remember(parsed.data);
  return parsed;
}

/**
 * The schema a lazy one (`deferred`, {@link deferredIn}) stands for, built now; any other schema as it
 * is: for reading an object schema's keys.
 *
 * @example
 * ```ts
 * Object.keys(builtSchema(definition.schema).shape ?? {});
 * ```
 */
export function builtSchema(schema: Z.core.$ZodType): Z.core.$ZodType {
  const zod = schema._zod as { def: { type: string }; innerType?: Z.core.$ZodType };
  return zod.def.type === "lazy" ? builtSchema(zod.innerType!) : schema;
}
