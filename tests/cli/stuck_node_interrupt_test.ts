/**
 * Ctrl-C / SIGTERM while a node holds the main thread in a synchronous loop (sequential and thread runners):
 * the signal watchdog child (lib/session/signal_watchdog.ts) stops kmlf within about a second, says what it
 * stopped and how to resume, ends kmlf by SIGKILL (137), and the next tracked run ends the MLflow run
 * KILLED. The watchdog starts only at a terminal, so kmlf runs here under `script`, in a real pseudo-terminal:
 * a Ctrl-C is the byte 0x03 typed into it, which the terminal turns into SIGINT for kmlf's process group
 * (kmlf leads it: `script` starts a session and its shell execs kmlf). Each kmlf gets a temp folder of its
 * own, which holds the watchdog's state file: it must be empty, and the child gone, once kmlf ends.
 */
import assert from "node:assert/strict";
import { CLI_PATH, demoProject } from "../cli_harness.ts";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";

// `script` (util-linux) gives the pseudo-terminal; /proc finds the kmlf it starts.
const ignore = Deno.build.os !== "linux" || (() => {
  try {
    return !new Deno.Command("script", { args: ["--version"], stdout: "null" }).outputSync().success;
  } catch {
    return true;
  }
})();

const SPIN = {
  "pipelines/spin.yml": `nodes:
  - {name: prepare, func: ./iris/spin.ts#prepare, inputs: params:a, outputs: x}
  - {name: spin, func: ./iris/spin.ts#spin, inputs: x, outputs: y}
  - {name: wait, func: ./iris/spin.ts#wait, inputs: params:a, outputs: z}
  - {name: fetch_then_spin, func: ./iris/spin.ts#fetchThenSpin, inputs: params:a, outputs: w}
`,
  "pipelines/iris/spin.ts": `export const prepare = (a: number) => a + 1;
export function spin(_x: number) { for (;;) {} }
export async function wait(_a: number) { await new Promise((r) => setTimeout(r, 600_000)); }
export async function fetchThenSpin(_a: number) {
  await new Promise((r) => setTimeout(r, 1500));
  Deno.writeTextFileSync("spinning", "");
  for (;;) {}
}
`,
  "conf/base/parameters.yml": "a: 1\n",
};

/** kmlf in a pseudo-terminal (`script`), its output read as it comes; its temp folder is `${dir}/.tmp`. */
// A demo project made with `args` for `fn`, removed after it.
async function inDemoProject(
  args: Parameters<typeof demoProject>,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await demoProject(...args);
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function inTerminal(dir: string, args: string[], env: Record<string, string> = {}) {
  const command = ["exec", Deno.execPath(), "run", "--allow-all", "--quiet", CLI_PATH, ...args]
    .map((a) => (a === "exec" ? a : `'${a}'`)).join(" ");
  const tmp = `${dir}/.tmp`;
  Deno.mkdirSync(tmp, { recursive: true });
  const child = new Deno.Command("script", {
    args: ["-qefc", command, "/dev/null"],
    cwd: dir,
    env: { NO_COLOR: "1", TMPDIR: tmp, ...env },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.getReader();
  let seen = "";
  return {
    child,
    /** The kmlf process (script's child, which exec'd it). */
    kmlfPid: () => Number(Deno.readTextFileSync(`/proc/${child.pid}/task/${child.pid}/children`).trim()),
    typeCtrlC: () => writer.write(new Uint8Array([3])),
    async waitFor(text: string) {
      while (!seen.includes(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += new TextDecoder().decode(value);
      }
      return seen;
    },
    async finish() {
      // Without the watchdog kmlf would spin forever: ended here (SIGKILL, exit 137), the test fails instead;
      // so is a kmlf restarted in the project (its command line names the project's deno.json).
      const guard = setTimeout(() => {
        for (const pid of [this.kmlfPid(), ...processesNaming(dir)]) {
          try {
            Deno.kill(pid, "SIGKILL");
          } catch { /* already gone */ }
        }
      }, 30_000);
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += new TextDecoder().decode(value);
      }
      await writer.close().catch(() => {});
      const [status] = await Promise.all([child.status, child.stderr.cancel()]);
      clearTimeout(guard);
      await watchdogGone(tmp);
      return { code: status.code, seen: seen.replaceAll("\r\n", "\n") };
    },
  };
}

/** The processes whose command line holds `text` (a watchdog's holds its state file's path). */
function processesNaming(text: string): number[] {
  return [...Deno.readDirSync("/proc")].filter((e) => /^\d+$/.test(e.name)).filter((e) => {
    try {
      return Deno.readTextFileSync(`/proc/${e.name}/cmdline`).includes(text);
    } catch {
      return false; // ended meanwhile
    }
  }).map((e) => Number(e.name));
}

/** The watchdog state files in a test kmlf's temp folder (one while its child runs). */
const stateFiles = (dir: string) => [...Deno.readDirSync(`${dir}/.tmp`)].map((e) => e.name);

/** Waits (up to 10 s) for the watchdog's state file: it is written right after the node's progress line. */
async function stateFileAppears(dir: string): Promise<void> {
  for (let i = 0; i < 200 && stateFiles(dir).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(stateFiles(dir).length, 1, "the watchdog's state file once a node runs");
}

/** Waits (up to 10 s) for the watchdog of a kmlf whose temp folder is `tmp` to end and remove its state. */
async function watchdogGone(tmp: string): Promise<void> {
  const left = () => {
    const files = [...Deno.readDirSync(tmp)].map((e) => e.name);
    return [...files, ...processesNaming(tmp).map((pid) => `process ${pid}`)];
  };
  for (let i = 0; i < 200 && left().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(left(), [], "the watchdog ended with kmlf and removed its state file");
}

async function runsOf(dir: string) {
  const store = await openStore("mlflow.db", { baseDir: dir });
  try {
    const client = new MlflowClient(store);
    const exp = await client.getExperimentByName("iris");
    assert.ok(exp, "experiment iris exists");
    return (await client.searchRuns([exp.experimentId], { runViewType: "ALL" })).runs;
  } finally {
    (store as { close?(): void }).close?.();
  }
}

for (const runner of ["sequential", "thread"]) {
  Deno.test({
    name:
      `--runner ${runner}: Ctrl-C stops a node in a synchronous loop (SIGKILL: 137), the next run ends it KILLED`,
    ignore,
  }, async () => {
    const dir = await demoProject(SPIN, { tracked: true });
    try {
      const run = inTerminal(dir, ["run", "spin", "--runner", runner, "--nodes", "prepare,spin"]);
      await run.waitFor("▶ spin");
      await new Promise((r) => setTimeout(r, 300)); // spin's function is looping now
      await run.typeCtrlC();
      const { code, seen } = await run.finish();
      assert.equal(code, 137, seen);
      assert.match(
        seen,
        /Run interrupted by SIGINT; stopped "spin": the main thread did not answer within 1 s/,
      );
      assert.match(seen, /Resume from the nearest nodes with persisted inputs:\n {2}kmlf run spin --runner /);
      const [stopped] = await runsOf(dir);
      assert.equal(stopped.info.status, "RUNNING"); // the hooks could not run: the next tracked run ends it

      const next = inTerminal(dir, ["run", "spin", "--nodes", "prepare"]);
      const after = await next.finish();
      assert.equal(after.code, 0, after.seen);
      assert.doesNotMatch(after.seen, /did not answer|kmlf-watchdog/); // a normal run's watchdog says nothing
      assert.match(
        after.seen,
        new RegExp(`MLflow run ${stopped.info.runId}, left RUNNING when SIGINT stopped`),
      );
      const ended = (await runsOf(dir)).find((r) => r.info.runId === stopped.info.runId);
      assert.equal(ended?.info.status, "KILLED");
      assert.deepEqual([...Deno.readDirSync(`${dir}/.kmlf/stopped`)], []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test(
  { name: "SIGTERM to the process group of a kmlf whose node loops synchronously", ignore },
  async () => {
    const dir = await demoProject({ ...SPIN, "conf/base/mlflow.yml": null });
    try {
      const run = inTerminal(dir, ["run", "spin", "--nodes", "prepare,spin"]);
      await run.waitFor("▶ spin");
      await new Promise((r) => setTimeout(r, 300));
      // A service manager's stop, `kill -TERM -- -PGID`: to kmlf's pid alone it would not reach the watchdog.
      const pid = run.kmlfPid();
      Deno.kill(-pid, "SIGTERM");
      const { code, seen } = await run.finish();
      assert.equal(code, 137, seen);
      assert.match(seen, /Run interrupted by SIGTERM; stopped "spin"/);
      // An untracked run: no MLflow run to end, so no stop record for a next run to read (none ever would).
      assert.throws(() => Deno.statSync(`${dir}/.kmlf/stopped/${pid}`), Deno.errors.NotFound);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test({
  name: "at a terminal, Ctrl-C during an awaiting node still ends the run through its hooks (KILLED at once)",
  ignore,
}, async () => {
  await inDemoProject([SPIN, { tracked: true }], async (dir) => {
    const run = inTerminal(dir, ["run", "spin", "--runner", "thread", "--nodes", "wait"]);
    await run.waitFor("▶ wait");
    await new Promise((r) => setTimeout(r, 300));
    await run.typeCtrlC();
    const { code, seen } = await run.finish();
    assert.equal(code, 130, seen);
    assert.match(seen, /✘ Run interrupted by SIGINT; stopped "wait"\n/);
    assert.doesNotMatch(seen, /did not answer/);
    const [ended] = await runsOf(dir);
    assert.equal(ended.info.status, "KILLED");
  });
});

Deno.test({
  name: "the watchdog ends with a kmlf killed by SIGKILL (end-of-file on its pipe), removing its state file",
  ignore,
}, async () => {
  await inDemoProject([{ ...SPIN, "conf/base/mlflow.yml": null }], async (dir) => {
    const run = inTerminal(dir, ["run", "spin", "--nodes", "wait"]);
    await run.waitFor("▶ wait");
    await stateFileAppears(dir);
    Deno.kill(run.kmlfPid(), "SIGKILL");
    const { code, seen } = await run.finish(); // waits for the watchdog to go
    assert.equal(code, 137, seen);
    assert.doesNotMatch(seen, /interrupted/);
  });
});

// A project hook that keeps the run in beforePipelineRun a while, and spins in afterPipelineRun on demand.
const SLOW_HOOKS = {
  "hooks.ts": `export const slow = {
  async beforePipelineRun() {
    console.error("hook waits");
    await new Promise((r) => setTimeout(r, 1500));
  },
  afterPipelineRun() {
    if (!Deno.env.get("SPIN_AFTER")) return;
    console.error("hook spins");
    for (;;) {}
  },
  async onPipelineError() {
    if (Deno.env.get("SLOW_END")) await new Promise((r) => setTimeout(r, 5000));
  },
};
`,
  "kmlf.yml": "name: iris\nhooks: ['./hooks.ts#slow']\n",
  "conf/base/mlflow.yml": null,
};

Deno.test({
  name: "the watchdog starts with the first node: a run in its checks or hooks has none",
  ignore,
}, async () => {
  await inDemoProject([{ ...SPIN, ...SLOW_HOOKS }], async (dir) => {
    const run = inTerminal(dir, ["run", "spin", "--nodes", "wait"]);
    await run.waitFor("hook waits");
    assert.deepEqual(stateFiles(dir), [], "no watchdog while beforePipelineRun runs");
    await run.waitFor("▶ wait");
    await stateFileAppears(dir);
    await run.typeCtrlC();
    const { code, seen } = await run.finish();
    assert.equal(code, 130, seen);
  });
});

Deno.test({
  name: "Ctrl-C while a hook spins after the last node: stopped (137), naming no node",
  ignore,
}, async () => {
  await inDemoProject([{ ...SPIN, ...SLOW_HOOKS }], async (dir) => {
    const run = inTerminal(dir, ["run", "spin", "--nodes", "prepare"], { SPIN_AFTER: "1" });
    await run.waitFor("hook spins");
    await new Promise((r) => setTimeout(r, 300));
    await run.typeCtrlC();
    const { code, seen } = await run.finish();
    assert.equal(code, 137, seen);
    assert.match(
      seen,
      /Run interrupted by SIGINT: the main thread did not answer within 1 s \(synchronous code holds it\)/,
    );
    // This description is shorter than the one before it (the node's), whose end stays in the file: unread.
    assert.match(seen, /next tracked run of this project\n$/);
  });
});

Deno.test({
  name:
    "a node's code looping after the run took Ctrl-C (its hooks ending it): a second Ctrl-C stops it (137)",
  ignore,
}, async () => {
  await inDemoProject([{ ...SPIN, ...SLOW_HOOKS }], async (dir) => {
    const run = inTerminal(dir, ["run", "spin", "--nodes", "fetch_then_spin"], { SLOW_END: "1" });
    await run.waitFor("▶ fetch_then_spin");
    await new Promise((r) => setTimeout(r, 300));
    await run.typeCtrlC(); // taken: onPipelineError runs, while the node's code goes on into its loop
    for (let i = 0; i < 200; i++) {
      if (await Deno.stat(`${dir}/spinning`).then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    await run.typeCtrlC();
    const { code, seen } = await run.finish();
    assert.equal(code, 137, seen);
    assert.match(
      seen,
      /SIGINT again: the main thread, ending the interrupted run, did not answer within 1 s/,
    );
  });
});

Deno.test({
  name: "a quick second Ctrl-C a free main thread takes ends kmlf through the guard (130), not the watchdog",
  ignore,
}, async () => {
  await inDemoProject([{ ...SPIN, ...SLOW_HOOKS }], async (dir) => {
    const run = inTerminal(dir, ["run", "spin", "--nodes", "wait"], { SLOW_END: "1" });
    await run.waitFor("▶ wait");
    await stateFileAppears(dir);
    await run.typeCtrlC();
    await run.waitFor("Run interrupted by SIGINT"); // taken: the hooks end the run (slowly)
    await run.typeCtrlC(); // within the watchdog's grace second for the first
    const { code, seen } = await run.finish();
    assert.equal(code, 130, seen);
    assert.match(seen, /a second SIGINT: stopped at once/);
    assert.doesNotMatch(seen, /did not answer/);
  });
});

Deno.test({
  name: "--runner parallel at a terminal starts no watchdog: Ctrl-C stops the looping worker at once (130)",
  ignore,
}, async () => {
  await inDemoProject([{ ...SPIN, "conf/base/mlflow.yml": null }], async (dir) => {
    const run = inTerminal(dir, ["run", "spin", "--runner", "parallel", "--nodes", "prepare,spin"]);
    await run.waitFor("▶ spin");
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(stateFiles(dir), []);
    await run.typeCtrlC();
    const { code, seen } = await run.finish();
    assert.equal(code, 130, seen);
    assert.match(seen, /Run interrupted by SIGINT; stopped "spin"/);
  });
});

Deno.test({
  name: "a kmlf restarted in the project's own Deno configuration passes Ctrl-C to its watchdog too",
  ignore,
}, async () => {
  await inDemoProject([{ ...SPIN, "conf/base/mlflow.yml": null }], async (dir) => {
    // An import of the project's own: kmlf then restarts inside the project's deno.json (project_runtime.ts).
    const config = JSON.parse(await Deno.readTextFile(`${dir}/deno.json`));
    config.imports["#spin"] = "./pipelines/iris/spin.ts";
    await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify(config, null, 2));
    const run = inTerminal(dir, ["run", "spin", "--nodes", "prepare,spin"]);
    await run.waitFor("▶ spin");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(processesNaming(`${dir}/deno.json`).length, 1, "kmlf restarted in the project");
    await run.typeCtrlC();
    const { code, seen } = await run.finish();
    assert.equal(code, 137, seen);
    assert.match(seen, /Run interrupted by SIGINT; stopped "spin": the main thread did not answer/);
    assert.deepEqual(processesNaming(`${dir}/deno.json`), [], "the restarted kmlf is gone");
  });
});
