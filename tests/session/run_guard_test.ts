/** The RunGuard refuses every way of exiting during a run, Node's included, and leaves no trace after. */
import assert from "node:assert/strict";
import { RunError } from "../../lib/errors.ts";
import { RunGuard } from "../../lib/session/run_guard.ts";

type Exiting = { exit(code?: number): never; exitCode?: number | string };

function refused(call: () => unknown, how: string): void {
  assert.throws(
    call,
    (e: unknown) =>
      e instanceof RunError && e.code === "run/exit-called" &&
      e.message === `${how} was called during the run`,
  );
}

Deno.test("Deno.exit, the global process.exit and an imported node:process's exit are refused, exit code untouched", async () => {
  const denoExit = Deno.exit;
  const processExit = (globalThis as unknown as { process: Exiting }).process.exit;
  const guard = RunGuard.install();
  try {
    refused(() => Deno.exit(3), "Deno.exit(3)");
    refused(() => (globalThis as unknown as { process: Exiting }).process.exit(5), "process.exit(5)");
    const imported = (await import("node:process")).default as unknown as Exiting;
    refused(() => imported.exit(4), "process.exit(4)");
    assert.equal(imported.exitCode, undefined, "the refused exit left no exit code behind");
    await assert.rejects(() => guard.settle(), (e: unknown) => e instanceof RunError);
  } finally {
    guard.uninstall();
  }
  assert.equal(Deno.exit, denoExit, "Deno.exit is back");
  assert.equal(
    (globalThis as unknown as { process: Exiting }).process.exit,
    processExit,
    "process.exit is back",
  );
});
