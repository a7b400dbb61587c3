/**
 * `kmlf gc`'s permanent deletes in an mlruns tree, as MLflow's `FileStore` does them: a run is its
 * folder (params, metrics, tags, inputs and — for runs with the default artifact location — artifacts);
 * a deleted experiment is its folder in `.trash` (with every run, dataset and tag). The registry under
 * `models/` is not touched, so versions naming a gc'ed run stay, as in MLflow.
 *
 * @module
 */
import { join } from "../../../path.ts";
import type { DeletedRun, HardDeletes } from "../hard_delete.ts";
import { deletedExperimentNotFound, isExperimentId } from "./file_errors.ts";
import { readMeta } from "./file_format.ts";
import { experimentBases, type RunFolders, TRASH } from "./file_tree.ts";
import { withStoreLock } from "./store_lock.ts";

const RUN_ID = /^[0-9a-f]{32}$/;

// A meta.yaml time as MLflow reads it (`int(meta["deleted_time"])`), or null when missing or unreadable.
function timeOf(value: unknown): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : null;
}

async function deletedRunsIn(root: string): Promise<DeletedRun[]> {
  const found: DeletedRun[] = [];
  for (const base of experimentBases(root)) {
    for (const e of Deno.readDirSync(base)) {
      if (!e.isDirectory || e.name.startsWith(".") || !isExperimentId(e.name)) continue;
      for (const r of Deno.readDirSync(join(base, e.name))) {
        if (!r.isDirectory || !RUN_ID.test(r.name)) continue;
        const meta = await readMeta(join(base, e.name, r.name, "meta.yaml"));
        // A run whose meta names another experiment is ignored by MLflow's reader; so here.
        if (!meta || String(meta.experiment_id) !== e.name || meta.lifecycle_stage !== "deleted") continue;
        found.push({
          runId: r.name,
          experimentId: e.name,
          deletedTime: timeOf(meta.deleted_time),
          artifactUri: typeof meta.artifact_uri === "string" ? meta.artifact_uri : "",
        });
      }
    }
  }
  return found.sort((a, b) => a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0);
}

/**
 * The permanent deletes of the file store rooted at `root`.
 *
 * @example
 * ```ts
 * const hardDeletes = fileHardDeletes("/abs/mlruns", new RunFolders("/abs/mlruns"));
 * ```
 */
export function fileHardDeletes(root: string, runs: RunFolders): HardDeletes {
  return {
    deletedRuns: () => deletedRunsIn(root),
    hardDeleteRun: async (runId) => {
      const dir = await runs.find(runId);
      await withStoreLock(root, () => Deno.remove(dir, { recursive: true }));
    },
    hardDeleteExperiment: async (experimentId) => {
      const dir = join(root, TRASH, experimentId);
      const inTrash = isExperimentId(experimentId) && experimentBases(root).includes(join(root, TRASH));
      const meta = inTrash ? await readMeta(join(dir, "meta.yaml")) : undefined;
      if (!meta || meta.lifecycle_stage !== "deleted") throw deletedExperimentNotFound(experimentId);
      await withStoreLock(root, () => Deno.remove(dir, { recursive: true }));
    },
  };
}
