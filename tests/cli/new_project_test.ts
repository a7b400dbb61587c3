/** What `kmlf new` writes besides the pipelines: deno.json, a real README, a project .gitignore. */
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { projectFiles } from "../../lib/cli/new_command.ts";
import { REPO } from "../cli_harness.ts";

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
