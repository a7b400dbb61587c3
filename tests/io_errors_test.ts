/** I/O failures mapped to a code, a description and a hint: real OS errors where the test can cause them. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ioProblem } from "../lib/io_errors.ts";

async function failure(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  assert.fail("expected a failure");
}

Deno.test("real OS errors become the problem kmlf can explain, naming the subject", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-io-" });
  try {
    await Deno.writeTextFile(join(dir, "file"), "not an SQLite database\n".repeat(100));
    const isDir = await failure(() => Deno.writeTextFile(dir, "x"));
    assert.equal(ioProblem(isDir, "data/x")?.code, "is-a-directory");
    const notDir = await failure(() => Deno.writeTextFile(join(dir, "file", "below"), "x"));
    assert.equal(ioProblem(notDir, "data/x")?.code, "not-a-directory");
    const sys = await failure(() => Deno.writeTextFile("/sys/kmlf-io-test", "x"));
    assert.ok(["permission-denied", "read-only"].includes(ioProblem(sys, "/sys/kmlf-io-test")!.code));
    const { DatabaseSync } = await import("node:sqlite");
    const notDb = await failure(() => {
      const db = new DatabaseSync(join(dir, "file"));
      return Promise.resolve(db.exec("SELECT * FROM sqlite_master"));
    });
    assert.match(ioProblem(notDb, "store.db")!.hint, /store\.db/);
    assert.equal(ioProblem(new Error("nothing to do with disks"), "x"), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("OS error numbers and SQLite's words map to one code each", () => {
  const cases: [string, string][] = [
    ["Read-only file system (os error 30): open 'x'", "read-only"],
    ["attempt to write a readonly database", "read-only"],
    ["No space left on device (os error 28): write 'x'", "no-space"],
    ["database or disk is full", "no-space"],
    ["File too large (os error 27): write 'x'", "file-too-large"],
    ["Permission denied (os error 13): open 'x'", "permission-denied"],
    ["Operation not permitted (os error 1): mkdir 'x'", "permission-denied"],
    ["Input/output error (os error 5)", "io-error"],
    ["disk I/O error", "io-error"],
    ["file is not a database", "not-a-database"],
  ];
  for (const [message, code] of cases) assert.equal(ioProblem(new Error(message), "x")?.code, code, message);
  assert.equal(ioProblem(new Deno.errors.PermissionDenied("denied"), "x")?.code, "permission-denied");
});
