/**
 * What `kmlf gc` will delete, decided with MLflow 2.17.2's rules (`mlflow/cli.py` `gc`) and checked whole
 * before anything is deleted (MLflow raises half-way, after some runs are gone):
 *
 * - runs: `--run-ids`, else every deleted run (older than `--older-than`, by `deleted_time`);
 * - experiments: `--experiment-ids`, else every deleted experiment (`last_update_time` older than
 *   `--older-than`); each brings all its deleted runs;
 * - refused: an unknown id, a run or experiment not in the `deleted` stage, one younger than
 *   `--older-than` — and, with `--older-than`, a run without `deleted_time` (its age is unknown).
 *
 * @module
 */
import { KmlfAggregateError, KmlfError, UsageError } from "../errors.ts";
import type { DeletedRun, Experiment, TrackingStore } from "../tracking/mod.ts";
import type { GcArgs } from "./gc_args.ts";

/** One run to delete. */
export interface PlannedRun {
  runId: string;
  experimentId: string;
  artifactUri: string;
}

/** Everything one `kmlf gc` deletes, in order: the runs, then the experiments. */
export interface GcPlan {
  runs: PlannedRun[];
  experimentIds: string[];
}

const STAGE_HINT = "delete it first (the UI's Delete, or MlflowClient.deleteRun / deleteExperiment), " +
  "or leave its id out";

async function allPages<T>(page: (token?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const got = await page(token);
    out.push(...got.items);
    token = got.next;
  } while (token);
  return out;
}

function notFound(error: unknown): boolean {
  return error instanceof KmlfError && error.code === "RESOURCE_DOES_NOT_EXIST";
}

async function chosenExperiments(
  store: TrackingStore,
  args: GcArgs,
  threshold: number,
  problems: KmlfError[],
) {
  if (!args.experimentIds) {
    const filter = args.olderThan ? `last_update_time < ${threshold}` : undefined;
    const found = await allPages<Experiment>(async (token) => {
      const p = await store.searchExperiments({ viewType: "DELETED_ONLY", filter, pageToken: token });
      return { items: p.experiments, next: p.nextPageToken };
    });
    return found.map((e) => e.experimentId);
  }
  for (const id of args.experimentIds) {
    let experiment: Experiment;
    try {
      experiment = await store.getExperiment(id);
    } catch (error) {
      if (!notFound(error)) throw error;
      problems.push(
        new UsageError("cli/gc-unknown-id", `--experiment-ids: no experiment with ID ${id} in this store`, {
          hint: "check the id (and the store: --backend-store-uri, or the project's mlflow.yml)",
        }),
      );
      continue;
    }
    if (experiment.lifecycleStage !== "deleted") {
      problems.push(
        new UsageError(
          "cli/gc-not-deleted",
          `Experiment ${id} ('${experiment.name}') is not in the deleted lifecycle stage: ` +
            "only deleted experiments can be hard-deleted",
          { hint: STAGE_HINT },
        ),
      );
    } else if (args.olderThan && (experiment.lastUpdateTime ?? threshold) >= threshold) {
      problems.push(
        new UsageError(
          "cli/gc-too-recent",
          `Experiment ${id} is not older than the required age: only experiments older than ` +
            `${args.olderThan.text} can be deleted`,
          { hint: "drop --older-than or its id, or wait" },
        ),
      );
    }
  }
  return args.experimentIds;
}

function runProblem(
  runId: string,
  args: GcArgs,
  run: DeletedRun | undefined,
  old: boolean,
): KmlfError | undefined {
  if (!run) {
    return new UsageError(
      "cli/gc-not-deleted",
      `Run ${runId} is not in the deleted lifecycle stage: only deleted runs can be hard-deleted`,
      { hint: STAGE_HINT },
    );
  }
  if (!args.olderThan || old) return undefined;
  if (run.deletedTime === null) {
    return new UsageError(
      "cli/gc-no-deleted-time",
      `Run ${runId} has no deleted_time, so --older-than ${args.olderThan.text} cannot tell its age`,
      { hint: "collect it without --older-than (kmlf gc --run-ids <id>)" },
    );
  }
  return new UsageError(
    "cli/gc-too-recent",
    `Run ${runId} is not older than the required age: only runs older than ${args.olderThan.text} can be deleted`,
    { hint: "drop --older-than or its id, or wait" },
  );
}

/**
 * The runs and experiments to delete, or every problem with the arguments at once.
 *
 * @example
 * ```ts
 * const plan = await planGc(store, parseGcArgs({ olderThan: "30d" }, () => undefined), Date.now());
 * ```
 */
export async function planGc(store: TrackingStore, args: GcArgs, now: number): Promise<GcPlan> {
  const deleted = await store.hardDeletes!.deletedRuns();
  const byId = new Map(deleted.map((r) => [r.runId, r]));
  const threshold = now - (args.olderThan?.ms ?? 0);
  // MLflow's `_get_deleted_runs(older_than)`; without --older-than every deleted run (those without a
  // deleted_time too: MLflow's SQL store skips them, its file store takes them).
  const isOld = (r: DeletedRun) => !args.olderThan || (r.deletedTime !== null && r.deletedTime <= threshold);
  const problems: KmlfError[] = [];
  const runIds = args.runIds ?? deleted.filter(isOld).map((r) => r.runId);
  if (args.runIds) {
    for (const id of args.runIds) {
      if (!byId.has(id)) {
        // Not deleted, or not there at all: MLflow's get_run tells which.
        const exists = await store.getRun(id).then(
          () => true,
          (e) => notFound(e) ? false : Promise.reject(e),
        );
        if (!exists) {
          problems.push(
            new UsageError("cli/gc-unknown-id", `--run-ids: no run with ID ${id} in this store`, {
              hint: "check the id (and the store: --backend-store-uri, or the project's mlflow.yml)",
            }),
          );
          continue;
        }
      }
      const problem = runProblem(id, args, byId.get(id), byId.has(id) && isOld(byId.get(id)!));
      if (problem) problems.push(problem);
    }
  }
  const experimentIds = await chosenExperiments(store, args, threshold, problems);
  const fromExperiments = deleted.filter((r) => experimentIds.includes(r.experimentId));
  for (const r of fromExperiments) {
    if (runIds.includes(r.runId)) continue;
    const problem = runProblem(r.runId, args, r, isOld(r));
    if (problem) {
      problems.push(
        new UsageError(problem.code, `${problem.message} (it belongs to experiment ${r.experimentId})`, {
          hint: "drop --older-than, or leave the experiment out with --experiment-ids",
        }),
      );
    } else runIds.push(r.runId);
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) {
    throw new KmlfAggregateError(
      problems,
      `kmlf gc deleted nothing: ${problems.length} problems with the arguments`,
    );
  }
  const runs = runIds.map((id) => byId.get(id)!).map(({ runId, experimentId, artifactUri }) => ({
    runId,
    experimentId,
    artifactUri,
  }));
  return { runs, experimentIds };
}
