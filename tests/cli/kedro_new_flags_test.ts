/** `kedro new`'s flags on `kmlf new`: -n/--name, -e/--example y|n, the directory from the name; starters refused. */
import assert from "node:assert/strict";
import { kmlf } from "../cli_harness.ts";

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("kmlf new takes Kedro's --name alone (directory: the name in lower case) and --example y|n", async () => {
  const parent = await Deno.makeTempDir({ prefix: "kmlf-test-" });
  try {
    const named = await kmlf(["new", "--name", "Churn_Model", "-e", "n"], { cwd: parent });
    assert.equal(named.code, 0, named.stderr);
    assert.match(await Deno.readTextFile(`${parent}/churn-model/kmlf.yml`), /^name: Churn_Model$/m);
    assert.equal(await exists(`${parent}/churn-model/pipelines/training.yml`), false);
    const example = await kmlf([
      "new",
      "ex",
      "-n",
      "ex",
      "--example",
      "Yes",
      "--tools",
      "none",
      "--telemetry",
      "no",
    ], {
      cwd: parent,
    });
    assert.equal(example.code, 0, example.stderr);
    assert.ok(await exists(`${parent}/ex/pipelines/training.yml`));
    const help = await kmlf(["new", "--help"], { cwd: parent });
    assert.match(help.stdout, /-n, --name <name>/);
    assert.match(help.stdout, /-e, --example <y\|n>/);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("kmlf new refuses Kedro's starters and tools by name, and a missing config file, and writes nothing", async () => {
  const parent = await Deno.makeTempDir({ prefix: "kmlf-test-" });
  try {
    for (
      const [args, code, says] of [
        [["--starter", "spaceflights-pandas"], "cli/unsupported-flag", /no Kedro starters \(--starter\)/],
        [["--checkout", "0.19.0"], "cli/unsupported-flag", /--checkout/],
        [["-t", "lint,test"], "cli/unsupported-flag", /no Kedro tools \(--tools lint,test\)/],
        [["-c", "config.yml"], "yaml/unreadable", /Cannot read .*config\.yml/],
        [["--example", "maybe"], "cli/usage", /--example takes yes or no, not "maybe"/],
      ] as const
    ) {
      const res = await kmlf(["new", "p", ...args], { cwd: parent });
      assert.equal(res.code, 2, args.join(" "));
      assert.match(res.stderr, new RegExp(`^error\\[${code}\\]`), args.join(" "));
      assert.match(res.stderr, says, args.join(" "));
      assert.equal(await exists(`${parent}/p`), false, args.join(" "));
    }
    const bare = await kmlf(["new"], { cwd: parent });
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /kmlf new needs the project's directory or --name/);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("Kedro's refused and renamed flags answer the same in every form: -tX, -t=X, --tools=X, -t X", async () => {
  const parent = await Deno.makeTempDir({ prefix: "kmlf-test-" });
  try {
    await Deno.mkdir(`${parent}/proj`);
    await Deno.writeTextFile(`${parent}/proj/kmlf.yml`, "name: proj\n");
    const forms = (short: string, long: string, value: string) => [
      [short, value],
      [`${short}${value}`],
      [`${short}=${value}`],
      [`${long}=${value}`],
    ];
    for (
      const [command, short, long, value, says] of [
        [["new", "p"], "-t", "--tools", "lint", /^error\[cli\/unsupported-flag\]: .*\(--tools lint\)/],
        [
          ["new", "p"],
          "-s",
          "--starter",
          "spaceflights-pandas",
          /^error\[cli\/unsupported-flag\]: .*--starter/,
        ],
        [
          ["new", "p"],
          "-e",
          "--example",
          "maybe",
          /^error\[cli\/usage\]: --example takes yes or no, not "maybe"/,
        ],
        [
          ["new", "p"],
          "-tc",
          "--telemetry",
          "maybe",
          /^error\[cli\/usage\]: --telemetry takes yes or no, not "maybe"/,
        ],
        [
          ["pipeline", "create", "x"],
          "-t",
          "--template",
          "tpl",
          /^error\[cli\/unsupported-flag\]: .*\(--template tpl\)/,
        ],
      ] as const
    ) {
      // `-tcmaybe` is click's `-t cmaybe` (tools) too: a multi-letter short flag takes no attached value.
      const all = short.length > 2
        ? forms(short, long, value).filter((f) => f.length > 1 || f[0].includes("="))
        : forms(short, long, value);
      const answers = new Set<string>();
      for (const form of all) {
        const res = await kmlf([...command, ...form], { cwd: `${parent}/proj` });
        assert.equal(res.code, 2, form.join(" "));
        assert.match(res.stderr, says, form.join(" "));
        answers.add(res.stderr);
      }
      assert.equal(answers.size, 1, [...answers].join("\n"));
      assert.equal(await exists(`${parent}/proj/p`), false);
    }
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
