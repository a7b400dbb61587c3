/**
 * The parallel runner in the single binary: `deno compile` embeds modules loaded by URL (workers, lazily
 * imported commands) only when `--include` names them, so it embeds the whole bundle; workers import the
 * user's node modules by file URL from the project directory.
 */
import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { compiledKmlf, demoProject, kmlfBundle, REPO } from "../cli_harness.ts";

Deno.test('deno task compile builds the bundle and embeds all of it, entry cli.js, "kmlf" mapped to its mod.js', async () => {
  const task: string = JSON.parse(await Deno.readTextFile(join(REPO, "deno.json"))).tasks.compile;
  const [build, compile] = task.split(" && ");
  assert.equal(build, "deno run --allow-all tools/build_bundle.ts");
  const args = compile.split(" ");
  assert.equal(args[args.indexOf("--config") + 1], "dist/bundle/deno.json");
  assert.equal(args[args.indexOf("--include") + 1], "dist/bundle", "chunks loaded by URL must be embedded");
  assert.equal(args.at(-1), "dist/bundle/cli.js");
  const config = JSON.parse(await Deno.readTextFile(join(await kmlfBundle(), "deno.json")));
  assert.equal(config.imports.kmlf, "./mod.js");
});

Deno.test("the bundle holds an entry for every module kmlf starts as a Worker or imports by a computed URL", async () => {
  const dir = await kmlfBundle();
  const files = [join(REPO, "cli.ts")];
  for await (const file of walk(join(REPO, "lib"))) if (!file.endsWith("_test.ts")) files.push(file);
  const targets: string[] = [];
  for (const file of files) {
    const text = await Deno.readTextFile(file);
    for (const m of text.matchAll(/new URL\("(\.{1,2}\/[^"]+\.ts)", import\.meta\.url\)/g)) {
      targets.push(relative(REPO, resolve(dirname(file), m[1])));
    }
  }
  assert.ok(
    targets.includes("lib/runner/node_worker.ts") && targets.includes("lib/cli/main.ts"),
    `${targets}`,
  );
  for (const target of targets) {
    const output = join(dir, target.replace(/\.ts$/, ".js"));
    assert.ok((await Deno.stat(output)).isFile, `${target} has no entry in the bundle`);
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
