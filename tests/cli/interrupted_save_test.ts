/**
 * A signal during a large save leaves no temp file beside the dataset (SIGINT and SIGTERM, tracked and
 * untracked), a tracked run ends KILLED, and the temp file a SIGKILL left behind is swept by the next save
 * of that dataset. The target keeps its previous content: a save is all or nothing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MlflowClient, openStore } from "../../lib/tracking/mod.ts";
import { CLI_PATH, demoProject, kmlf, REPO } from "../cli_harness.ts";

/** ~150 MB of text saved to data/big.txt by one node. */
const BIG_PIPELINE = `nodes:
  - name: make_big
    func: ./big.ts#makeBig
    inputs: params:size
    outputs: big
`;
const BIG_NODE = `export function makeBig(size: number) { return "0123456789abcdef".repeat(size / 16); }\n`;
const BIG_CATALOG = `big:\n  type: text\n  filepath: data/big.txt\n`;
const SIZE = 150 * 1024 * 1024;

async function bigProject(tracked: boolean): Promise<string> {
  const mlflow = await Deno.readTextFile(join(REPO, "conf/base/mlflow.yml"));
  const dir = await demoProject({
    "pipelines/big.yml": BIG_PIPELINE,
    "pipelines/big.ts": BIG_NODE,
    "conf/base/catalog.yml": BIG_CATALOG,
    "conf/base/parameters.yml": `size: ${SIZE}\n`,
    "conf/base/mlflow.yml": tracked ? mlflow : null,
  }, { tracked });
  await Deno.mkdir(join(dir, "data"), { recursive: true });
  await Deno.writeTextFile(join(dir, "data/big.txt"), "previous content\n");
  return dir;
}

function tempFiles(dir: string): string[] {
  return [...Deno.readDirSync(join(dir, "data"))].map((e) => e.name).filter((n) => n.endsWith(".tmp"));
}

/** Starts `kmlf run big`, waits until the save's temp file exists, then sends `signal`. */
async function interruptSave(dir: string, signal: Deno.Signal): Promise<{ code: number; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--quiet", CLI_PATH, "run", "big"],
    cwd: dir,
    env: { NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const deadline = Date.now() + 20_000;
  while (tempFiles(dir).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  assert.ok(tempFiles(dir).length > 0, "the save started");
  child.kill(signal);
  const out = await child.output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

for (const [signal, code, tracked] of [["SIGINT", 130, false], ["SIGTERM", 143, true]] as const) {
  Deno.test(`${signal} during a large save (${tracked ? "tracked" : "untracked"}) leaves no temp file, exit ${code}`, async () => {
    const dir = await bigProject(tracked);
    try {
      const r = await interruptSave(dir, signal);
      assert.equal(r.code, code, r.stderr);
      assert.match(r.stderr, new RegExp(`run/interrupted.*${signal}`), r.stderr);
      assert.deepEqual(tempFiles(dir), []);
      assert.equal(await Deno.readTextFile(join(dir, "data/big.txt")), "previous content\n");
      if (tracked) {
        const store = await openStore("mlflow.db", { baseDir: dir });
        try {
          const client = new MlflowClient(store);
          const exp = await client.getExperimentByName("iris");
          const { runs } = await client.searchRuns([exp!.experimentId], { runViewType: "ALL" });
          assert.equal(runs[0].info.status, "KILLED");
        } finally {
          await store.close();
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("the temp file a SIGKILL left behind is swept by the next save of the dataset", async () => {
  const dir = await bigProject(false);
  try {
    const r = await interruptSave(dir, "SIGKILL");
    assert.equal(r.code, 137);
    const left = tempFiles(dir);
    assert.equal(left.length, 1, "SIGKILL cannot clean up");
    // A temp file of another dataset, and one of a live process, are not touched.
    await Deno.writeTextFile(join(dir, "data", ".other.txt.1-abcdef01.tmp"), "x");
    await Deno.writeTextFile(join(dir, "data", `.big.txt.${Deno.pid}-abcdef01.tmp`), "in progress elsewhere");
    await Deno.writeTextFile(join(dir, "conf/base/parameters.yml"), "size: 64\n");
    const again = await kmlf(["run", "big"], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(tempFiles(dir).sort(), [
      ".big.txt." + Deno.pid + "-abcdef01.tmp",
      ".other.txt.1-abcdef01.tmp",
    ]);
    assert.equal(await Deno.readTextFile(join(dir, "data/big.txt")), "0123456789abcdef".repeat(4));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
