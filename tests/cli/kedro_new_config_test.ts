/**
 * `kmlf new --config FILE` (Kedro's non-interactive `kedro new`) and project names with spaces: the
 * directory is Kedro's repo_name, kmlf.yml's name Kedro's python_package, the README keeps the name.
 */
import assert from "node:assert/strict";
import { readKedroNewConfig } from "../../lib/cli/new_config_file.ts";
import type { UsageError } from "../../lib/errors.ts";
import { kmlf } from "../cli_harness.ts";

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("kmlf new --name with spaces: directory my-project, kmlf.yml name my_project, README titled as given", async () => {
  const parent = await Deno.makeTempDir({ prefix: "kmlf-test-" });
  try {
    for (
      const [name, dir, settings] of [
        ["My Project", "my-project", "my_project"],
        ["Iris 2", "iris-2", "iris_2"],
        ["Churn_Model", "churn-model", "Churn_Model"], // a name kmlf.yml takes as it is stays
        ["a  b-c_d", "a--b-c-d", "a__b_c_d"], // Kedro replaces each space, it does not collapse them
      ] as const
    ) {
      const made = await kmlf(["new", "-n", name, "-e", "n"], { cwd: parent });
      assert.equal(made.code, 0, made.stderr);
      assert.match(made.stdout, new RegExp(`Created project "${name}" in .*/${dir}\\n`));
      assert.match(
        await Deno.readTextFile(`${parent}/${dir}/kmlf.yml`),
        new RegExp(`^name: ${settings}$`, "m"),
      );
      assert.match(await Deno.readTextFile(`${parent}/${dir}/README.md`), new RegExp(`^# ${name}\\n`));
      // The project loads: kmlf.yml's name is valid.
      const list = await kmlf(["registry", "list"], { cwd: `${parent}/${dir}` });
      assert.equal(list.code, 0, list.stderr);
    }
    // With the example, mlflow.yml's experiment is the package name, as kedro-mlflow names it.
    const iris = await kmlf(["new", "--name=Iris Demo"], { cwd: parent });
    assert.equal(iris.code, 0, iris.stderr);
    assert.match(
      await Deno.readTextFile(`${parent}/iris-demo/conf/base/mlflow.yml`),
      /^ {4}name: iris_demo$/m,
    );
    // A directory named like a YAML keyword still gives a kmlf.yml that loads.
    for (const word of ["true", "no", "null"]) {
      assert.equal((await kmlf(["new", word, "-e", "n"], { cwd: parent })).code, 0, word);
      assert.match(
        await Deno.readTextFile(`${parent}/${word}/kmlf.yml`),
        new RegExp(`^name: "${word}"$`, "m"),
      );
      const list = await kmlf(["registry", "list"], { cwd: `${parent}/${word}` });
      assert.equal(list.code, 0, list.stderr);
    }
    // Kedro's refusals, with its message; nothing is written.
    for (
      const [name, says] of [
        [
          "x",
          /"x" \(--name\) is an invalid value for project name\. It must contain only alphanumeric symbols, spaces, underscores and hyphens and be at least 2 characters long/,
        ],
        ["a.b", /invalid value for project name/],
        ["Iris/2", /invalid value for project name/],
        ["2 Iris", /its package name "2_iris" \(kmlf\.yml's name\) must start with a letter/],
      ] as const
    ) {
      const res = await kmlf(["new", "--name", name], { cwd: parent });
      assert.equal(res.code, 2, name);
      assert.match(res.stderr, /^error\[new\/bad-name\]/, name);
      assert.match(res.stderr, says, name);
    }
    assert.equal(await exists(`${parent}/2-iris`), false);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("kmlf new --config reads Kedro's file: project_name, repo_name, output_dir, python_package, example", async () => {
  const parent = await Deno.makeTempDir({ prefix: "kmlf-test-" });
  const write = (name: string, text: string) => Deno.writeTextFile(`${parent}/${name}`, text);
  try {
    await Deno.mkdir(`${parent}/out`);
    await write(
      "full.yml",
      "output_dir: out\nproject_name: Iris Demo\nrepo_name: demo-repo\npython_package: demo_pkg\n" +
        "tools: none\nexample_pipeline: yes\n",
    );
    const full = await kmlf(["new", "--config", "full.yml"], { cwd: parent });
    assert.equal(full.code, 0, full.stderr);
    assert.match(await Deno.readTextFile(`${parent}/out/demo-repo/kmlf.yml`), /^name: demo_pkg$/m);
    assert.match(await Deno.readTextFile(`${parent}/out/demo-repo/README.md`), /^# Iris Demo\n/);
    assert.ok(await exists(`${parent}/out/demo-repo/pipelines/training.yml`));
    // Only project_name: the rest derived as Kedro derives it, no example (Kedro's default for a file);
    // flags win over the file.
    await write("short.yml", "project_name: Iris Demo\n");
    const short = await kmlf(["new", "-cshort.yml"], { cwd: parent });
    assert.equal(short.code, 0, short.stderr);
    assert.match(await Deno.readTextFile(`${parent}/iris-demo/kmlf.yml`), /^name: iris_demo$/m);
    assert.equal(await exists(`${parent}/iris-demo/pipelines/training.yml`), false);
    const flags = await kmlf(["new", "-c=short.yml", "--name", "Other Name", "-e", "y"], { cwd: parent });
    assert.equal(flags.code, 0, flags.stderr);
    assert.ok(await exists(`${parent}/other-name/pipelines/training.yml`));

    // Every bad file is refused naming the file (and the key), and nothing is written.
    await write("empty.yml", "");
    await write("list.yml", "- a\n");
    await write("broken.yml", "project_name: [\n");
    await write("typo.yml", "project_name: Iris Demo\nrepos_name: x\n");
    await write("noname.yml", "repo_name: abc\n");
    await write("outdir.yml", "project_name: Iris Demo\noutput_dir: nowhere\n");
    await write("tools.yml", "project_name: Iris Demo\ntools: lint,test\n");
    await write("example.yml", "project_name: Iris Demo\nexample_pipeline: maybe\n");
    await write("repo.yml", "project_name: Iris Demo\nrepo_name: ../up\n");
    await write("pkg.yml", "project_name: Iris Demo\npython_package: 1abc\n");
    await write("badname.yml", "project_name: x!\n");
    await write("typed.yml", "project_name: 2024\n");
    for (
      const [file, code, says] of [
        ["missing.yml", "yaml/unreadable", /Cannot read .*missing\.yml/],
        ["empty.yml", "cli/bad-config-file", /Config file .*empty\.yml is empty/],
        ["list.yml", "cli/bad-config-file", /list\.yml is not a mapping/],
        ["broken.yml", "cli/bad-config-file", /Cannot parse .*broken\.yml/],
        [
          "typo.yml",
          "cli/bad-config-file",
          /Unknown key "repos_name" in .*typo\.yml[^]*did you mean "repo_name"/,
        ],
        ["noname.yml", "cli/bad-config-file", /project_name not found in .*noname\.yml/],
        [
          "outdir.yml",
          "cli/bad-config-file",
          /'nowhere' \("output_dir" in .*outdir\.yml\) is not a valid output directory/,
        ],
        ["tools.yml", "cli/unsupported-flag", /no Kedro tools \(tools in .*tools\.yml: lint,test\)/],
        [
          "example.yml",
          "cli/bad-config-file",
          /example_pipeline in .*example\.yml takes yes or no, not "maybe"/,
        ],
        [
          "repo.yml",
          "new/bad-name",
          /"\.\.\/up" \(repo_name in .*repo\.yml\) is not a valid repository name/,
        ],
        [
          "pkg.yml",
          "cli/bad-config-file",
          /`1abc` \("python_package" in .*pkg\.yml\) is not a valid Python package name/,
        ],
        [
          "badname.yml",
          "new/bad-name",
          /"x!" \(project_name in .*badname\.yml\) is an invalid value for project name/,
        ],
        [
          "typed.yml",
          "cli/bad-config-file",
          /Invalid value for "project_name" in .*typed\.yml: expected text/,
        ],
      ] as const
    ) {
      const res = await kmlf(["new", "--config", file], { cwd: parent });
      assert.equal(res.code, 2, `${file}: ${res.stderr}`);
      assert.match(res.stderr, new RegExp(`^error\\[${code.replace("/", "\\/")}\\]`), file);
      assert.match(res.stderr, says, file);
    }
    const made = [...Deno.readDirSync(parent)].filter((e) => e.isDirectory).map((e) => e.name).sort();
    assert.deepEqual(made, ["iris-demo", "other-name", "out"]);
    assert.deepEqual([...Deno.readDirSync(`${parent}/out`)].map((e) => e.name), ["demo-repo"]);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("output_dir: ~ (Kedro's documented example; YAML reads it as null) is the home folder", async () => {
  const home = await Deno.makeTempDir({ prefix: "kmlf-test-" });
  const before = Deno.env.get("HOME");
  try {
    Deno.env.set("HOME", home);
    for (const [text, dir] of [["~", home], ['"~/sub"', `${home}/sub`]]) {
      await Deno.mkdir(`${home}/sub`, { recursive: true });
      await Deno.writeTextFile(`${home}/c.yml`, `project_name: Iris Demo\noutput_dir: ${text}\n`);
      assert.equal((await readKedroNewConfig(`${home}/c.yml`)).outputDir, dir);
    }
  } finally {
    if (before === undefined) Deno.env.delete("HOME");
    else Deno.env.set("HOME", before);
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("kmlf new DIR -c FILE: DIR must agree with the file's output_dir/repo_name (kedro new has no DIR)", async () => {
  const parent = await Deno.makeTempDir({ prefix: "kmlf-test-" });
  const write = (name: string, text: string) => Deno.writeTextFile(`${parent}/${name}`, text);
  try {
    await Deno.mkdir(`${parent}/out`);
    await write("both.yml", "output_dir: out\nproject_name: Agree\nrepo_name: agree\n");
    await write("repo.yml", "project_name: Agree\nrepo_name: agree\n");
    await write("outdir.yml", "project_name: Agree\noutput_dir: out\n");
    await write("name.yml", "project_name: Agree\n");
    for (
      const [dir, file, says] of [
        [
          "elsewhere",
          "both.yml",
          /output_dir and repo_name put the project in out\/agree, not elsewhere$/m,
        ],
        [
          "out/other",
          "both.yml",
          /output_dir and repo_name put the project in out\/agree, not out\/other$/m,
        ],
        ["other", "repo.yml", /its repo_name put the project in agree, not other$/m],
        ["agree", "outdir.yml", /its output_dir put the project in out\/agree, not agree$/m],
      ] as const
    ) {
      const r = await kmlf(["new", dir, "-c", file], { cwd: parent });
      assert.equal(r.code, 2, `${dir} ${file}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^error\\[cli\\/usage\\]: kmlf new ${dir} disagrees with .*${file}`));
      assert.match(r.stderr, says);
      assert.match(r.stderr, /leave the directory out/);
    }
    assert.deepEqual([...Deno.readDirSync(`${parent}/out`)], [], "nothing written");
    // Agreeing places, and a file that names no place, go on.
    for (
      const [dir, file] of [["out/agree", "both.yml"], ["./agree", "repo.yml"], ["out/x", "outdir.yml"], [
        "y",
        "name.yml",
      ]]
    ) {
      const r = await kmlf(["new", dir, "-c", file], { cwd: parent });
      assert.equal(r.code, 0, `${dir} ${file}: ${r.stderr}`);
      assert.ok(await exists(`${parent}/${dir}/kmlf.yml`), dir);
    }
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("output_dir written for another machine is refused at its line, naming the fix", async () => {
  if (Deno.build.os === "windows") return;
  const dir = await Deno.makeTempDir({ prefix: "kmlf-test-" });
  try {
    for (
      const [text, problem] of [["'C:\\projects'", /Windows path \(drive C:\)/], [
        "'out\\new'",
        /\\ separates/,
      ]] as const
    ) {
      await Deno.mkdir(`${dir}/C:\\projects`, { recursive: true });
      await Deno.mkdir(`${dir}/out\\new`, { recursive: true });
      await Deno.writeTextFile(`${dir}/c.yml`, `project_name: Iris Demo\noutput_dir: ${text}\n`);
      const cwd = Deno.cwd();
      Deno.chdir(dir);
      try {
        await assert.rejects(readKedroNewConfig(`${dir}/c.yml`), (e: unknown) => {
          const error = e as UsageError;
          assert.equal(error.code, "cli/bad-config-file");
          assert.equal(error.source?.line, 2);
          assert.match(error.message, problem);
          return true;
        });
      } finally {
        Deno.chdir(cwd);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
