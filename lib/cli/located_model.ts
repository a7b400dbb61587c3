/**
 * The model a `kmlf models predict|serve` found, handed to the kmlf it starts in the model's environment
 * (`model_environment.ts`): that process loads the same folder instead of resolving the URI again, so a
 * `models:/name@alias` moved meanwhile cannot make it serve another version than the one whose pins were
 * checked (nor a `runs:/` model be downloaded twice).
 *
 * @module
 */
import type { ModelOrigin } from "../models/mod.ts";
import { isRecord } from "../is_record.ts";

/** The environment variable the model's process reads the located model from. */
export const LOCATED_MODEL_ENV = "KMLF_LOCATED_MODEL";

/** A model URI's folder on this machine and where it came from. */
export interface LocatedModel {
  dir: string;
  origin: ModelOrigin;
}

/**
 * The value of {@link LOCATED_MODEL_ENV} for `located`.
 *
 * @example
 * ```ts
 * locatedModelValue({ dir: "/cache/1a2b/model", origin: { uri: "models:/iris@champion" } });
 * ```
 */
export function locatedModelValue(located: LocatedModel): string {
  return JSON.stringify(located);
}

/**
 * The model the launching kmlf located for `uri`, or undefined (not started by one, or for another URI).
 *
 * @example
 * ```ts
 * const located = inheritedModel("models:/iris@champion") ?? await locateModel("models:/iris@champion", { store });
 * ```
 */
export function inheritedModel(
  uri: string,
  value: string | undefined = Deno.env.get(LOCATED_MODEL_ENV),
): LocatedModel | undefined {
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (
      isRecord(parsed) && typeof parsed.dir === "string" && isRecord(parsed.origin) &&
      parsed.origin.uri === uri
    ) {
      return { dir: parsed.dir, origin: parsed.origin as unknown as ModelOrigin };
    }
  } catch { /* not ours: resolve the URI */ }
  return undefined;
}
