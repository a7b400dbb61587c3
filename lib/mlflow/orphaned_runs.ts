/**
 * Runs whose kmlf process died without ending them (V8 out of memory exits 133 with no hook run, `kill -9`,
 * a reboot) stay RUNNING forever. Every run kmlf starts records which process it is (tags `kmlf.host`,
 * `kmlf.pid`, `kmlf.pid_start`, `kmlf.pid_ns`); a later tracked run or `kmlf mlflow ui` lists the experiment's RUNNING runs
 * of this host whose process is gone, with the command that ends them. Nothing is changed automatically:
 * a run of another host or container is never listed, and ending a run is the user's call.
 *
 * @module
 */
import { readTextFile } from "../file_io.ts";
import type { RunRef, TrackingPort } from "./tracking_port.ts";
import { markedRuns, markRunEnded } from "./run_markers.ts";
import { readStopRecord, removeStopRecord } from "../stop_records.ts";

/** What finding them needs: one search of an experiment's runs (a client, or the server's store). */
export type RunSearcher = Pick<TrackingPort, "searchRuns">;

/** The tags naming the process of a run kmlf started. */
export const PROCESS_TAGS = {
  host: "kmlf.host",
  pid: "kmlf.pid",
  pidStart: "kmlf.pid_start",
  pidNamespace: "kmlf.pid_ns",
} as const;

/**
 * This machine's name, or undefined when it cannot be read (no `--allow-sys`).
 *
 * @example
 * ```ts
 * hostName(); // "build-3"
 * ```
 */
export function hostName(): string | undefined {
  try {
    return Deno.hostname() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * When process `pid` started, as Linux counts it (clock ticks since boot, field 22 of `/proc/<pid>/stat`);
 * undefined when the process does not exist or the system has no `/proc`. With the pid it names one process:
 * a pid reused after a reboot or by a later process has another start.
 *
 * @example
 * ```ts
 * await processStart(Deno.pid); // "1234567" on Linux
 * ```
 */
export async function processStart(pid: number): Promise<string | undefined> {
  if (Deno.build.os !== "linux") return undefined;
  try {
    const stat = await readTextFile(`/proc/${pid}/stat`);
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/**
 * The tags that identify this process on the run it starts.
 *
 * @example
 * ```ts
 * await processTags(); // { "kmlf.host": "build-3", "kmlf.pid": "4242", "kmlf.pid_start": "1234567" }
 * ```
 */
export async function processTags(): Promise<Record<string, string>> {
  const host = hostName();
  if (!host) return {};
  const tags: Record<string, string> = { [PROCESS_TAGS.host]: host, [PROCESS_TAGS.pid]: String(Deno.pid) };
  const start = await processStart(Deno.pid);
  if (start) tags[PROCESS_TAGS.pidStart] = start;
  const namespace = await pidNamespace();
  if (namespace) tags[PROCESS_TAGS.pidNamespace] = namespace;
  return tags;
}

// Linux's pid namespace of this process ("pid:[4026531836]"): containers sharing the host's name (k8s
// hostNetwork, --uts=host) number their processes apart, so a pid of another namespace is not judged here.
async function pidNamespace(): Promise<string | undefined> {
  if (Deno.build.os !== "linux") return undefined;
  try {
    return await Deno.readLink("/proc/self/ns/pid");
  } catch {
    return undefined;
  }
}

// Whether the process a run names is gone: on Linux its pid is free or now another process (another start);
// elsewhere on Unix only whether the pid is free (`kill -0`); on Windows it is never said to be gone.
async function processGone(pid: number, recordedStart: string | undefined): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (Deno.build.os === "linux") {
    const start = await processStart(pid);
    return start === undefined || (recordedStart !== undefined && start !== recordedStart);
  }
  if (Deno.build.os === "windows") return false;
  try {
    const { code } = await new Deno.Command("kill", { args: ["-0", String(pid)], stderr: "null" }).output();
    return code !== 0;
  } catch {
    return false;
  }
}

/**
 * The experiment's RUNNING runs that kmlf started on this host and whose process no longer exists (one
 * search query; `except` is the run just started).
 *
 * @example
 * ```ts
 * const runs = await orphanedRuns(client, "1", runId);
 * ```
 */
export async function orphanedRuns(
  client: RunSearcher,
  experimentId: string,
  except?: string,
): Promise<RunRef[]> {
  const host = hostName();
  if (!host) return [];
  const { runs } = await client.searchRuns(experimentId, {
    filter: `attributes.status = 'RUNNING' and tags.\`${PROCESS_TAGS.host}\` = '${
      host.replaceAll("'", "\\'")
    }'`,
    maxResults: 1000,
  });
  return await goneOnThisHost(runs.filter((run) => run.info.runId !== except), host);
}

// Of RUNNING runs, those this host's kmlf started whose process is gone (a run of another host, or of
// another container's pid namespace, is never judged here).
async function goneOnThisHost(runs: RunRef[], host: string): Promise<RunRef[]> {
  if (runs.length === 0) return [];
  const namespace = await pidNamespace();
  const gone: RunRef[] = [];
  for (const run of runs) {
    const tags = run.data.tags;
    if (tags[PROCESS_TAGS.host] !== host) continue;
    const recorded = tags[PROCESS_TAGS.pidNamespace];
    if (recorded !== undefined && recorded !== namespace) continue;
    if (await processGone(Number(tags[PROCESS_TAGS.pid]), tags[PROCESS_TAGS.pidStart])) gone.push(run);
  }
  return gone;
}

/**
 * Of the runs whose markers a project kept (run_markers.ts: a run that started and never ended), those
 * still RUNNING whose process is gone; a marker whose run ended some other way, or that the store does
 * not know (another tracking URI), is dropped. Looks up only marked runs: no search of the store.
 *
 * A process the user stopped with Ctrl-C / SIGTERM while a node held its main thread left a stop record
 * (stop_records.ts): its runs are ended KILLED here, as the stopped process would have, and passed to
 * `onKilled` instead of returned.
 *
 * @example
 * ```ts
 * const runs = await orphanedMarkedRuns(client, "/p", runId);
 * ```
 */
export async function orphanedMarkedRuns(
  client: Pick<TrackingPort, "getRun" | "setTerminated">,
  projectRoot: string,
  except?: string,
  options: { onKilled?: (run: RunRef, signal: string) => void } = {},
): Promise<RunRef[]> {
  const running: RunRef[] = [];
  for (const runId of markedRuns(projectRoot, except)) {
    const run = await client.getRun(runId).catch(() => undefined);
    if (run?.info.status === "RUNNING") running.push(run);
    else markRunEnded(projectRoot, runId);
  }
  const host = hostName();
  const gone = host ? await goneOnThisHost(running, host) : [];
  const left: RunRef[] = [];
  for (const run of gone) {
    const pid = Number(run.data.tags[PROCESS_TAGS.pid]);
    const stopped = Number.isInteger(pid) ? readStopRecord(projectRoot, pid) : undefined;
    if (!stopped || !(await endKilled(client, run, stopped.at))) {
      left.push(run);
      continue;
    }
    markRunEnded(projectRoot, run.info.runId);
    removeStopRecord(projectRoot, pid);
    options.onKilled?.(run, stopped.signal);
  }
  return left;
}

// Ended when the process was stopped (the record's time), as the stopped process would have ended it.
async function endKilled(
  client: Pick<TrackingPort, "setTerminated">,
  run: RunRef,
  at: number,
): Promise<boolean> {
  try {
    await client.setTerminated(run.info.runId, "KILLED", at);
    return true;
  } catch {
    return false; // named in the note instead, with the command that ends it
  }
}

/**
 * One note listing `runs`, each with the command that ends it; undefined when there are none.
 *
 * @example
 * ```ts
 * orphanedRunsNote(runs, "--env local"); // "Note: 1 MLflow run of this experiment is RUNNING …"
 * ```
 */
export function orphanedRunsNote(runs: RunRef[], envFlag = ""): string | undefined {
  if (runs.length === 0) return undefined;
  const env = envFlag ? ` ${envFlag}` : "";
  const lines = runs.map((run) =>
    `  ${run.info.runId} (pid ${run.data.tags[PROCESS_TAGS.pid]}): ` +
    `kmlf mlflow end-run --run-id ${run.info.runId} --status FAILED${env}`
  );
  const count = runs.length === 1 ? "1 MLflow run" : `${runs.length} MLflow runs`;
  return `Note: ${count} of this experiment ${runs.length === 1 ? "is" : "are"} RUNNING, but the kmlf ` +
    `process that started ${
      runs.length === 1 ? "it" : "them"
    } on this host is gone (killed, out of memory, ` +
    `rebooted) and will never end ${runs.length === 1 ? "it" : "them"}. End ${
      runs.length === 1 ? "it" : "each"
    } with:\n${lines.join("\n")}`;
}
