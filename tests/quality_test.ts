/** The repository stays formatted, lint-free and type-correct: checked as part of the test command. */
import assert from "node:assert/strict";
import { REPO, runDeno } from "./cli_harness.ts";

// Both streams: fmt, lint and check report on either.
async function deno(args: string[]): Promise<{ code: number; output: string }> {
  const r = await runDeno(args, REPO);
  return { code: r.code, output: r.stdout + r.stderr };
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
