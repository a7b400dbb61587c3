/** The repository stays formatted, lint-free and type-correct: checked as part of the test command. */
import assert from "node:assert/strict";
import { REPO } from "./cli_harness.ts";

async function deno(args: string[]): Promise<{ code: number; output: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: REPO,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, output: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

Deno.test("deno fmt --check passes", async () => {
  const r = await deno(["fmt", "--check"]);
  assert.equal(r.code, 0, r.output);
});

Deno.test("deno lint passes", async () => {
  const r = await deno(["lint"]);
  assert.equal(r.code, 0, r.output);
});

Deno.test("deno check passes for the CLI, the public API, benchmarks and tools", async () => {
  const r = await deno(["check", "cli.ts", "mod.ts", "bench/", "tools/"]);
  assert.equal(r.code, 0, r.output);
});
