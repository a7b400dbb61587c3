/**
 * The runs a `MlflowClient` started and has not ended yet, innermost last: each nested in the one
 * before, so ending a run ends the runs started inside it, and `withRun` ends its run however `fn` ends.
 *
 * @module
 */
import { ActiveRun, type RunClient } from "./active_run.ts";
import type { RunStatus } from "../entities.ts";
import type { StartRunOptions } from "./client_options.ts";
import { createOrResumeRun, type StartRunClient } from "./_start_run.ts";

/**
 * A client's stack of active runs.
 *
 * @example
 * ```ts
 * const runs = new RunStack();
 * const run = await runs.start(client, { runName: "train" }, true);
 * runs.innermost() === run; // true
 * ```
 */
export class RunStack {
  readonly #active: ActiveRun[] = [];

  /** The innermost run not yet ended. */
  innermost(): ActiveRun | undefined {
    return this.#active.at(-1);
  }

  /** Every run not yet ended, outermost first. */
  all(): readonly ActiveRun[] {
    return [...this.#active];
  }

  /** Starts (or resumes) a run of `client` and puts it on top of the stack until it ends. */
  async start(
    client: StartRunClient & RunClient,
    options: StartRunOptions,
    processHooks: boolean,
  ): Promise<ActiveRun> {
    const run = await createOrResumeRun(client, options);
    const active = new ActiveRun(client, run, {
      processHooks,
      onEnd: (r) => {
        const i = this.#active.indexOf(r);
        if (i >= 0) this.#active.splice(i, 1);
      },
      // Every run above it on the stack was started inside it (a parent must be the active run).
      innerRuns: (r) => {
        const i = this.#active.indexOf(r);
        return i >= 0 ? this.#active.slice(i + 1) : [];
      },
    });
    this.#active.push(active);
    return active;
  }

  /** Ends every run on the stack, innermost first. */
  async endAll(status: RunStatus): Promise<void> {
    for (const run of [...this.#active].reverse()) await run.end(status);
  }
}

/**
 * Runs `fn` inside `run`: ends it FINISHED when `fn` resolves, FAILED (after flushing) when it throws.
 *
 * @example
 * ```ts
 * await insideRun(await client.startRun({}), async (run) => run.logMetric("loss", 0.1));
 * ```
 */
export async function insideRun<T>(run: ActiveRun, fn: (run: ActiveRun) => Promise<T> | T): Promise<T> {
  let result: T;
  try {
    result = await fn(run);
  } catch (error) {
    await run.endQuietly("FAILED");
    throw error;
  }
  await run.end("FINISHED");
  return result;
}
