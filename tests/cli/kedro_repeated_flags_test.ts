/** Kedro users repeat flags: list flags add up, a single-valued flag given two values is refused. */
import assert from "node:assert/strict";
import { demoProject, kmlf } from "../cli_harness.ts";

const names = (stdout: string) => JSON.parse(stdout).nodes.map((n: { name: string }) => n.name);

Deno.test("a list flag given twice adds up (click keeps the last one and silently runs less)", async () => {
  const dir = await demoProject({});
  try {
    for (
      const [args, expected] of [
        [["-p", "training", "-n", "split_data", "--nodes", "train_model"], ["split_data", "train_model"]],
        [["-p", "training", "-t", "training", "--tags=preprocessing"], ["split_data", "train_model"]],
        [["--pipelines", "training", "--pipelines", "inference"], ["split_data", "train_model", "predict"]],
      ] as const
    ) {
      const run = await kmlf(["run", ...args, "--json"], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      for (const name of expected) assert.ok(names(run.stdout).includes(name), `${args}: ${run.stdout}`);
    }
    // Repeated --params merge like one comma-separated value; a repeated -lv pin is checked too.
    const params = await kmlf(
      [
        "run",
        "-p",
        "training",
        "--params",
        "split.seed=1",
        "--params",
        "nosuch:1",
        "-lv",
        "a:b",
        "-lv",
        "c:d",
      ],
      { cwd: dir },
    );
    assert.equal(params.code, 2);
    assert.match(params.stderr, /--load-versions names "a"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a single-valued flag given two different values is cli/repeated-flag, the same value twice is fine", async () => {
  const dir = await demoProject({});
  try {
    for (
      const [args, flag] of [
        [["run", "-e", "base", "--env", "local"], "--env"],
        [["run", "-p", "training", "-p", "inference"], "--pipeline"],
        [["run", "-r", "sequential", "-r", "thread"], "--runner"],
        [["catalog", "list", "-e", "base", "-e", "local"], "--env"],
      ] as const
    ) {
      const res = await kmlf([...args], { cwd: dir });
      assert.equal(res.code, 2, args.join(" "));
      assert.match(res.stderr, new RegExp(`error\\[cli/repeated-flag\\]: ${flag} was given twice`));
    }
    const same = await kmlf([
      "run",
      "-p",
      "training",
      "-e",
      "local",
      "-e",
      "local",
      "-n",
      "split_data",
      "--json",
    ], {
      cwd: dir,
    });
    assert.equal(same.code, 0, same.stderr);
    assert.deepEqual(names(same.stdout), ["split_data"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
