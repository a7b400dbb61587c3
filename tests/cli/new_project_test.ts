/**
 * What `kmlf new` writes besides the pipelines: deno.json, a real README, a project .gitignore; and that what it
 * writes (and `kmlf pipeline create` adds) is already as `deno fmt` and `deno lint` in the project want it.
 */
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { projectFiles } from "../../lib/cli/new_command.ts";
import { kmlf, REPO } from "../cli_harness.ts";

const kmlfConfig = JSON.parse(await Deno.readTextFile(`${REPO}/deno.json`));

Deno.test('a new project\'s deno.json maps "kmlf" to the running kmlf and every package kmlf ships', () => {
  const config = JSON.parse(projectFiles("churn", true)["deno.json"]);
  const root = pathToFileURL(`${REPO}/`).href;
  assert.equal(config.imports.kmlf, `${root}mod.ts`);
  for (const [name, target] of Object.entries(kmlfConfig.imports)) {
    if (name !== "kmlf") assert.equal(config.imports[name], target, name);
  }
  assert.equal(config.scopes[root]["js-yaml"], kmlfConfig.imports["js-yaml"], "kmlf keeps its versions");
  assert.match(config.tasks.test, /^deno test /);
});

Deno.test("a new project's .gitignore is the project's, not kmlf's repository's", () => {
  const ignore = projectFiles("churn", true)[".gitignore"];
  for (const line of ["/mlflow.db", "/mlartifacts/", "conf/local/**", ".kmlf/", "!data/01_raw/**"]) {
    assert.ok(ignore.split("\n").includes(line), line);
  }
  for (const repoOnly of ["tests/artifacts", "dist/", "Browser test"]) {
    assert.ok(!ignore.includes(repoOnly), repoOnly);
  }
  assert.ok(!ignore.includes("deno.lock"), "the lockfile is committed");
});

Deno.test("a new project's README says how to run, track and view, and where things go", () => {
  const withExample = projectFiles("churn", true)["README.md"];
  for (
    const part of [
      "# churn",
      "## Run",
      "kmlf run training",
      "## Track and view",
      "kmlf mlflow ui",
      "## Where things go",
      "`conf/local/`",
      "deno add npm:",
      'import { MlflowClient } from "kmlf"',
    ]
  ) {
    assert.ok(withExample.includes(part), part);
  }
  const empty = projectFiles("blank", false)["README.md"];
  assert.ok(empty.includes("kmlf pipeline create"));
  assert.ok(empty.includes("kmlf mlflow init --env=base"));
  assert.ok(!empty.includes("kmlf run training"));
});

Deno.test("a new project, with or without the example and after pipeline create, passes deno fmt --check and lint", async () => {
  const parent = await Deno.makeTempDir({ prefix: "kmlf-test-" });
  const deno = (args: string[], cwd: string) =>
    new Deno.Command(Deno.execPath(), { args, cwd, stdout: "piped", stderr: "piped" }).output();
  try {
    for (const [name, flags] of [["with_example", []], ["bare", ["--no-example"]]] as const) {
      const made = await kmlf(["new", name, ...flags], { cwd: parent });
      assert.equal(made.code, 0, made.stderr);
      const dir = `${parent}/${name}`;
      const created = await kmlf(["pipeline", "create", "scoring"], { cwd: dir });
      assert.equal(created.code, 0, created.stderr);
      for (const check of [["fmt", "--check"], ["lint"]]) {
        const r = await deno(check, dir);
        const said = new TextDecoder().decode(r.stderr) + new TextDecoder().decode(r.stdout);
        assert.equal(r.code, 0, `deno ${check.join(" ")} in a new project (${flags.join(" ")}):\n${said}`);
      }
    }
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
