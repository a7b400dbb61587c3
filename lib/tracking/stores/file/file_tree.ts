/** Locating experiments and runs inside an mlruns tree, and changing their lifecycle stage. */
import { join } from "../../../path.ts";
import type { Experiment } from "../../entities.ts";
import { validateRunId } from "../../key_validation.ts";
import { fileRunNotActive, fileRunNotFound, isExperimentId } from "./file_errors.ts";
import { readMeta, writeMeta } from "./file_format.ts";
import { isMetaFile, leadsOutOf } from "./folder_links.ts";
import { readExperiment } from "./file_read.ts";

/** Where deleted experiments are moved. */
export const TRASH = ".trash";

/**
 * The folders experiments live in: the store's root and its `.trash` — unless `.trash` is a symbolic link
 * leading out of the store (planted: nothing there is the store's, and no experiment is moved there).
 *
 * @example
 * ```ts
 * for (const base of experimentBases("/srv/mlruns")) console.log(base); // "/srv/mlruns", "/srv/mlruns/.trash"
 * ```
 */
export function experimentBases(root: string): string[] {
  return leadsOutOf(root, TRASH) ? [root] : [root, join(root, TRASH)];
}

/** The folder of experiment `id` (active or in .trash), if it exists (never for an id that is not a name). */
export async function experimentDir(root: string, id: string): Promise<string | undefined> {
  if (!isExperimentId(id)) return undefined;
  for (const dir of experimentBases(root).map((base) => join(base, id))) {
    if (await readMeta(join(dir, "meta.yaml"))) return dir;
  }
  return undefined;
}

/** Every experiment, active and deleted. */
export async function allExperiments(root: string): Promise<Experiment[]> {
  const out: Experiment[] = [];
  for (const base of experimentBases(root)) {
    for (const e of Deno.readDirSync(base)) {
      if (
        e.isDirectory && e.name !== TRASH && !e.name.startsWith(".") &&
        await readMeta(join(base, e.name, "meta.yaml"))
      ) {
        out.push(await readExperiment(join(base, e.name)));
      }
    }
  }
  return out;
}

/** Rewrites an experiment's meta.yaml with `changes` and a new last_update_time. */
export async function updateExperimentMeta(
  root: string,
  id: string,
  changes: Record<string, unknown>,
): Promise<void> {
  const dir = (await experimentDir(root, id))!;
  const meta = (await readMeta(join(dir, "meta.yaml")))!;
  await writeMeta(join(dir, "meta.yaml"), { ...meta, ...changes, last_update_time: Date.now() });
}

/** The folder of run `runId` in any experiment; RESOURCE_DOES_NOT_EXIST when there is none. */
export async function runDir(root: string, runId: string): Promise<string> {
  validateRunId(runId);
  for (const base of experimentBases(root)) {
    for (const e of Deno.readDirSync(base)) {
      if (!e.isDirectory || e.name.startsWith(".")) continue;
      const dir = join(base, e.name, runId);
      const meta = await readMeta(join(dir, "meta.yaml"));
      if (meta && String(meta.experiment_id) === e.name) return dir;
    }
  }
  throw fileRunNotFound(runId);
}

/** How many run folders {@link RunFolders} remembers. */
const REMEMBERED_RUNS = 10_000;

/**
 * Run folders by run id, remembered between calls (checked before use, since deleting an experiment
 * moves its runs to .trash) so that logging does not scan every experiment per call.
 */
export class RunFolders {
  readonly #root: string;
  readonly #known = new Map<string, string>();

  constructor(root: string) {
    this.#root = root;
  }

  /** The run's folder (deleted runs too), else RESOURCE_DOES_NOT_EXIST. */
  async find(runId: string): Promise<string> {
    validateRunId(runId);
    const known = this.#known.get(runId);
    if (known && isMetaFile(join(known, "meta.yaml"))) return known;
    const dir = await runDir(this.#root, runId);
    // Bounded for long-lived servers: the oldest entry goes first (it is only a shortcut).
    if (this.#known.size >= REMEMBERED_RUNS) this.#known.delete(this.#known.keys().next().value!);
    this.#known.set(runId, dir);
    return dir;
  }

  /** Like {@link find}, but the run must not be deleted. */
  async findActive(runId: string): Promise<string> {
    const dir = await this.find(runId);
    const meta = (await readMeta(join(dir, "meta.yaml")))!;
    if (meta.lifecycle_stage === "deleted") throw fileRunNotActive(runId);
    return dir;
  }
}

/** Deleting an experiment deletes its runs, and restoring restores them (as the SQL store does). */
export async function setRunsStage(experimentDir: string, stage: "active" | "deleted"): Promise<void> {
  for (const e of Deno.readDirSync(experimentDir)) {
    if (e.isDirectory && /^[0-9a-f]{32}$/.test(e.name)) {
      await setRunStage(join(experimentDir, e.name), stage);
    }
  }
}

/** Sets one run's lifecycle stage (and deleted_time). */
export async function setRunStage(dir: string, stage: "active" | "deleted"): Promise<void> {
  const meta = (await readMeta(join(dir, "meta.yaml")))!;
  await writeMeta(join(dir, "meta.yaml"), {
    ...meta,
    lifecycle_stage: stage,
    deleted_time: stage === "deleted" ? Date.now() : null,
  });
}
