/** `deno task bench:compare` measures kmlf alone, or kmlf and a kedro it finds, in alternation. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseCompareArgs } from "../../bench/compare.ts";
import { REPO } from "../cli_harness.ts";

async function compare(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", join(REPO, "bench/compare.ts"), ...args],
    env: { NO_COLOR: "1", PATH: "/usr/bin:/bin", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout) + dec.decode(r.stderr) };
}

Deno.test("without kedro the comparison prints kmlf's figures and how to add the peer", async () => {
  const r = await compare(["--runs", "1"], {});
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /kmlf run training \(tracked, SQLite\)\s+\d+ ms/);
  assert.match(r.out, /no kedro found: set KEDRO_BIN/);
});

Deno.test("with KEDRO_BIN and KEDRO_PROJECT both run in alternation, in the project, and the ratio is printed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-fake-kedro-" });
  try {
    const log = join(dir, "calls.log");
    const bin = join(dir, "kedro");
    // A stand-in kedro: records where and how it was called (a real one needs Python).
    await Deno.writeTextFile(bin, `#!/bin/sh\necho "$(pwd) $*" >> ${log}\nsleep 0.05\n`);
    await Deno.chmod(bin, 0o755);
    await Deno.mkdir(join(dir, "iris-kedro"));
    const r = await compare(["--runs", "2"], { KEDRO_BIN: bin, KEDRO_PROJECT: join(dir, "iris-kedro") });
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /kedro run \(.*iris-kedro\)\s+\d+ ms/);
    assert.match(r.out, /kmlf is \d+\.\d+x faster/);
    const calls = (await Deno.readTextFile(log)).trim().split("\n");
    assert.deepEqual(
      calls,
      Array(3).fill(`${join(dir, "iris-kedro")} run`),
      "a warm-up and two runs, in the project",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compare's arguments: runs, another kmlf command, the kedro project and arguments", () => {
  assert.deepEqual(parseCompareArgs([]), { runs: 11, kedroArgs: ["run"] });
  assert.deepEqual(
    parseCompareArgs(["--runs=3", "--kmlf", "/opt/kmlf", "--kedro-args", "run --pipeline training"]),
    { runs: 3, kmlf: ["/opt/kmlf"], kedroArgs: ["run", "--pipeline", "training"] },
  );
  assert.throws(() => parseCompareArgs(["--runs", "0"]), /--runs/);
  assert.throws(() => parseCompareArgs(["--fast"]), /Unknown argument "--fast"/);
});
