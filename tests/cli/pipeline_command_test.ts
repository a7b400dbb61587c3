/** `kmlf pipeline create/delete`, Kedro's habit: the scaffold runs and its test passes as created. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertGolden, demoProject, kmlf, normalize } from "../cli_harness.ts";

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("pipeline create scaffolds YAML, nodes, a passing test and parameters; the pipeline runs", async () => {
  const dir = await demoProject();
  try {
    const r = await kmlf(["pipeline", "create", "scoring"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    for (
      const file of [
        "pipelines/scoring.yml",
        "pipelines/scoring/nodes.ts",
        "tests/pipelines/scoring/nodes_test.ts",
        "conf/base/parameters_scoring.yml",
      ]
    ) {
      assert.ok(await exists(join(dir, file)), file);
      assert.match(r.stdout, new RegExp(file.replaceAll(".", "\\.")));
    }
    const list = await kmlf(["registry", "list"], { cwd: dir });
    assert.match(list.stdout, /scoring/);
    const run = await kmlf(["run", "scoring", "--json"], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout).nodes.map((n: { name: string }) => n.name), ["scoring_summary"]);
    const test = await new Deno.Command(Deno.execPath(), {
      args: ["test", "--no-lock", "tests/pipelines/scoring/nodes_test.ts"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(test.code, 0, new TextDecoder().decode(test.stderr));
    assert.match(new TextDecoder().decode(test.stdout), /2 passed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pipeline create --skip-config --env: no parameters file, and the node still runs", async () => {
  const dir = await demoProject();
  try {
    const r = await kmlf(["pipeline", "create", "raw_data", "--skip-config"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await exists(join(dir, "conf/base/parameters_raw_data.yml")), false);
    assert.equal((await kmlf(["run", "raw_data", "-q"], { cwd: dir })).code, 0);
    const local = await kmlf(["pipeline", "create", "features", "-e", "local"], { cwd: dir });
    assert.equal(local.code, 0, local.stderr);
    assert.ok(await exists(join(dir, "conf/local/parameters_features.yml")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pipeline delete removes what create made, after --yes", async () => {
  const dir = await demoProject();
  try {
    await kmlf(["pipeline", "create", "scoring"], { cwd: dir });
    const r = await kmlf(["pipeline", "delete", "scoring", "--yes"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    for (const path of ["pipelines/scoring.yml", "pipelines/scoring", "tests/pipelines/scoring"]) {
      assert.equal(await exists(join(dir, path)), false, path);
    }
    assert.equal(await exists(join(dir, "conf/base/parameters_scoring.yml")), false);
    assert.ok(await exists(join(dir, "pipelines/training.yml")), "other pipelines stay");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pipeline delete refuses, naming each use, when other pipelines use its modules or its YAML", async () => {
  const dir = await demoProject();
  try {
    await kmlf(["pipeline", "create", "scoring"], { cwd: dir });
    const nodes = await Deno.readTextFile(join(dir, "pipelines/scoring.yml"));
    const func = /func: (\S+)/.exec(nodes)![1];
    await Deno.writeTextFile(
      join(dir, "pipelines/report.yml"),
      `nodes:\n  - name: again\n    func: ${func}\n    inputs: iris\n    outputs: again_out\n`,
    );
    await Deno.mkdir(join(dir, "pipelines/sub"));
    await Deno.writeTextFile(
      join(dir, "pipelines/sub/all.yml"),
      "nodes:\n  - pipeline: ../scoring.yml\n    namespace: s\n",
    );
    const r = await kmlf(["pipeline", "delete", "scoring", "--yes"], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /error\[pipeline\/in-use\].*uses \.\/scoring\/nodes\.ts#/);
    assert.match(r.stderr, /at pipelines\/report\.yml:3:11 \(nodes\[0\]\.func\)/);
    assert.match(r.stderr, /at pipelines\/sub\/all\.yml:2:15 \(nodes\[0\]\.pipeline\)/);
    for (const path of ["pipelines/scoring.yml", "pipelines/scoring", "conf/base/parameters_scoring.yml"]) {
      assert.ok(await exists(join(dir, path)), `${path} is kept`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const ERROR_CASES: Record<string, string[][]> = {
  "pipeline-bad-name": [["pipeline", "create", "2fast"]],
  "pipeline-reserved-name": [["pipeline", "create", "__default__"]],
  "pipeline-exists": [["pipeline", "create", "scoring"], ["pipeline", "create", "scoring"]],
  "pipeline-exists-as-demo": [["pipeline", "create", "training"]],
  "pipeline-no-env": [["pipeline", "create", "scoring", "--env", "prod"]],
  "pipeline-delete-unknown": [["pipeline", "delete", "nothing", "-y"]],
  // Kedro's cookiecutter --template: refused, nothing written (the golden shows no files listed).
  "pipeline-create-template": [["pipeline", "create", "scoring", "-t", "templates/pipeline"]],
  "pipeline-delete-needs-yes": [["pipeline", "create", "scoring"], ["pipeline", "delete", "scoring"]],
  // training.yml's `inference: {pipeline: inference}` names it.
  "pipeline-delete-in-use": [["pipeline", "delete", "inference", "--yes"]],
};

for (const [name, commands] of Object.entries(ERROR_CASES)) {
  Deno.test(`bad pipeline command: ${name}`, async () => {
    const dir = await demoProject();
    try {
      let last;
      for (const args of commands) last = await kmlf(args, { cwd: dir });
      assert.equal(last!.code, 2, last!.stderr);
      await assertGolden(`errors/${name}`, `exit ${last!.code}\n${normalize(last!.stderr, dir)}`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
