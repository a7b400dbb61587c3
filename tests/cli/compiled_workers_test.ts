/**
 * The parallel runner in the single binary: `deno compile` embeds worker modules only when `--include`
 * names them, and workers import the user's node modules by file URL from the project directory.
 */
import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { compiledKmlf, demoProject, REPO } from "../cli_harness.ts";

Deno.test("deno task compile --include's every module kmlf starts as a Worker", async () => {
  const task: string = JSON.parse(await Deno.readTextFile(join(REPO, "deno.json"))).tasks.compile;
  const included = [...task.matchAll(/--include[= ](\S+)/g)].map((m) => m[1]);
  const entries: string[] = [];
  for await (const file of walk(join(REPO, "lib"))) {
    const text = await Deno.readTextFile(file);
    if (!text.includes("new Worker(")) continue;
    for (const m of text.matchAll(/new URL\("(\.{1,2}\/[^"]+)", import\.meta\.url\)/g)) {
      entries.push(relative(REPO, resolve(dirname(file), m[1])));
    }
  }
  assert.ok(entries.includes("lib/runner/node_worker.ts"), `found worker entries: ${entries}`);
  for (const entry of entries) {
    assert.ok(
      included.includes(entry),
      `${entry} is started as a Worker but not --include'd by deno task compile`,
    );
    assert.ok((await Deno.stat(join(REPO, entry))).isFile);
  }
});

Deno.test("deno task compile --include's every module kmlf imports by a computed URL", async () => {
  const task: string = JSON.parse(await Deno.readTextFile(join(REPO, "deno.json"))).tasks.compile;
  const included = [...task.matchAll(/--include[= ](\S+)/g)].map((m) => m[1]);
  const files = [join(REPO, "cli.ts")];
  for await (const file of walk(join(REPO, "lib"))) if (!file.endsWith("_test.ts")) files.push(file);
  const entries: string[] = [];
  for (const file of files) {
    const text = await Deno.readTextFile(file);
    for (const m of text.matchAll(/import\(\s*new URL\("(\.{1,2}\/[^"]+)", import\.meta\.url\)/g)) {
      entries.push(relative(REPO, resolve(dirname(file), m[1])));
    }
  }
  assert.ok(entries.includes("lib/cli/main.ts"), `found computed imports: ${entries}`);
  for (const entry of entries) {
    assert.ok(
      included.includes(entry),
      `${entry} is imported by URL but not --include'd by deno task compile`,
    );
  }
});

Deno.test("compiled mode: --runner parallel imports node modules in workers from the project dir, npm packages included", async () => {
  const training = (await Deno.readTextFile(join(REPO, "pipelines/training.yml"))).replace(
    "./iris/nodes.ts#reportAccuracy",
    "./iris/report.ts#reportAccuracy",
  );
  const dir = await demoProject({
    "pipelines/training.yml": training,
    "pipelines/iris/report.ts": `import { dump } from "js-yaml";
import { reportAccuracy as base } from "./nodes.ts";
export function reportAccuracy(p: { prediction: string }[], y: string[]) {
  const m = base(p, y);
  return { ...m, yaml_len: { value: dump(m).length, step: 0 }, in_worker: { value: "WorkerGlobalScope" in globalThis ? 1 : 0, step: 0 } };
}`,
  });
  try {
    const r = await compiledKmlf(["run", "training", "--runner", "parallel", "--json"], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).runner, "ParallelRunner");
    const metrics = JSON.parse(await Deno.readTextFile(join(dir, "data/08_reporting/metrics.json")));
    assert.ok(metrics.yaml_len.value > 0);
    assert.equal(metrics.in_worker.value, 1, "the node ran in a worker");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) yield* walk(path);
    else if (e.name.endsWith(".ts")) yield path;
  }
}
