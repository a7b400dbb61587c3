/**
 * Hints about an undefined parameter or dataset name the project's own config files (Kedro's `parameters*`,
 * `catalog*` patterns, any conf folder), not a fixed `conf/base/parameters.yml` or `conf/base/catalog.yml`
 * the project may not have.
 */
import assert from "node:assert/strict";
import { demoProject, kmlf } from "../cli_harness.ts";
import { IRIS_FILES } from "../../lib/cli/templates/iris_files.ts";

const PARAMS = IRIS_FILES["conf/base/parameters.yml"];
const TRAINING = IRIS_FILES["pipelines/training.yml"];

async function runIn(
  files: Record<string, string | null>,
  kmlfYml = "",
  tracked = false,
  args = ["run", "training"],
) {
  const dir = await demoProject(files, { tracked });
  try {
    if (kmlfYml) await Deno.writeTextFile(`${dir}/kmlf.yml`, kmlfYml, { append: true });
    return await kmlf(args, { cwd: dir });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("an unknown parameter's hint names the project's only parameter file", async () => {
  const r = await runIn({
    "conf/base/parameters.yml": null,
    "conf/base/parameters_data_science.yml": PARAMS,
    "pipelines/training.yml": TRAINING.replace("params:target", "params:no_such_param"),
  });
  assert.equal(r.code, 2, r.stderr);
  assert.doesNotMatch(r.stderr, /no-parameter-files/);
  assert.match(
    r.stderr,
    /error\[runner\/unknown-parameter\][^\n]*\n(?:.*\n)*? {2}hint: define "no_such_param" in conf\/base\/parameters_data_science\.yml \(or pass --params no_such_param=\.\.\.\)/,
  );
});

Deno.test("an unknown key of a parameter mapping: the hint names the file that writes the mapping", async () => {
  const [split, rest] = [PARAMS.slice(0, PARAMS.indexOf("target:")), PARAMS.slice(PARAMS.indexOf("target:"))];
  const r = await runIn({
    "conf/base/parameters.yml": rest,
    "conf/base/parameters/split.yml": split,
    "pipelines/training.yml": TRAINING.replace("params:split", "params:split.no_such_key"),
  });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /hint: define "split\.no_such_key" in conf\/base\/parameters\/split\.yml \(or pass/);
  // A new top-level key could go in either: the hint lists them.
  const other = await runIn({
    "conf/base/parameters.yml": rest,
    "conf/base/parameters/split.yml": split,
    "pipelines/training.yml": TRAINING.replace("params:target", "params:no_such_param"),
  });
  assert.match(
    other.stderr,
    /hint: define "no_such_param" in one of conf\/base\/parameters\.yml, conf\/base\/parameters\/split\.yml \(or pass/,
  );
});

Deno.test("a project without parameter files: the hint names the file to create (kmlf.yml's pattern too)", async () => {
  const r = await runIn({
    "conf/base/parameters.yml": null,
    "pipelines/training.yml": TRAINING.replace(/params:\w+/g, "params:seed"),
  });
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /hint: define "seed" in conf\/base\/parameters\.yml \(a new file: the project has no parameter files yet\)/,
  );
  // Kedro's context warns of it too, before the run's own errors.
  assert.match(r.stderr, /warning\[config\/no-parameter-files\]: No parameter files found in/);
  const custom = await runIn({
    "conf/base/parameters.yml": null,
    "pipelines/training.yml": TRAINING.replace(/params:\w+/g, "params:seed"),
  }, '\nconfig_patterns:\n  parameters: ["params*"]\n');
  assert.match(custom.stderr, /hint: define "seed" in conf\/base\/params\.yml \(a new file/, custom.stderr);
});

Deno.test("an inference pipeline's unknown parameter: the hint names the project's parameter file", async () => {
  const r = await runIn(
    {
      "conf/base/parameters.yml": null,
      "conf/base/parameters_iris.yml": PARAMS,
      "pipelines/inference.yml": IRIS_FILES["pipelines/inference.yml"].replace(
        "inputs: [model, instance_features]",
        "inputs: [model, params:no_such_param]",
      ),
    },
    "",
    true,
  );
  assert.match(
    r.stderr,
    /hint: define "no_such_param" in conf\/base\/parameters_iris\.yml \(or pass/,
    r.stderr,
  );
});

Deno.test("no parameter files: a warning on stderr, as Kedro's context warns; the command goes on", async () => {
  const dir = await demoProject({ "conf/base/parameters.yml": null });
  try {
    const listed = await kmlf(["catalog", "list"], { cwd: dir });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(
      listed.stderr,
      /warning\[config\/no-parameter-files\]: No parameter files found in \S*conf\/base or \S*conf\/local matching parameters\*, parameters\*\/\*\*, \*\*\/parameters\*\n(?:.*\n)*? {2}hint: create \S*conf\/base\/parameters\.yml \(it may contain just \{\}\)\n {2}note: the project goes on without parameters/,
    );
    // --params alone is enough for a run, as in Kedro (which warns all the same).
    const ran = await kmlf(
      [
        "run",
        "training",
        "--nodes",
        "split_data",
        "--params",
        "split.test_fraction=0.3,split.random_state=1,target=species",
      ],
      { cwd: dir },
    );
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stderr, /warning\[config\/no-parameter-files\]/);
    await Deno.writeTextFile(`${dir}/conf/local/parameters.yml`, "seed: 1\n");
    const quiet = await kmlf(["catalog", "list"], { cwd: dir });
    assert.doesNotMatch(quiet.stderr, /no-parameter-files/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a missing input's hint names the project's catalog file (catalog_*.yml, another conf folder)", async () => {
  const catalog = IRIS_FILES["conf/base/catalog.yml"];
  const renamed = await runIn({
    "conf/base/catalog.yml": null,
    "conf/base/catalog_iris.yml": catalog,
    "pipelines/training.yml": TRAINING.replace("inputs: [iris,", "inputs: [irs,"),
  });
  assert.equal(renamed.code, 2, renamed.stderr);
  assert.match(
    renamed.stderr,
    /hint: declare "irs" in conf\/base\/catalog_iris\.yml, produce it with a node/,
  );
  const dir = await demoProject({
    "pipelines/training.yml": TRAINING.replace("inputs: [iris,", "inputs: [irs,"),
  });
  try {
    await Deno.rename(`${dir}/conf`, `${dir}/settings`);
    const settings = await Deno.readTextFile(`${dir}/kmlf.yml`);
    await Deno.writeTextFile(
      `${dir}/kmlf.yml`,
      settings.replace(/^conf_source: .*$/m, "conf_source: settings"),
    );
    const moved = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(moved.code, 2, moved.stderr);
    assert.match(moved.stderr, /hint: declare "irs" in settings\/base\/catalog\.yml, produce it/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
