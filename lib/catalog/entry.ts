/** Turning one catalog entry (a YAML mapping) into a dataset: checks, credentials, paths, type lookup. */
import {
  ConfigError,
  DatasetError,
  didYouMeanHint,
  formatLocation,
  KmlfAggregateError,
  KmlfError,
  type SourceLocation,
} from "../errors.ts";
import type { KeyPath } from "../yaml/parse_yaml.ts";
import { issuesToErrors, renamedKeys } from "../yaml/validate.ts";
import type { z } from "../zod/mod.ts";
import { builtSchema, LaterSchema, parseLater } from "../zod/on_demand.ts";
import { createCustomDataset, customTypeName, isCustomType } from "./custom_type.ts";
import type { Dataset } from "./dataset.ts";
import { kedroRespelled, kedroTypeHint } from "./kedro_types.ts";
import { schemaKeys, takeHintedArguments, takeRenamedArguments } from "./kedro_arguments.ts";
import { locatingCredentials, resolveCredentials } from "./entry_credentials.ts";
import type { EntryContext } from "./entry_context.ts";
import { absolutePaths } from "./entry_paths.ts";
import type { DatasetFactoryContext } from "./dataset_factory.ts";
import { type ArgumentSchema, type DatasetRegistry, resolveArguments } from "./registry.ts";
import { givenKeyHint, nestedContext } from "./nested_entry.ts";
import { checkNote } from "./entry_note.ts";
import { isRecord } from "../is_record.ts";
import { clonePlain } from "../plain_copy.ts";

export type { EntryContext } from "./entry_context.ts";

// The entry keys that are the user's data, not configuration: no path or credentials name in them is resolved.
const MEMORY_PAYLOAD: ReadonlySet<string> = new Set(["data"]);

/**
 * The keys of an entry of `type` that hold the user's data, not configuration (a MemoryDataset's `data`):
 * no path or credentials name in them is resolved or checked.
 *
 * @example
 * ```ts
 * entryPayload("MemoryDataset", registry); // Set {"data"}
 * ```
 */
export function entryPayload(type: string, registry: DatasetRegistry): ReadonlySet<string> | undefined {
  return typeNameOf(type, registry) === "MemoryDataset" ? MEMORY_PAYLOAD : undefined;
}

/** A built dataset and the type name shown to users. */
export interface CreatedDataset {
  dataset: Dataset;
  typeName: string;
}

/**
 * Checks that an entry is a mapping with a non-empty string `type`, and returns it.
 *
 * @example
 * ```ts
 * const config = checkEntry("iris", { type: "csv", filepath: "data/iris.csv" }, ["iris"], ctx);
 * ```
 */
export function checkEntry(
  name: string,
  entry: unknown,
  at: KeyPath,
  ctx: EntryContext,
): Record<string, unknown> {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    throw new DatasetError(
      "catalog/bad-entry",
      `Catalog entry "${name}" is not a dataset configuration (a mapping with a type)`,
      {
        source: ctx.locate(at),
        hint:
          'write "name: {type: ..., filepath: ...}"; if this entry is a template for interpolation, prefix its key with "_"',
      },
    );
  }
  const config = entry as Record<string, unknown>;
  if (config.type !== undefined && config.type !== null && typeof config.type !== "string") {
    const given = Array.isArray(config.type)
      ? "a list"
      : typeof config.type === "object"
      ? "a mapping"
      : "a " +
        typeof config.type;
    const first = Array.isArray(config.type) && typeof config.type[0] === "string" ? config.type[0] : "csv";
    throw new DatasetError("catalog/bad-type", `Catalog entry "${name}" has ${given} as its type`, {
      source: ctx.locate([...at, "type"]),
      hint: `a type is one name: write "type: ${first}" (known types: ${
        ctx.registry.typeNames().join(", ")
      })`,
    });
  }
  if (typeof config.type !== "string" || config.type.trim() === "") {
    // An env entry meant to change one key replaces base's whole entry (Kedro's destructive default).
    const replaced = at.length === 1 && !("type" in config) ? ctx.replacedBase?.(name) : undefined;
    throw new DatasetError("catalog/missing-type", `Catalog entry "${name}" has no type`, {
      source: ctx.locate("type" in config ? [...at, "type"] : at),
      hint: replaced
        ? replacedBaseNote(name, replaced, "its type and other keys")
        : `add e.g. "type: csv" (known types: ${
          ctx.registry.typeNames().join(", ")
        }); prefix template keys with "_"`,
    });
  }
  return config;
}

/**
 * Throws when `type` is neither registered nor a custom `module#Class` reference.
 *
 * @example
 * ```ts
 * checkTypeKnown("cvs", "iris", ["iris"], ctx); // throws catalog/unknown-type, did you mean "csv"?
 * ```
 */
export function checkTypeKnown(type: string, name: string, at: KeyPath, ctx: EntryContext): void {
  if (isCustomType(type) || ctx.registry.lookup(type)) return;
  const respelled = kedroRespelled(type);
  const instead = kedroTypeHint(type) ?? (respelled === undefined ? undefined : (
    kedroTypeHint(respelled) ??
      (ctx.registry.lookup(respelled)
        ? `${/MatplotlibWriter$/.test(type) ? "kedro-datasets" : "Kedro 0.19"} renamed it: ` +
          `write type: ${respelled}`
        : undefined)
  ));
  const guess = instead ? "" : didYouMeanHint(type, ctx.registry.allNames());
  throw new DatasetError("catalog/unknown-type", `Unknown dataset type "${type}" for "${name}"`, {
    source: ctx.locate([...at, "type"]),
    hint: (instead ? `${instead}; ` : guess ? `${guess} ` : "") +
      `known types: ${ctx.registry.typeNames().join(", ")}; or your own class: ./datasets/my.ts#MyDataset`,
  });
}

/**
 * The class-style name of a `type:` value (`csv` → `CSVDataset`), without building anything.
 *
 * @example
 * ```ts
 * typeNameOf("pandas.CSVDataset", builtinRegistry()); // "CSVDataset"
 * ```
 */
export function typeNameOf(type: string, registry: DatasetRegistry): string {
  if (isCustomType(type)) return customTypeName(type);
  return registry.lookup(type)?.typeName ?? type;
}

/**
 * Builds the dataset for catalog entry `name` whose YAML lives at key path `at`. Problems are
 * DatasetErrors located in the catalog file (several argument problems come as one aggregate).
 *
 * @example
 * ```ts
 * const { dataset } = await createFromEntry("iris", { type: "csv", filepath: "data/iris.csv" }, ["iris"], ctx);
 * ```
 */
export async function createFromEntry(
  name: string,
  entry: unknown,
  at: KeyPath,
  given: EntryContext,
): Promise<CreatedDataset> {
  const raw = checkEntry(name, entry, at, given);
  // Kedro resolves credentials names and paths at any mapping depth, a MemoryDataset's `data` too (changing
  // the user's data: a `filepath` key in it becomes absolute); kmlf keeps that payload as written.
  const payload = entryPayload(raw.type as string, given.registry);
  // A key of a credentials block is shown where credentials.yml has it, not at the entry's `credentials:`.
  const ctx = locatingCredentials(given, raw, at, payload);
  // A copy, as Kedro's parse_dataset_definition deep-copies: a dataset changing its arguments (a plugin's
  // options) changes neither the catalog's config (`catalog resolve`) nor another partition's definition.
  // Paths first, as Kedro converts them before substituting credentials: a block of credentials.yml is kept
  // as written, an inline credentials mapping's paths are the catalog's.
  const config = clonePlain(resolveCredentials(
    absolutePaths(raw, ctx.projectRoot, { at, locate: ctx.locate }, payload),
    at,
    ctx,
    payload,
  ));
  const { type, metadata, versioned, ...args } = config as Record<string, unknown> & { type: string };
  checkTypeKnown(type, name, at, ctx);
  if (metadata !== undefined && !isRecord(metadata)) {
    throw badArgument(
      `"metadata" of catalog entry "${name}" must be a mapping`,
      ctx.locate([...at, "metadata"]),
    );
  }
  if (versioned !== undefined && typeof versioned !== "boolean") {
    throw badArgument(
      `"versioned" of catalog entry "${name}" must be true or false`,
      ctx.locate([...at, "versioned"]),
    );
  }
  // The entry's position is looked up when a factory or an error reads it: locating re-parses the
  // catalog file with positions, which building a valid catalog never needs otherwise.
  let entrySource: { at: SourceLocation | undefined } | undefined;
  const sourceOfEntry = () => (entrySource ??= { at: ctx.locate(at) }).at;
  // Arguments taken under another spelling (set once they are known) are named and located as written.
  let written = (keyPath: KeyPath): KeyPath => keyPath;
  // A nested dataset's key paths, as the catalog file wrote them (for messages; ctx.locate maps them too).
  const shown = (path: KeyPath): KeyPath => ctx.writtenAt?.(path) ?? path;
  // Set once the factory returned: a note after that comes from the dataset's load or save.
  let built = false;
  const factoryCtx: DatasetFactoryContext = {
    name,
    projectRoot: ctx.projectRoot,
    get source() {
      return sourceOfEntry();
    },
    locate: (keyPath) => ctx.locate([...at, ...written(keyPath)]) ?? sourceOfEntry(),
    locateKey: (keyPath) => {
      const path = [...at, ...written(keyPath)];
      return ctx.locateKey?.(path) ?? ctx.locate(path) ?? sourceOfEntry();
    },
    written: (keyPath) => shown([...at, ...written(keyPath)]).slice(1),
    metadata: metadata as Record<string, unknown> | undefined,
    version: versioned ? ctx.versionFor(name) : undefined,
    warn: (given, unchecked) => {
      const { keyPath, note } = checkNote(given, unchecked, type);
      const path = [...at, ...written(keyPath)];
      const source = ctx.locateKey?.(path) ?? ctx.locate(path) ?? sourceOfEntry();
      ctx.warn?.(new DatasetError(note.code, note.message, { source, hint: note.hint }), { late: built });
    },
    argumentsOf: async (innerType) => {
      const schema = isCustomType(innerType)
        ? undefined
        : (await resolveArguments(ctx.registry, innerType))?.argumentSchema;
      const keys = schema && schemaKeys(builtSchema(await zodSchema(schema)));
      return keys?.size ? keys : undefined;
    },
    // The inner definition's key path (`dataset` of MlflowArtifactDataset or PartitionedDataset) makes its
    // errors name `art.dataset.filepath` at that key's line; without one, they are the wrapper entry's.
    createDataset: async (inner, innerName, keyPath, options = {}) => {
      const innerAt = [...at, ...written(keyPath ?? [])];
      const nested = keyPath === undefined
        ? { ...ctx, locate: sourceOfEntry, locateKey: sourceOfEntry, givenBy: undefined }
        : nestedContext(ctx, at, innerAt, written, {
          // A type-name shorthand's `type` is the `dataset:` value itself.
          ...(typeof inner === "string" ? { type: keyPath } : {}),
          ...options.givenBy,
        });
      const config = typeof inner === "string" ? { type: inner } : inner;
      return (await createFromEntry(innerName, config, innerAt, {
        ...nested,
        locate: (path) => nested.locate(path) ?? sourceOfEntry(),
      })).dataset;
    },
  };
  const typeName = typeNameOf(type, ctx.registry);
  try {
    if (isCustomType(type)) {
      const dataset = await createCustomDataset(type, args, factoryCtx, ctx.locate([...at, "type"]));
      built = true;
      return { dataset, typeName };
    }
    const def = (await resolveArguments(ctx.registry, type))!;
    if (versioned && !def.versionable) {
      throw new DatasetError(
        "catalog/not-versionable",
        `Dataset type "${type}" of "${name}" does not support versioned: true`,
        {
          source: ctx.locate([...at, "versioned"]),
          hint: "versioning works for file datasets (json, yaml, text, csv, parquet, binary, pickle)",
        },
      );
    }
    const withVersioned = def.versionable && versioned !== undefined ? { ...args, versioned } : args;
    const where = { name, type, at, locate: (path: KeyPath) => ctx.locate(path), written: shown };
    const keys = async () => schemaKeys(builtSchema(await zodSchema(def.argumentSchema)));
    const renamed = await takeRenamedArguments(withVersioned, keys, {
      ...where,
      locate: (path: KeyPath) => ctx.locateKey?.(path) ?? ctx.locate(path),
    }, def.argumentAliases);
    written = renamedKeys(renamed.written);
    const { rest, errors: hinted } = takeHintedArguments(renamed.rest, def.argumentHints, where);
    hinted.unshift(...renamed.errors);
    const parsed = await parseLater(def.argumentSchema, rest);
    if (!parsed.success || hinted.length > 0) {
      const errors = [
        ...hinted,
        ...(parsed.success ? [] : issuesToErrors(parsed.schema, parsed.error.issues, ctx, {
          value: rest,
          code: "catalog/bad-argument",
          what: `dataset "${name}" (${type})`,
          basePath: at,
          writtenAs: (path) => shown([...at, ...written(path.slice(at.length))]),
          alsoKnown: ["type", "metadata"],
          unknownKeyHint: (keyPath) => givenKeyHint(keyPath, shown(at), type, ctx.givenBy),
        }).map(asDatasetError).map((e) => withReplacedBaseNote(e, name, at, ctx))),
      ];
      throw errors.length === 1
        ? errors[0]
        : new KmlfAggregateError(errors, `Invalid catalog entry "${name}"`);
    }
    const { versioned: _, ...validated } = parsed.data as Record<string, unknown>;
    const dataset = await def.factory(validated, factoryCtx);
    built = true;
    return { dataset, typeName };
  } catch (error) {
    const argument = error instanceof KmlfError ? argumentOf(error.source) : undefined;
    if (error instanceof KmlfAggregateError || (error instanceof KmlfError && error.source && !argument)) {
      throw error;
    }
    // About one argument (a dataset class's `source: {keyPath: "filepath"}`): shown at that key, as written
    // (a partition's filepath at the entry's path). Else thrown without saying where: shown at the entry.
    const source = (argument !== undefined && ctx.locate([...at, ...written([argument])])) ||
      (ctx.locateThrown ? ctx.locateThrown(at) : sourceOfEntry());
    if (error instanceof KmlfError) {
      throw new DatasetError(error.code, error.message, {
        source,
        hint: error.hint,
        cause: error.cause,
      });
    }
    throw new DatasetError(
      "catalog/create-failed",
      `Cannot create dataset "${name}" (${typeName}): ${(error as Error).message}`,
      {
        source,
        cause: error,
        hint: "check the entry's arguments",
      },
    );
  }
}

// An env entry meant to change one key replaces base's whole entry (Kedro's destructive default), so a key
// base gave is "missing" from the env's: say why, with both ways out.
// A type's schema as zod's (a later schema built, with zod loaded).
function zodSchema(schema: ArgumentSchema): Promise<z.core.$ZodType> {
  return schema instanceof LaterSchema ? schema.schema() : Promise.resolve(schema);
}

function replacedBaseNote(name: string, replaced: SourceLocation, what: string): string {
  return `this entry replaces the whole "${name}" of ${
    formatLocation({ ...replaced, keyPath: undefined })
  } (merge strategy destructive, as in Kedro): repeat ${what} here, or set merge_strategy: {catalog: soft} in kmlf.yml`;
}

function withReplacedBaseNote(error: KmlfError, name: string, at: KeyPath, ctx: EntryContext): KmlfError {
  const replaced = at.length === 1 && /^Missing key /.test(error.message)
    ? ctx.replacedBase?.(name)
    : undefined;
  if (!replaced) return error;
  return new DatasetError(error.code, error.message, {
    source: error.source,
    hint: `${error.hint}; ${replacedBaseNote(name, replaced, "base's other keys")}`,
  });
}

// The argument an error of a dataset class is about: a source naming a key only (no file, no line).
function argumentOf(source: SourceLocation | undefined): string | undefined {
  if (!source || source.file !== undefined || source.line !== undefined) return undefined;
  return source.keyPath || undefined;
}

function asDatasetError(error: KmlfError): KmlfError {
  return error instanceof ConfigError
    ? new DatasetError(error.code, error.message, { source: error.source, hint: error.hint })
    : error;
}

function badArgument(message: string, source: SourceLocation | undefined): DatasetError {
  return new DatasetError("catalog/bad-argument", message, { source, hint: "fix or remove this key" });
}
