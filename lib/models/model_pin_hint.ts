/**
 * A model's code failed to load. When it imports a package this kmlf process does not map, the fix is not
 * `deno add` in a project the user may not have, but the version the model was logged with, which
 * `code/deno.json` pins; when this process gives it other versions of the packages it pins, that is the
 * likely cause (`z.looseObject is not a function` from zod 3 where it was logged with zod 4). Loaded only
 * when a model's code fails to load.
 *
 * @module
 */
import { KmlfError } from "../errors.ts";
import { join } from "../path.ts";
import { importMapLookup } from "../project_aliases.ts";
import { modelPins } from "./pinned_versions.ts";

/**
 * `error` with a hint naming the model's pin for the package it could not import, or `error` itself when
 * it is another failure (or the model pins nothing for it).
 *
 * @example
 * ```ts
 * throw await withModelPinHint(error, "/tmp/model");
 * ```
 */
export async function withModelPinHint(error: unknown, dir: string): Promise<unknown> {
  if (!(error instanceof KmlfError)) return error;
  const alias = error.message.match(/"([^"]+)" is neither a relative path nor a package the project's/)?.[1];
  if (alias !== undefined) {
    // The project's deno.json mapped it to one of its files ("@/": "./src/"): the model has no such map.
    return withHint(
      error,
      `the model's code imports "${alias}" through an import map of the project it was logged from, which ` +
        "the model does not carry: predict or serve it from that project, or import the module by a relative " +
        "path there and log the model again",
    );
  }
  const name = error.message.match(/"([^"]+)" is not mapped in the project's deno.json/)?.[1];
  if (name === undefined) return error;
  const pinsFile = join(dir, "code", "deno.json");
  // No readable pins: a generic hint still says where a mapping goes.
  const [key, target] = importMapLookup(await modelPins(dir), name) ?? [];
  const hint = target !== undefined
    ? `the model was logged with "${key}" as ${target} (${pinsFile}): \`kmlf models predict|serve\` ` +
      `without --env-manager local give it that version; or load it in a project whose deno.json maps it ` +
      `(\`deno add ${target.replace(/\/$/, "")}\` there), as the project it was trained in does`
    : `the model's ${pinsFile} pins no "${name}" (logged by an older kmlf): predict or serve it from the ` +
      `project it was trained in, or from one whose deno.json maps "${name}" (\`deno add npm:${name}\`)`;
  return withHint(error, hint);
}

function withHint(error: KmlfError, hint: string): KmlfError {
  const Kind = error.constructor as typeof KmlfError;
  return new Kind(error.code, error.message, {
    source: error.source,
    cause: error.cause,
    userCode: error.userCode,
    hint,
  });
}

/**
 * `error` with the model's package version mismatches ({@link pinnedVersionNotes} of
 * `./pinned_versions.ts`) added to its hint, or `error` itself when there are none.
 *
 * @example
 * ```ts
 * throw withVersionNotes(error, ["zod: the model was logged with npm:zod@4.6.7, this kmlf gives it zod 3.23.8"]);
 * ```
 */
export function withVersionNotes(error: unknown, notes: readonly string[]): unknown {
  if (!(error instanceof KmlfError) || notes.length === 0) return error;
  const mismatch = `the model's packages are not the versions it was logged with (${notes.join("; ")}): ` +
    "`kmlf models predict|serve` without --env-manager local give it those versions; or map them in the " +
    "project's deno.json, or predict from the project it was trained in";
  return withHint(error, error.hint ? `${mismatch}; else ${error.hint}` : mismatch);
}
