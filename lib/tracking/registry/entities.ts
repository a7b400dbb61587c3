/**
 * The model registry's vocabulary, as MLflow 2.17 defines it (`mlflow/entities/model_registry`):
 * registered models, their versions, stages, statuses and aliases.
 *
 * @module
 */
import { mlflowError } from "../tracking_errors.ts";

/** A model version's stage (deprecated by MLflow in favour of aliases, still in its API). */
export type ModelVersionStage = "None" | "Staging" | "Production" | "Archived";

/** Every stage a version can be moved to, in MLflow's order. */
export const MODEL_VERSION_STAGES: readonly ModelVersionStage[] = [
  "None",
  "Staging",
  "Production",
  "Archived",
];

/** The stages `archive_existing_versions` applies to (MLflow's DEFAULT_STAGES_FOR_GET_LATEST_VERSIONS). */
export const ACTIVE_STAGES: readonly ModelVersionStage[] = ["Staging", "Production"];

/** The stage MLflow's stores give a deleted version; such versions are never returned. */
export const DELETED_STAGE = "Deleted_Internal";

/** A model version's registration status. */
export type ModelVersionStatus = "PENDING_REGISTRATION" | "FAILED_REGISTRATION" | "READY";

/**
 * A stage in MLflow's spelling, whatever its case (`production` → `Production`).
 *
 * @example
 * ```ts
 * canonicalStage("staging"); // "Staging"
 * canonicalStage("Bogus"); // throws INVALID_PARAMETER_VALUE
 * ```
 */
export function canonicalStage(stage: string): ModelVersionStage {
  const found = MODEL_VERSION_STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (!found) {
    throw mlflowError(
      "INVALID_PARAMETER_VALUE",
      `Invalid Model Version stage: ${stage}. Value must be one of ${MODEL_VERSION_STAGES.join(", ")}.`,
    );
  }
  return found;
}

/** One version of a registered model. `version` is a decimal string, as on MLflow's wire. */
export interface ModelVersion {
  /** The registered model's name. */
  name: string;
  /** The version number as a decimal string (`"1"`, `"2"`, …). */
  version: string;
  /** ms since the epoch. */
  creationTimestamp: number | null;
  /** ms since the epoch of the last change. */
  lastUpdatedTimestamp: number | null;
  /** null = never set; "" = set empty (MLflow's server stores "" when a request omits it). */
  description: string | null;
  /** Who registered the version, when the store knows. */
  userId: string | null;
  /** A {@link ModelVersionStage} (a database written by someone else may hold any text). */
  currentStage: string;
  /** Where the model's files are: an artifact URI, `runs:/…` or `models:/…`. */
  source: string | null;
  /** The run that produced the model, when known. */
  runId: string | null;
  /** A link to that run on the tracking server, when given. */
  runLink: string | null;
  /** Registration status; versions kmlf creates are READY. */
  status: ModelVersionStatus;
  /** Why registration failed or is pending, when the store says. */
  statusMessage: string | null;
  /** The version's tags. */
  tags: Record<string, string>;
  /** Aliases pointing at this version. */
  aliases: string[];
}

/** A registered model: a name with versions, tags and aliases. */
export interface RegisteredModel {
  /** The model's unique, case-sensitive name. */
  name: string;
  /** ms since the epoch of its creation. */
  creationTimestamp: number | null;
  /** ms since the epoch of the last change. */
  lastUpdatedTimestamp: number | null;
  /** null = never set; "" = set empty. */
  description: string | null;
  /** The newest version in each stage (MLflow's `latest_versions`). */
  latestVersions: ModelVersion[];
  /** The model's tags. */
  tags: Record<string, string>;
  /** alias → version. */
  aliases: Record<string, string>;
}

/**
 * The newest version per stage, deleted versions left out, in the order the stages first appear in
 * `items` (MLflow's `latest_versions`).
 *
 * @example
 * ```ts
 * latestPerStage(versions, (v) => ({ stage: v.currentStage, version: Number(v.version) }));
 * ```
 */
export function latestPerStage<T>(
  items: readonly T[],
  describe: (item: T) => { stage: string; version: number },
): T[] {
  const latest = new Map<string, { item: T; version: number }>();
  for (const item of items) {
    const { stage, version } = describe(item);
    if (stage === DELETED_STAGE) continue;
    const seen = latest.get(stage);
    if (!seen || seen.version < version) latest.set(stage, { item, version });
  }
  return [...latest.values()].map((l) => l.item);
}
