/** Kedro's habits on `kmlf run`: two-letter short flags, `--params a:b`, a run config file. */
import assert from "node:assert/strict";
import { gzipSync } from "fflate";
import { createTar } from "nanotar";
import { expandKedroShortFlags } from "../../lib/cli/kedro_flags.ts";
import { buildProgram } from "../../lib/cli/main.ts";
import { parseRuntimeParams } from "../../lib/config/mod.ts";
import { demoProject, kmlf, REPO } from "../cli_harness.ts";
import { join } from "node:path";

const program = buildProgram([]);
const expand = (argv: string[]) => expandKedroShortFlags(argv, program);

Deno.test("-ns and -lv after `run`, -tc after `new` become their long flags; other tokens stay", () => {
  assert.deepEqual(
    expand(["run", "-ns", "ds", "-lv=m:v", "-n", "a", "-nsplit"]),
    ["run", "--namespaces", "ds", "--load-versions=m:v", "-n", "a", "-nsplit"],
  );
  assert.deepEqual(expand(["new", "p", "-tc", "n"]), ["new", "p", "--telemetry", "n"]);
  assert.deepEqual(expand(["new", "p", "-tc=n"]), ["new", "p", "--telemetry=n"]);
  // Only the command that has them: a `run` word that is a value or an operand is not the command.
  assert.deepEqual(expand(["catalog", "list", "-ns"]), ["catalog", "list", "-ns"]);
  assert.deepEqual(expand(["new", "run", "-ns", "x"]), ["new", "run", "-ns", "x"]);
  assert.deepEqual(expand(["--project", "run", "new", "-tc", "y"]), [
    "--project",
    "run",
    "new",
    "--telemetry",
    "y",
  ]);
  assert.deepEqual(expand(["run", "--", "-ns"]), ["run", "--", "-ns"]);
});

Deno.test("a value-taking short flag written -x=v reads as -x v, alone or ending a group", () => {
  assert.deepEqual(expand(["new", "p", "-t=lint"]), ["new", "p", "-t", "lint"]);
  assert.deepEqual(expand(["pipeline", "create", "x", "-t=tpl"]), ["pipeline", "create", "x", "-t", "tpl"]);
  assert.deepEqual(expand(["mlflow", "init", "-fse=prod"]), ["mlflow", "init", "-fse", "prod"]);
  assert.deepEqual(expand(["mlflow", "ui", "-h=0.0.0.0"]), ["mlflow", "ui", "-h", "0.0.0.0"]);
  // An option's value is never read as a flag, and a boolean's "=" is left for commander to refuse.
  assert.deepEqual(expand(["run", "--params", "-e=x", "-e", "-t=y"]), [
    "run",
    "--params",
    "-e=x",
    "-e",
    "-t=y",
  ]);
  assert.deepEqual(expand(["run", "-q=yes"]), ["run", "-q=yes"]);
  assert.deepEqual(expand(["run", "-tlint", "-t", "=x"]), ["run", "-tlint", "-t", "=x"]);
  // Every value-taking short flag of every command, found by walking the command tree.
  const walk = (cmd: typeof program, path: string[]): number =>
    cmd.options.filter((o) => o.short && (o.required || o.optional)).map((o) => {
      assert.deepEqual(expand([...path, `${o.short}=v=w`]), [...path, o.short!, "v=w"], `${path} ${o.short}`);
      return 1;
    }).length + cmd.commands.reduce((n, sub) => n + walk(sub, [...path, sub.name()]), 0);
  assert.ok(walk(program, []) > 30);
});

Deno.test("--params splits on ':' like on '=', whichever comes first decides", () => {
  assert.deepEqual(parseRuntimeParams("a.b:8,c=x:y,d:e=f,url=http://h:1"), {
    a: { b: 8 },
    c: "x:y",
    d: "e=f",
    url: "http://h:1",
  });
});

Deno.test("kmlf run takes Kedro's short flags, --conf-source and a run config file", async () => {
  const dir = await demoProject({
    "pipelines/ns.yml":
      "nodes:\n  - pipeline: ./training.yml\n    namespace: dp\n    inputs: {iris: iris}\n" +
      "    parameters: {split: split, target: target, features: features, model: model}\n",
    "conf-prod/base/catalog.yml": "iris: {type: csv, filepath: data/01_raw/iris.csv}\n",
    "conf-prod/base/parameters.yml": await Deno.readTextFile(
      new URL("../../conf/base/parameters.yml", import.meta.url),
    ),
    "conf-prod/local/.keep": "",
    "run.yml": "run:\n  pipeline: training\n  tags: [preprocessing]\n  params: {split: {test_size: 0.5}}\n",
    // Kedro's own run.yml names --nodes and --async by their click parameters: node_names, is_async.
    "kedro_run.yml": "run:\n  pipeline: training\n  node_names: split_data, train_model\n  is_async: true\n",
  });
  try {
    const ns = await kmlf(["run", "ns", "-ns", "dp", "--params", "split.seed:7", "--json"], { cwd: dir });
    assert.equal(ns.code, 0, ns.stderr);
    assert.ok(JSON.parse(ns.stdout).nodes.every((n: { name: string }) => n.name.startsWith("dp.")));
    const conf = await kmlf([
      "run",
      "training",
      "-t",
      "preprocessing",
      "--conf-source",
      "conf-prod",
      "--json",
    ], {
      cwd: dir,
    });
    assert.equal(conf.code, 0, conf.stderr);
    // Kedro's packaged config: the same folder as a .tar.gz archive, read as it is.
    const names = ["conf-prod/base/catalog.yml", "conf-prod/base/parameters.yml", "conf-prod/local/.keep"];
    const tar = createTar(
      await Promise.all(names.map(async (name) => ({ name, data: await Deno.readFile(`${dir}/${name}`) }))),
    );
    await Deno.writeFile(`${dir}/conf-prod.tar.gz`, gzipSync(tar));
    await Deno.remove(`${dir}/conf-prod`, { recursive: true });
    const packed = await kmlf([
      "run",
      "training",
      "-t",
      "preprocessing",
      "--conf-source",
      "conf-prod.tar.gz",
      "--json",
    ], {
      cwd: dir,
    });
    assert.equal(packed.code, 0, packed.stderr);
    const file = await kmlf(["run", "-c", "run.yml", "--json"], { cwd: dir });
    assert.equal(file.code, 0, file.stderr);
    assert.deepEqual(JSON.parse(file.stdout).nodes.map((n: { name: string }) => n.name), ["split_data"]);
    const kedroFile = await kmlf(["run", "-c", "kedro_run.yml", "--json"], { cwd: dir });
    assert.equal(kedroFile.code, 0, kedroFile.stderr);
    assert.deepEqual(
      JSON.parse(kedroFile.stdout).nodes.map((n: { name: string }) => n.name),
      ["split_data", "train_model"],
    );
    const help = await kmlf(["run", "--help"], { cwd: dir });
    assert.match(help.stdout, /-ns, --namespaces <namespaces>/);
    assert.match(help.stdout, /-lv, --load-versions <pairs>/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Kedro's catalog subcommand names (describe-datasets, resolve-patterns, list-patterns, rank) are kmlf's", async () => {
  const dir = await demoProject({});
  try {
    for (
      const [kedro, kmlfName] of [
        ["describe-datasets", "list"],
        ["resolve-patterns", "resolve"],
        ["list-patterns", "patterns"],
        ["rank", "patterns"],
      ]
    ) {
      const [a, b] = [
        await kmlf(["catalog", kedro], { cwd: dir }),
        await kmlf(["catalog", kmlfName], { cwd: dir }),
      ];
      assert.equal(a.code, 0, a.stderr);
      assert.equal(a.stdout, b.stdout, kedro);
    }
    const { stdout } = await kmlf(["completion", "bash"], { cwd: REPO });
    assert.match(stdout, /"catalog describe-datasets"\) opts="--env -e --params --pipeline -p --help"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// `kedro run` takes its env from $KEDRO_ENV when --env is not given; a Kedro project's deployments set it, so
// kmlf reads it after its own KMLF_ENV rather than silently running the default env's config.
Deno.test("KEDRO_ENV names the env as in Kedro, after --env and KMLF_ENV", async () => {
  const dir = await demoProject({ "conf/prod/.gitkeep": "" });
  try {
    const env = (r: { stdout: string; stderr: string }) =>
      /Running pipeline training \(env (\w+),/.exec(r.stdout)?.[1];
    const kedro = await kmlf(["run", "training"], { cwd: dir, env: { KEDRO_ENV: "prod" } });
    assert.equal(kedro.code, 0, kedro.stderr);
    assert.equal(env(kedro), "prod");
    const both = await kmlf(["run", "training"], { cwd: dir, env: { KMLF_ENV: "local", KEDRO_ENV: "prod" } });
    assert.equal(env(both), "local");
    const flag = await kmlf(["run", "training", "-e", "local"], { cwd: dir, env: { KEDRO_ENV: "prod" } });
    assert.equal(env(flag), "local");
    // The other project commands read it too, and a folder it names must exist.
    const list = await kmlf(["catalog", "list"], { cwd: dir, env: { KEDRO_ENV: "staging" } });
    assert.equal(list.code, 2);
    assert.match(list.stderr, /config\/missing-env.*conf\/staging[\s\S]*KEDRO_ENV/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// Kedro's --runner-params (and run.yml's runner_params) are the runner's keyword arguments: kmlf's runners
// take max_workers and is_async, the same as --max-workers and --async; anything else is refused, not dropped.
Deno.test("--runner-params max_workers/is_async are --max-workers/--async; others and contradictions refused", async () => {
  const { applyRunnerParams } = await import("../../lib/cli/runner_params.ts");
  assert.deepEqual(applyRunnerParams("max_workers=4,is_async=True", {}), {
    maxWorkers: "4",
    maxWorkersFrom: "--runner-params max_workers",
    async: true,
  });
  assert.deepEqual(applyRunnerParams({ max_workers: 2 }, { maxWorkers: "2" }), { maxWorkers: "2" });
  const refused = (given: string, flags: { maxWorkers?: string; async?: boolean }, message: RegExp) =>
    assert.throws(() => applyRunnerParams(given, flags), (e: Error & { code?: string }) => {
      assert.equal(e.code, "cli/bad-runner-params");
      assert.match(e.message, message);
      return true;
    });
  refused("workers=2", {}, /names "workers", which kmlf's runners do not take/);
  refused("is_async=1", {}, /is_async must be true or false/);
  refused("is_async=false", { async: true }, /--async contradicts --runner-params is_async=false/);
  refused("max_workers=2", { maxWorkers: "3" }, /--max-workers 3 contradicts --runner-params max_workers=2/);

  const dir = await demoProject({
    "run.yml": "run:\n  pipeline: training\n  runner: ThreadRunner\n  runner_params:\n    max_workers: 3\n",
  });
  try {
    const json = async (args: string[]) => {
      const r = await kmlf(["run", ...args, "--json"], { cwd: dir });
      return JSON.parse(r.stdout) as { status: string; runner?: string; error?: string; code?: string };
    };
    const thread = await json(["training", "-r", "thread", "--runner-params", "max_workers=2,is_async=true"]);
    assert.equal(thread.status, "success", thread.error);
    const fromFile = await json(["-c", "run.yml"]);
    assert.equal(fromFile.status, "success", fromFile.error);
    // The sequential runner takes no max_workers (a TypeError in Kedro): named as the user wrote it.
    const sequential = await json(["training", "--runner-params", "max_workers=2"]);
    assert.equal(sequential.code, "runner/bad-max-workers");
    assert.match(sequential.error!, /^--runner-params max_workers has no effect with the sequential runner/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// A run config file's runner_params are the file's, not a --runner-params the user never typed: each problem
// is named and placed where run.yml wrote it, and a list or number is refused as what it is, not parsed as
// --runner-params text.
Deno.test("run.yml runner_params problems are placed in run.yml; a list or a number is refused", async () => {
  const dir = await demoProject({});
  try {
    const run = async (runnerParams: string) => {
      await Deno.writeTextFile(
        join(dir, "run.yml"),
        `run:\n  pipeline: training\n  runner: thread\n  runner_params: ${runnerParams}\n`,
      );
      const r = await kmlf(["run", "-c", "run.yml"], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      return r.stderr;
    };
    for (const wrong of ["[1, 2]", "4"]) {
      const stderr = await run(wrong);
      assert.match(
        stderr,
        /error\[cli\/bad-config-file\]: Invalid value for "run\.runner_params" in run\.yml/,
      );
      assert.match(stderr, /at run\.yml:4:18 \(run\.runner_params\)/);
    }
    const mapping = await run("{max_workers: 0, is_async: 'yes', workers: 2}");
    assert.match(
      mapping,
      /run\.runner_params in run\.yml names "workers"[^\n]*\n {2}at run\.yml:4:\d+ \(run\.runner_params\.workers\)/,
    );
    assert.match(
      mapping,
      /is_async must be true or false, got "yes"\n {2}at run\.yml:4:\d+ \(run\.runner_params\.is_async\)/,
    );
    assert.match(mapping, /max_workers must be a whole number of at least 1, got "0"\n {2}at run\.yml:4:\d+/);
    assert.doesNotMatch(mapping, /--runner-params/);
    const text = await run("max_workers");
    assert.match(text, /Cannot parse run\.runner_params item "max_workers"[^\n]*\n {2}at run\.yml:4:18/);
    // On the command line, the hint is a runner's, not --params' "model.lr=0.1,seed:3".
    const flag = await kmlf(["run", "training", "--runner-params", "max_workers"], { cwd: dir });
    assert.match(flag.stderr, /hint: write --runner-params "max_workers=4,is_async=true"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// Kedro's ParallelRunner(max_workers=2.0) fails in Python, and `--max-workers 2.0` is refused: a count
// written as a float is refused wherever it is written, though JavaScript reads `2.0` as the number 2.
Deno.test('a worker count written as a float (2.0) or quoted text ("4") is refused in --runner-params, run.yml and kmlf.yml alike', async () => {
  const { applyRunnerParams } = await import("../../lib/cli/runner_params.ts");
  for (
    const text of ["max_workers=2.0", "max_workers:2.", "max_workers=2e0", "max_workers=1,max_workers=2.0"]
  ) {
    assert.throws(
      () => applyRunnerParams(text, {}),
      /--runner-params max_workers must be a whole number of at least 1, got "2(\.0?|e0)"/,
      text,
    );
  }
  assert.deepEqual(applyRunnerParams("max_workers=2.0,max_workers= 3", {}).maxWorkers, "3");
  const dir = await demoProject({});
  try {
    const refused = async (args: string[], message: RegExp) => {
      const r = await kmlf(["run", ...args], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    };
    await refused(
      ["training", "-r", "parallel", "--max-workers", "2.0"],
      /--max-workers must be a whole number of at least 1, got "2\.0"/,
    );
    await refused(
      ["training", "-r", "parallel", "--runner-params", "max_workers=2.0"],
      /--runner-params max_workers must be a whole number of at least 1, got "2\.0"/,
    );
    for (const written of ["{max_workers: 2.0}", '"max_workers=2.0"']) {
      await Deno.writeTextFile(
        join(dir, "run.yml"),
        `run:\n  pipeline: training\n  runner: parallel\n  runner_params: ${written}\n`,
      );
      await refused(
        ["-c", "run.yml"],
        /run\.runner_params in run\.yml max_workers must be a whole number of at least 1, got "2\.0"\n {2}at run\.yml:4:/,
      );
    }
    // A file's count in quotes is text: Kedro's ParallelRunner(max_workers="4") fails, so it is refused
    // (`--max-workers 4` is a number by parsing); run.max_workers too, and its 2.0.
    await Deno.writeTextFile(
      join(dir, "run.yml"),
      'run:\n  pipeline: training\n  runner: parallel\n  runner_params: {max_workers: "4"}\n',
    );
    await refused(
      ["-c", "run.yml"],
      /run\.runner_params in run\.yml max_workers must be a number, got the text "4"\n {2}at run\.yml:4:\d+ \(run\.runner_params\.max_workers\)\n {2}hint: write it without quotes, e\.g\. max_workers: 4/,
    );
    for (
      const [written, message] of [['"4"', 'a number, got the text "4"'], [
        "2.0",
        "a whole number of at least 1, got 2.0",
      ]]
    ) {
      await Deno.writeTextFile(
        join(dir, "run.yml"),
        `run:\n  pipeline: training\n  runner: parallel\n  max_workers: ${written}\n`,
      );
      await refused(
        ["-c", "run.yml"],
        new RegExp(
          `run\\.max_workers in run\\.yml must be ${message.replace(".", "\\.")}\\n {2}at run\\.yml:4:16`,
        ),
      );
    }
    const settings = await Deno.readTextFile(join(dir, "kmlf.yml"));
    await Deno.writeTextFile(
      join(dir, "kmlf.yml"),
      `${settings}runner:\n  type: parallel\n  max_workers: 2.0\n`,
    );
    await refused(
      ["training"],
      /runner\.max_workers must be a whole number of at least 1, got 2\.0\n {2}at kmlf\.yml:\d+:\d+ \(runner\.max_workers\)/,
    );
    // A whole number still runs.
    await Deno.writeTextFile(join(dir, "kmlf.yml"), `${settings}runner:\n  type: thread\n  max_workers: 2\n`);
    const ok = await kmlf(["run", "training"], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
