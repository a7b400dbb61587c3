/**
 * A node that returned but left work behind (a timer calling Deno.exit, a timer throwing, a promise
 * rejecting) fails the run while a later node runs, under every runner: the run stops (no node starts
 * after it), names the node it stopped, and prints a `--from-nodes` command that, run as printed, ends
 * with the files of a clean run. The failed node's output is kept in memory, so resuming must re-run it.
 * `--json` gives the same nodes as `resumeFromNodes` after such a stop and after SIGTERM (it had none).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CLI_PATH, demoProject, kmlf } from "../cli_harness.ts";

const OPS = `
export const src = (n: number) => n;
export function leave(a: number) {
  const how = Deno.env.get("LEAVE");
  if (how === "exit") setTimeout(() => Deno.exit(5), 50);
  if (how === "close") setTimeout(() => globalThis.close(), 50);
  if (how === "throw") setTimeout(() => { throw new Error("timer failure"); }, 50);
  if (how === "reject") setTimeout(() => void Promise.reject(new Error("late failure")), 50);
  return a + 1;
}
export async function wait(b: number) { if (Deno.env.get("LEAVE")) console.log("c started"); await new Promise((r) => setTimeout(r, Deno.env.get("LEAVE") ? 1500 : 1)); return b * 10; }
export const add = (c: number, n: number) => c + n;
`;
const PIPELINE = `nodes:
  - {name: a, func: ./iris/ops.ts#src, inputs: params:n, outputs: a_out}
  - {name: b, func: ./iris/ops.ts#leave, inputs: a_out, outputs: b_mem}
  - {name: c, func: ./iris/ops.ts#wait, inputs: b_mem, outputs: c_out}
  - {name: d, func: ./iris/ops.ts#add, inputs: [c_out, params:n], outputs: d_out}
`;
const CATALOG = "a_out: {type: json, filepath: data/a.json}\n" +
  "c_out: {type: json, filepath: data/c.json}\nd_out: {type: json, filepath: data/d.json}\n";
const OUTPUTS = ["data/a.json", "data/c.json", "data/d.json"];

const read = (dir: string) =>
  Promise.all(OUTPUTS.map((f) => Deno.readTextFile(join(dir, f)).catch(() => "(missing)")));

async function project(): Promise<string> {
  return await demoProject({
    "pipelines/p.yml": PIPELINE,
    "pipelines/iris/ops.ts": OPS,
    "conf/base/parameters.yml": "n: 1\n",
    "conf/base/catalog.yml": CATALOG,
  });
}

Deno.test("a node's timer failing the run later: stopped at once, node named, the printed resume command works", async () => {
  const dir = await project();
  try {
    assert.equal((await kmlf(["run", "p", "-q"], { cwd: dir })).code, 0);
    const clean = await read(dir);
    for (const runner of ["SequentialRunner", "ThreadRunner", "ParallelRunner"]) {
      for (
        const [leave, code] of [["exit", /exit/], ["close", /close\(\)/], ["throw", /error/], [
          "reject",
          /reject|error/,
        ]] as const
      ) {
        const what = `${runner} ${leave}`;
        for (const f of OUTPUTS) await Deno.remove(join(dir, f)).catch(() => {});
        const r = await kmlf(["run", "p", "--runner", runner], { cwd: dir, env: { LEAVE: leave } });
        assert.equal(r.code, 1, `${what}: ${r.stderr}`);
        assert.match(r.stderr, code, what);
        // The run stops at once: "c" does not finish and "d" never starts.
        assert.doesNotMatch(r.stdout, /✔ c|▶ d/, what);
        assert.match(
          r.stderr,
          /stopped "c"|Node "c"|node "b"/,
          `${what}: the stopped node is named\n${r.stderr}`,
        );
        const resume = r.stderr.match(/^ {2}(kmlf run .*--from-nodes .*)$/m);
        assert.ok(resume, `${what}: a resume command is printed\n${r.stderr}`);
        assert.match(resume[1], /--from-nodes b$/, what); // b's output is in memory: b runs again
        const args = resume[1].split(" ").slice(1);
        const again = await kmlf(args, { cwd: dir });
        assert.equal(again.code, 0, `${what}: ${again.stderr}`);
        assert.deepEqual(await read(dir), clean, what);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--json names the nodes to resume from after a stop outside any node and after SIGTERM", async () => {
  const dir = await project();
  try {
    for (const runner of ["SequentialRunner", "ParallelRunner"]) {
      const r = await kmlf(["run", "p", "--json", "--runner", runner], { cwd: dir, env: { LEAVE: "exit" } });
      assert.equal(r.code, 1, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.match(doc.code, /exit/); // run/exit-called, or node/exited in a worker
      assert.deepEqual(doc.resumeFromNodes, ["b"], runner);

      // Under --json, what nodes print goes to stderr: "c started" says when to send the signal.
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-all", "--quiet", CLI_PATH, "run", "p", "--json", "--runner", runner],
        cwd: dir,
        env: { NO_COLOR: "1", LEAVE: "wait" },
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const stdout = new Response(child.stdout).text();
      const reader = child.stderr.getReader();
      let seen = "";
      while (!seen.includes("c started")) {
        const chunk = await reader.read();
        if (chunk.done) break;
        seen += new TextDecoder().decode(chunk.value);
      }
      child.kill("SIGTERM");
      while (!(await reader.read()).done);
      assert.equal((await child.status).code, 143, seen);
      const stoppedDoc = JSON.parse(await stdout);
      assert.equal(stoppedDoc.code, "run/interrupted");
      assert.deepEqual(stoppedDoc.resumeFromNodes, ["b"], runner);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
