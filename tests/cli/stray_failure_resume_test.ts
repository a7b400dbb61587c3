/**
 * A node that returned but left work behind (a timer calling Deno.exit, a timer throwing, a promise
 * rejecting) fails the run while a later node runs, under every runner: the run stops (no node starts
 * after it), names the node it stopped, and prints a `--from-nodes` command that, run as printed, ends
 * with the files of a clean run. The failed node's output is kept in memory, so resuming must re-run it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { demoProject, kmlf } from "../cli_harness.ts";

const OPS = `
export const src = (n: number) => n;
export function leave(a: number) {
  const how = Deno.env.get("LEAVE");
  if (how === "exit") setTimeout(() => Deno.exit(5), 50);
  if (how === "throw") setTimeout(() => { throw new Error("timer failure"); }, 50);
  if (how === "reject") setTimeout(() => void Promise.reject(new Error("late failure")), 50);
  return a + 1;
}
export async function wait(b: number) { await new Promise((r) => setTimeout(r, Deno.env.get("LEAVE") ? 1500 : 1)); return b * 10; }
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

Deno.test("a node's timer failing the run later: stopped at once, node named, the printed resume command works", async () => {
  const dir = await demoProject({
    "pipelines/p.yml": PIPELINE,
    "pipelines/iris/ops.ts": OPS,
    "conf/base/parameters.yml": "n: 1\n",
    "conf/base/catalog.yml": CATALOG,
  });
  try {
    assert.equal((await kmlf(["run", "p", "-q"], { cwd: dir })).code, 0);
    const clean = await read(dir);
    for (const runner of ["SequentialRunner", "ThreadRunner", "ParallelRunner"]) {
      for (
        const [leave, code] of [["exit", /exit/], ["throw", /error/], ["reject", /reject|error/]] as const
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
