/**
 * The registered model versions whose files `kmlf gc` is about to delete. MLflow 2.17.2's `mlflow gc`
 * deletes a run's artifacts without looking at the registry: a version registered from the run keeps
 * pointing at files that are gone (`models:/iris/1` then fails to load). kmlf finds those versions — by
 * where their files are: a source (or, for a `models:/` source, the storage location it resolved to)
 * inside a collected run's artifacts, or `runs:/<collected run>/…` — and does not delete their files:
 * a run (or deleted experiment) gc would collect by default is kept, with a warning naming each version;
 * one named by `--run-ids` / `--experiment-ids` is refused before anything is deleted. Delete the model
 * version first (the order MLflow users follow), then gc collects the run. A registry that cannot be
 * read stops gc before anything is deleted.
 *
 * @module
 */
import { KmlfAggregateError, UsageError } from "../errors.ts";
import type { ModelVersion, TrackingStore } from "../tracking/mod.ts";
import type { GcArgs } from "./gc_args.ts";
import type { GcPlan, PlannedRun } from "./gc_plan.ts";
import { err, style } from "./terminal.ts";

/** A registered version whose files go with a collected run. */
export interface AffectedVersion {
  version: ModelVersion;
  /** Where its files are. */
  location: string;
  /** The collected run they belong to. */
  runId: string;
}

// One spelling per location: the store's own reading of an artifact URI (a relative folder of a SQLite
// store and its absolute file URI compare equal), without a trailing slash.
function canonical(store: TrackingStore, uri: string): string {
  let root = uri;
  try {
    root = store.getArtifactRepository(uri).rootUri;
  } catch {
    // Not an artifact location (runs:/…): compared as written.
  }
  return root.replace(/\/+$/, "");
}

/**
 * Every registered version whose files are under one of `runs`' artifacts.
 *
 * @example
 * ```ts
 * for (const a of await versionsInCollectedRuns(store, plan.runs)) console.warn(a.version.name);
 * ```
 */
export async function versionsInCollectedRuns(
  store: TrackingStore,
  runs: readonly PlannedRun[],
): Promise<AffectedVersion[]> {
  if (runs.length === 0) return [];
  const byId = new Map(runs.map((r) => [r.runId, r]));
  const roots = runs.filter((r) => r.artifactUri).map((r) => ({
    root: canonical(store, r.artifactUri),
    runId: r.runId,
  }));
  const found: AffectedVersion[] = [];
  try {
    let pageToken: string | undefined;
    do {
      const page = await store.registry.searchModelVersions({ pageToken });
      for (const version of page.modelVersions) {
        if (!version.source) continue;
        const location = /^models:/i.test(version.source)
          ? await store.registry.getModelVersionDownloadUri(version.name, version.version)
          : version.source;
        const runsSource = location.match(/^runs:\/+([^/]+)/i)?.[1];
        if (runsSource && byId.has(runsSource)) {
          found.push({ version, location, runId: runsSource });
          continue;
        }
        const at = canonical(store, location);
        const inside = roots.find(({ root }) => at === root || at.startsWith(`${root}/`));
        if (inside) found.push({ version, location, runId: inside.runId });
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
  } catch (error) {
    throw new UsageError(
      "cli/gc-registry",
      `Cannot read the model registry of this store, so kmlf gc cannot tell which registered model ` +
        `versions use the files of the runs it would delete: ${
          error instanceof Error ? error.message : error
        }`,
      {
        hint: "nothing was deleted: fix access to the store (or its registry tables) and run kmlf gc again",
        cause: error,
      },
    );
  }
  return found;
}

const WAY_OUT =
  "delete the model version first (its page in the web UI, or MlflowClient.deleteModelVersion) " +
  "and run kmlf gc again; or keep the run (kmlf runs restore --run-id <id>)";

function describe(a: AffectedVersion): string {
  return `model version '${a.version.name}' ${a.version.version} keeps its files in run ${a.runId}'s ` +
    `artifacts (${a.location})`;
}

/**
 * Takes the runs holding registered versions' files (and the deleted experiments holding those runs) out
 * of `plan`, warning for each; throws when `--run-ids` or `--experiment-ids` named one. Returns how many
 * runs were kept.
 *
 * @example
 * ```ts
 * keepRegisteredFiles(plan, args, await versionsInCollectedRuns(store, plan.runs));
 * ```
 */
export function keepRegisteredFiles(
  plan: GcPlan,
  args: GcArgs,
  affected: readonly AffectedVersion[],
): number {
  if (affected.length === 0) return 0;
  const held = new Set(affected.map((a) => a.runId));
  const heldExperiments = new Set(plan.runs.filter((r) => held.has(r.runId)).map((r) => r.experimentId));
  const problems: UsageError[] = [];
  for (const a of affected) {
    const experimentId = plan.runs.find((r) => r.runId === a.runId)!.experimentId;
    const named = args.runIds?.includes(a.runId)
      ? `--run-ids names run ${a.runId}`
      : args.experimentIds?.includes(experimentId)
      ? `--experiment-ids names experiment ${experimentId}, which holds run ${a.runId}`
      : undefined;
    if (named) {
      problems.push(
        new UsageError(
          "cli/gc-registered-files",
          `${named}, but ${describe(a)}: deleting the run would leave the version without its files`,
          { hint: WAY_OUT },
        ),
      );
    }
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) {
    throw new KmlfAggregateError(
      problems,
      `kmlf gc deleted nothing: ${problems.length} problems with the arguments`,
    );
  }
  for (const a of affected) err(style.yellow(`warning: kept run ${a.runId}: ${describe(a)}`));
  const keptExperiments = plan.experimentIds.filter((id) => heldExperiments.has(id));
  if (keptExperiments.length) {
    err(
      style.yellow(
        `warning: kept deleted experiment(s) ${keptExperiments.join(", ")}, which hold those runs`,
      ),
    );
  }
  err(style.yellow(`  ${WAY_OUT}`));
  plan.runs = plan.runs.filter((r) => !held.has(r.runId));
  plan.experimentIds = plan.experimentIds.filter((id) => !heldExperiments.has(id));
  return held.size;
}
