/**
 * Project code runs inside the project's own Deno configuration: its npm dependencies resolve through
 * the project's deno.json and are locked in the project's deno.lock (never kmlf's), and project
 * modules import kmlf's public API as "kmlf" — at run time, and in a standalone `deno test`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { KMLF_RUN_FLAGS, projectImportMap, relaunchPlan } from "../../lib/cli/project_runtime.ts";
import { CLI_PATH, demoProject, kmlf, REPO } from "../cli_harness.ts";

// argparse is in Deno's cache already (js-yaml depends on it), so no test needs the network.
const ARGS_DATASET = `import { ArgumentParser } from "argparse";
import { type Dataset, DatasetError } from "kmlf";

/** Saves the text as an ArgumentParser description (a stand-in for any npm-backed dataset). */
export class DescriptionDataset implements Dataset<string> {
  constructor(readonly options: { filepath: string }) {}
  async load(): Promise<string> {
    throw new DatasetError("description/write-only", "DescriptionDataset cannot load", { hint: "only save to it" });
  }
  async save(text: string): Promise<void> {
    await Deno.writeTextFile(this.options.filepath, new ArgumentParser({ description: text }).description);
  }
  exists(): Promise<boolean> {
    return Promise.resolve(false);
  }
  describe() {
    return { filepath: this.options.filepath };
  }
}
`;

const ARGS_DATASET_TEST = `import assert from "node:assert/strict";
import { DatasetError } from "kmlf";
import { DescriptionDataset } from "./description_dataset.ts";

Deno.test("DescriptionDataset saves through argparse and refuses to load", async () => {
  const file = await Deno.makeTempFile();
  const ds = new DescriptionDataset({ filepath: file });
  await ds.save("hello");
  assert.equal(await Deno.readTextFile(file), "hello");
  await assert.rejects(() => ds.load(), DatasetError);
});
`;

async function projectWithOwnDependency() {
  const dir = await demoProject({
    "datasets/description_dataset.ts": ARGS_DATASET,
    "datasets/description_dataset_test.ts": ARGS_DATASET_TEST,
    "pipelines/describe.yml":
      "nodes:\n  - name: describe\n    func: ./describe.ts#describe\n    inputs: params:target\n    outputs: description\n",
    "pipelines/describe.ts": "export const describe = (target: string) => `predicts ${target}`;\n",
  });
  const catalog = join(dir, "conf/base/catalog.yml");
  await Deno.writeTextFile(
    catalog,
    (await Deno.readTextFile(catalog)) +
      "\ndescription:\n  type: ./datasets/description_dataset.ts#DescriptionDataset\n  filepath: data/description.txt\n",
  );
  // What `deno add npm:argparse@2.0.1` does to the project's deno.json.
  const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
  config.imports.argparse = "npm:argparse@2.0.1";
  await Deno.writeTextFile(join(dir, "deno.json"), JSON.stringify(config, null, 2));
  return dir;
}

Deno.test("a project's own npm dependency goes into the project's deno.lock, never kmlf's", async () => {
  const dir = await projectWithOwnDependency();
  const kmlfLock = await Deno.readTextFile(join(REPO, "deno.lock"));
  try {
    const r = await kmlf(["run", "describe"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await Deno.readTextFile(join(dir, "data/description.txt")), "predicts species");
    const lock = JSON.parse(await Deno.readTextFile(join(dir, "deno.lock")));
    assert.equal(lock.specifiers["npm:argparse@2.0.1"], "2.0.1");
    assert.equal(await Deno.readTextFile(join(REPO, "deno.lock")), kmlfLock, "kmlf's deno.lock is untouched");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a project dataset importing kmlf's public API passes a standalone deno test in the project", async () => {
  const dir = await projectWithOwnDependency();
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["test", "--allow-all", "datasets/description_dataset_test.ts"],
      cwd: dir,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, text);
    assert.match(text, /1 passed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test('an error class a project imports from "kmlf" is kmlf\'s own (code and hint are rendered)', async () => {
  const dir = await projectWithOwnDependency();
  try {
    await Deno.writeTextFile(
      join(dir, "pipelines/reader.yml"),
      "nodes:\n  - name: read\n    func: ./describe.ts#describe\n    inputs: description\n    outputs: echoed\n",
    );
    const r = await kmlf(["run", "reader"], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /error\[description\/write-only\]: Cannot load dataset "description" \(DescriptionDataset\): DescriptionDataset cannot load/,
    );
    assert.match(r.stderr, /hint: only save to it/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a plugin can be a package the project's deno.json maps", async () => {
  const dir = await demoProject({
    "vendor/shout_plugin/mod.ts":
      'import type { Plugin } from "kmlf";\nexport const plugin: Plugin = { name: "shout", hooks: () => ({ afterPipelineRun() { console.error("SHOUT: done"); } }) };\n',
    "kmlf.yml": "name: iris\nplugins: [kmlf-plugin-shout]\n",
  });
  try {
    const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
    config.imports["kmlf-plugin-shout"] = "./vendor/shout_plugin/mod.ts";
    await Deno.writeTextFile(join(dir, "deno.json"), JSON.stringify(config, null, 2));
    const trained = await kmlf(["run", "training", "-q"], { cwd: dir });
    assert.equal(trained.code, 0, trained.stderr);
    assert.match(trained.stderr, /SHOUT: done/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test('a deno.json pointing "kmlf" elsewhere: the running kmlf is used, and the user is told', async () => {
  const dir = await demoProject();
  try {
    const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
    config.imports.kmlf = "file:///opt/old-kmlf/mod.ts";
    await Deno.writeTextFile(join(dir, "deno.json"), JSON.stringify(config, null, 2));
    const r = await kmlf(["run", "training", "-q"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /deno\.json maps "kmlf" to file:\/\/\/opt\/old-kmlf\/mod\.ts, but kmlf runs from/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a project folder where .kmlf/ cannot be written still runs (the import map goes to a temp file)", async () => {
  const dir = await demoProject({ ".kmlf": "not a folder\n" });
  try {
    // A package of the project's own, so kmlf restarts inside the project's configuration.
    const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
    config.imports["is-number"] = "npm:is-number@7.0.0";
    await Deno.writeTextFile(join(dir, "deno.json"), JSON.stringify(config, null, 2));
    const r = await kmlf(["run", "training", "-q"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await Deno.readTextFile(join(dir, ".kmlf")), "not a folder\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("relaunchPlan: only a project that maps packages of its own restarts inside its configuration", async () => {
  const dir = await demoProject();
  try {
    // What `kmlf new` writes maps only kmlf and the packages kmlf ships: kmlf's own configuration serves it.
    assert.equal(relaunchPlan(["run", "training"], { cwd: dir, env: {} }).relaunch, false);
    const denoJson = join(dir, "deno.json");
    const config = JSON.parse(await Deno.readTextFile(denoJson));
    config.imports["is-number"] = "npm:is-number@7.0.0";
    await Deno.writeTextFile(denoJson, JSON.stringify(config));
    const plan = relaunchPlan(["run", "training"], { cwd: join(dir, "pipelines"), env: {} });
    assert.ok(plan.relaunch);
    assert.equal(plan.root, dir);
    assert.deepEqual(plan.args.slice(0, 5), [
      "run",
      ...KMLF_RUN_FLAGS,
      "--config",
      denoJson,
    ]);
    assert.deepEqual(plan.args.slice(-2), ["run", "training"]);
    const byFlag = relaunchPlan(["--project", dir, "info"], { cwd: "/", env: {} });
    assert.ok(byFlag.relaunch);
    const flagAfter = relaunchPlan(["run", "training", `--project=${dir}`], { cwd: "/", env: {} });
    assert.ok(flagAfter.relaunch && flagAfter.root === dir);
    for (
      const [argv, env, cwd] of [
        [["new", "x"], {}, dir],
        [["run", "--help"], {}, dir],
        [["pipeline", "create", "x"], {}, dir],
        [["run"], { KMLF_PROJECT_RUNTIME: "off" }, dir],
        [["run"], { KMLF_PROJECT_RUNTIME: dir }, dir],
        [["run"], {}, REPO],
        [["run"], {}, "/"],
      ] as const
    ) {
      assert.equal(relaunchPlan(argv, { cwd, env }).relaunch, false, `${argv.join(" ")} in ${cwd}`);
    }
    // Another version of a package kmlf ships is the project's own too.
    await Deno.writeTextFile(denoJson, JSON.stringify({ imports: { zod: "npm:zod@3.25.0" } }));
    assert.ok(relaunchPlan(["run"], { cwd: dir, env: {} }).relaunch);
    // -h asks for help, except in `mlflow ui`, where it is the host (kedro-mlflow's flag).
    assert.equal(relaunchPlan(["run", "-h"], { cwd: dir, env: {} }).relaunch, false);
    assert.equal(relaunchPlan(["mlflow", "init", "-h"], { cwd: dir, env: {} }).relaunch, false);
    assert.ok(relaunchPlan(["mlflow", "ui", "-h", "127.0.0.1"], { cwd: dir, env: {} }).relaunch);
    assert.equal(relaunchPlan(["mlflow", "ui", "--help"], { cwd: dir, env: {} }).relaunch, false);
    await Deno.writeTextFile(denoJson, '{ "importMap": "./maps/map.json" }');
    await Deno.mkdir(join(dir, "maps"));
    await Deno.writeTextFile(join(dir, "maps/map.json"), '{ "imports": { "util": "../src/util.ts" } }');
    const separate = relaunchPlan(["run"], { cwd: dir, env: {} });
    assert.ok(separate.relaunch);
    assert.equal((separate.importMap.imports as Record<string, string>).util, `file://${dir}/src/util.ts`);
    // No deno.json: the project can only use what kmlf provides.
    await Deno.remove(denoJson);
    assert.equal(relaunchPlan(["run"], { cwd: dir, env: {} }).relaunch, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("projectImportMap: the project's imports (made absolute) win at the top; kmlf keeps its own in its scope", () => {
  const kmlfRoot = new URL("file:///opt/kmlf/");
  const map = projectImportMap(
    {
      imports: { zod: "npm:zod@3.0.0", utils: "./src/utils.ts", kmlf: "file:///elsewhere/mod.ts" },
      scopes: { "./vendor/": { zod: "npm:zod@2" } },
    },
    { projectRoot: "/p", kmlfRoot },
  );
  assert.equal(map.imports.zod, "npm:zod@3.0.0");
  assert.equal(map.imports.utils, "file:///p/src/utils.ts");
  assert.equal(map.imports["js-yaml"], "npm:js-yaml@4.1.0");
  assert.equal(map.imports.kmlf, "file:///opt/kmlf/mod.ts", "runs always use the running kmlf");
  assert.deepEqual(map.scopes["file:///p/vendor/"], { zod: "npm:zod@2" });
  assert.equal(map.scopes["file:///opt/kmlf/"].zod, "npm:zod@4.6.7");
});

Deno.test("a kmlf restarted inside its project ends when its launcher is killed with SIGKILL", async () => {
  const dir = await demoProject({
    "pipelines/slow.yml":
      "nodes:\n  - name: wait\n    func: ./slow.ts#wait\n    inputs: params:pidFile\n    outputs: done\n",
    "pipelines/slow.ts": "export async function wait(pidFile: string) {\n" +
      "  await Deno.writeTextFile(pidFile, String(Deno.pid));\n" +
      "  await new Promise((r) => setTimeout(r, 20_000));\n  return 1;\n}\n",
  });
  const pidFile = join(dir, "child.pid");
  try {
    await Deno.writeTextFile(join(dir, "conf/base/parameters.yml"), `pidFile: ${JSON.stringify(pidFile)}\n`);
    const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
    config.imports["is-number"] = "npm:is-number@7.0.0"; // a package of its own: kmlf restarts inside it
    await Deno.writeTextFile(join(dir, "deno.json"), JSON.stringify(config, null, 2));
    const launcher = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", CLI_PATH, "run", "slow"],
      cwd: dir,
      env: { NO_COLOR: "1" },
      stdout: "null",
      stderr: "null",
    }).spawn();
    const deadline = Date.now() + 20_000;
    let child = 0;
    while (!child && Date.now() < deadline) {
      child = Number(await Deno.readTextFile(pidFile).catch(() => "0"));
      if (!child) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(child > 0 && child !== launcher.pid, "the node runs in the restarted kmlf");
    launcher.kill("SIGKILL");
    await launcher.status;
    const alive = () => Deno.stat(`/proc/${child}`).then(() => true, () => false);
    const gone = Date.now() + 10_000;
    while (await alive() && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await alive(), false, "the restarted kmlf outlived its launcher");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// Deno maps the subpaths of a package a deno.json maps ("zod" gives "zod/v4"); the --import-map a restart
// inside the project runs with does not by itself: a node importing "zod/v4" failed as "not mapped" in a
// project mapping one package of its own, and ran in one mapping none.
Deno.test("a project restarted in its own configuration imports subpaths of the packages it maps (zod/v4)", async () => {
  const dir = await demoProject({
    "pipelines/v4.yml":
      "nodes:\n  - name: count\n    func: ./v4.ts#count\n    inputs: iris\n    outputs: n\n",
    "pipelines/v4.ts": 'import { z } from "zod/v4";\n' +
      "export const count = (rows: unknown) => z.array(z.unknown()).parse(rows).length;\n",
  });
  try {
    const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
    config.imports["is-number"] = "npm:is-number@7.0.0"; // a package of its own: kmlf restarts inside it
    await Deno.writeTextFile(join(dir, "deno.json"), JSON.stringify(config, null, 2));
    const r = await kmlf(["run", "v4", "-q"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("projectImportMap maps the subpaths of deno.json's packages as Deno does, the project's version first", () => {
  const kmlfRoot = new URL("file:///opt/kmlf/");
  const fromDenoJson = projectImportMap(
    { imports: { zod: "npm:zod@3.25.0", "@s/p": "npm:@s/p@1.0.0", x: "npm:x@1/sub", own: "./own.ts" } },
    { projectRoot: "/p", kmlfRoot, subpaths: true },
  );
  assert.equal(fromDenoJson.imports["zod/"], "npm:/zod@3.25.0/");
  assert.equal(fromDenoJson.imports["@s/p/"], "npm:/@s/p@1.0.0/");
  assert.equal(fromDenoJson.imports["x/"], undefined, "a subpath target maps no prefix");
  assert.equal(fromDenoJson.imports["own/"], undefined);
  assert.equal(fromDenoJson.imports["js-yaml/"], "npm:/js-yaml@4.1.0/");
  assert.equal(fromDenoJson.scopes["file:///opt/kmlf/"]["zod/"], "npm:/zod@4.6.7/");
  // An import map file maps only what it says, and kmlf's zod subpaths do not stand in for the project's zod.
  const fromMapFile = projectImportMap({ imports: { zod: "npm:zod@3.25.0" } }, {
    projectRoot: "/p",
    kmlfRoot,
  });
  assert.equal(fromMapFile.imports["zod/"], undefined);
});
