/** Turning one catalog entry (YAML mapping) into a dataset: checks, credentials, paths, type lookup. */
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  DatasetError,
  didYouMeanHint,
  KmlfAggregateError,
  KmlfError,
  type SourceLocation,
} from "../errors.ts";
import type { KeyPath } from "../yaml/parse_yaml.ts";
import { issuesToErrors } from "../yaml/validate.ts";
import type { Dataset } from "./dataset.ts";
import type { DatasetFactoryContext, DatasetRegistry } from "./registry.ts";
import type { VersionSpec } from "./versioning.ts";

/** Everything needed to build datasets from entries. */
export interface EntryContext {
  projectRoot: string;
  registry: DatasetRegistry;
  credentials: Record<string, unknown>;
  locate(path: KeyPath): SourceLocation | undefined;
  versionFor(name: string): VersionSpec;
  createDataset(config: Record<string, unknown>, name: string): Promise<Dataset>;
}

const PATH_KEYS = new Set(["filepath", "path", "filename"]);

/**
 * Builds the dataset for catalog entry `name` whose YAML lives at key path `at`.
 *
 * @example
 * ```ts
 * const ds = await createFromEntry("iris", { type: "csv", filepath: "data/iris.csv" }, ["iris"], ctx);
 * ```
 */
export async function createFromEntry(
  name: string,
  entry: unknown,
  at: KeyPath,
  ctx: EntryContext,
): Promise<Dataset> {
  const source = ctx.locate(at);
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    throw new DatasetError(
      "catalog/bad-entry",
      `Catalog entry "${name}" is not a dataset configuration (a mapping with a type)`,
      {
        source,
        hint:
          'write "name: {type: ..., filepath: ...}"; if this entry is a template for interpolation, prefix its key with "_"',
      },
    );
  }
  const raw = entry as Record<string, unknown>;
  if (typeof raw.type !== "string" || raw.type === "") {
    throw new DatasetError("catalog/missing-type", `Catalog entry "${name}" has no type`, {
      source,
      hint: `add e.g. "type: csv" (known types: ${
        ctx.registry.typeNames().join(", ")
      }); prefix template keys with "_"`,
    });
  }
  const config = absolutePaths(injectCredentials(raw, at, ctx), ctx.projectRoot);
  const { type, metadata, versioned, ...args } = config as Record<string, unknown> & { type: string };
  const typeSource = ctx.locate([...at, "type"]);
  const factoryCtx: DatasetFactoryContext = {
    name,
    projectRoot: ctx.projectRoot,
    source,
    metadata: metadata as Record<string, unknown> | undefined,
    version: versioned === true ? ctx.versionFor(name) : undefined,
    createDataset: ctx.createDataset,
  };
  try {
    if (type.includes("#")) {
      return await customDataset(
        type,
        { ...args, ...(versioned !== undefined ? { versioned } : {}) },
        factoryCtx,
        typeSource,
      );
    }
    const def = ctx.registry.lookup(type);
    if (!def) {
      const guess = didYouMeanHint(type, ctx.registry.allNames());
      throw new DatasetError("catalog/unknown-type", `Unknown dataset type "${type}" for "${name}"`, {
        source: typeSource,
        hint: (guess ? `${guess} ` : "") +
          `known types: ${
            ctx.registry.typeNames().join(", ")
          }; or your own class: ./datasets/my.ts#MyDataset`,
      });
    }
    if (versioned === true && !def.versionable) {
      throw new DatasetError(
        "catalog/not-versionable",
        `Dataset type "${type}" of "${name}" does not support versioned: true`,
        {
          source: ctx.locate([...at, "versioned"]),
          hint: "versioning works for file datasets (json, yaml, text, csv, parquet, binary, pickle)",
        },
      );
    }
    const parsed = def.schema.safeParse(versioned === undefined ? args : { ...args, versioned });
    if (!parsed.success) {
      const errors = issuesToErrors(def.schema, parsed.error.issues, ctx, {
        value: args,
        code: "catalog/bad-argument",
        what: `dataset "${name}" (${type})`,
        basePath: at,
      });
      throw errors.length === 1
        ? errors[0]
        : new KmlfAggregateError(errors, `Invalid catalog entry "${name}"`);
    }
    return await def.factory(parsed.data as Record<string, unknown>, factoryCtx);
  } catch (error) {
    if (error instanceof KmlfError) {
      if (error.source) throw error;
      throw new DatasetError(error.code, error.message, { source, hint: error.hint, cause: error.cause });
    }
    throw new DatasetError(
      "catalog/create-failed",
      `Cannot create dataset "${name}" (${type}): ${(error as Error).message}`,
      {
        source,
        cause: error,
        hint: "check the entry's arguments",
      },
    );
  }
}

// Any `credentials: <name>` string, at any mapping depth, becomes that entry of credentials.yml.
function injectCredentials(
  config: Record<string, unknown>,
  at: KeyPath,
  ctx: EntryContext,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === "credentials" && typeof value === "string") {
      if (!(value in ctx.credentials)) {
        const known = Object.keys(ctx.credentials);
        throw new DatasetError("catalog/unknown-credentials", `Unable to find credentials "${value}"`, {
          source: ctx.locate([...at, key]),
          hint: (didYouMeanHint(value, known) ? `${didYouMeanHint(value, known)} ` : "") +
            (known.length
              ? `defined credentials: ${known.join(", ")}`
              : "define it in conf/local/credentials.yml"),
        });
      }
      out[key] = ctx.credentials[value];
    } else if (value && typeof value === "object" && !Array.isArray(value)) {
      out[key] = injectCredentials(value as Record<string, unknown>, [...at, key], ctx);
    } else out[key] = value;
  }
  return out;
}

function absolutePaths(config: Record<string, unknown>, root: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (PATH_KEYS.has(key) && typeof value === "string" && !value.includes("://") && !isAbsolute(value)) {
      out[key] = resolve(root, value);
    } else if (value && typeof value === "object" && !Array.isArray(value) && key !== "credentials") {
      out[key] = absolutePaths(value as Record<string, unknown>, root);
    } else out[key] = value;
  }
  return out;
}

// `./datasets/my.ts#MyDataset`: a user class, constructed with the camelCased arguments.
async function customDataset(
  type: string,
  args: Record<string, unknown>,
  ctx: DatasetFactoryContext,
  source: SourceLocation | undefined,
): Promise<Dataset> {
  const hash = type.lastIndexOf("#");
  const file = resolve(ctx.projectRoot, type.slice(0, hash));
  const exportName = type.slice(hash + 1);
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (cause) {
    throw new DatasetError(
      "catalog/custom-import-failed",
      `Cannot import dataset module ${file}: ${(cause as Error).message.split("\n")[0]}`,
      {
        source,
        cause,
        hint: "custom dataset paths are relative to the project root",
      },
    );
  }
  const Cls = mod[exportName];
  if (typeof Cls !== "function") {
    throw new DatasetError(
      "catalog/custom-not-a-class",
      `Module ${file} has no class export "${exportName}"`,
      {
        source,
        hint: didYouMeanHint(exportName, Object.keys(mod)) ||
          `exports: ${Object.keys(mod).join(", ") || "(none)"}`,
      },
    );
  }
  const options: Record<string, unknown> = { name: ctx.name, metadata: ctx.metadata, version: ctx.version };
  for (const [k, v] of Object.entries(args)) {
    if (k !== "versioned") options[k.replace(/_([a-z])/g, (_, c) => c.toUpperCase())] = v;
  }
  const ds = new (Cls as new (o: Record<string, unknown>) => Dataset)(options);
  for (const method of ["load", "save", "describe"] as const) {
    if (typeof (ds as unknown as Record<string, unknown>)[method] !== "function") {
      throw new DatasetError(
        "catalog/custom-incomplete",
        `Dataset class ${exportName} has no ${method}() method`,
        {
          source,
          hint: "implement the Dataset interface: load(), save(data), exists(), describe()",
        },
      );
    }
  }
  if (typeof ds.exists !== "function") (ds as { exists: () => boolean }).exists = () => false;
  return ds;
}
