/**
 * SQLite's memory map is for long-running servers only: the kernel maps 64 KB around each page read through
 * it, so a one-shot tracked run on a 27 MB store peaked 4.7 MB higher with it (bench/README.md).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openSqliteDb, openSqliteTarget } from "../../lib/tracking/stores/sqlite/open_db.ts";
import { parseTrackingUri } from "../../lib/tracking/stores/tracking_uri.ts";

const mmapSize = (db: { get<T>(sql: string): T | undefined }) =>
  Number(db.get<{ mmap_size: number | bigint }>("PRAGMA mmap_size")?.mmap_size);

Deno.test("a store reads through a memory map only when asked (kmlf server and mlflow ui ask)", () => {
  const dir = Deno.makeTempDirSync({ prefix: "kmlf-mmap-" });
  try {
    const plain = openSqliteDb(join(dir, "a.db"));
    assert.equal(mmapSize(plain.db), 0);
    plain.db.close();
    const mapped = openSqliteDb(join(dir, "a.db"), { memoryMap: true });
    assert.equal(mmapSize(mapped.db), 268435456);
    mapped.db.close();
    const target = parseTrackingUri("sqlite:///b.db", { baseDir: dir });
    assert.equal(target.kind, "sqlite");
    if (target.kind !== "sqlite") return;
    const served = openSqliteTarget(target, { baseDir: dir, memoryMap: true });
    assert.equal(mmapSize(served.db), 268435456);
    served.db.close();
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("the tracking server opens its store with the memory map", async () => {
  const source = await Deno.readTextFile(new URL("../../lib/cli/serve_tracking.ts", import.meta.url));
  const call = source.slice(source.indexOf("prepareStore(options.trackingUri"));
  assert.match(call.slice(0, call.indexOf("});")), /memoryMap: true/);
});
