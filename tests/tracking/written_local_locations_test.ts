/**
 * The written-location rule (lib/tracking/artifacts/local_uri.ts) where code, not a flag or a request, writes
 * a local folder: a model version's `source` given to a store (`kmlf models register`, library code) and the
 * artifact root given to `FileStore.open` / `SqliteStore.open`. A folder of no machine here (`file:`, another
 * host, a Windows drive off Windows, `~`) is INVALID_PARAMETER_VALUE naming it, never a version that loads
 * nothing or experiments whose artifacts land at the file system's root.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TrackingError } from "../../lib/errors.ts";
import { artifactRepositoryFor, FileStore, SqliteStore, type TrackingStore } from "../../lib/tracking/mod.ts";

const ON_WINDOWS = Deno.build.os === "windows";

/** Written for no folder of this machine, and the words the refusal must use. */
const FOREIGN: Array<[string, RegExp]> = [
  ["file:", /naming no absolute folder/],
  ["file:model", /naming no absolute folder/],
  ["file://server/share/model", /host 'server'/],
  ["~/mlruns/model", /~ is not expanded/],
  ...(ON_WINDOWS ? [] : [
    ["file:///C:/mlruns/model", /Windows path \(drive C:\)/],
    ["C:\\mlruns\\model", /Windows path \(drive C:\)/],
    ["\\\\server\\share\\model", /UNC path/],
  ] as Array<[string, RegExp]>),
];

function refusedAs(value: string, words: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof TrackingError, `${value}: ${e}`);
    assert.equal(e.code, "INVALID_PARAMETER_VALUE", value);
    assert.match(e.message, words, value);
    assert.ok(e.message.includes(JSON.stringify(value).slice(1, -1)), `${value}: ${e.message}`);
    assert.ok(e.hint, value);
    return true;
  };
}

async function withStores(test: (store: TrackingStore, dir: string) => Promise<void>): Promise<void> {
  for (const kind of ["sqlite", "file"] as const) {
    const dir = await Deno.makeTempDir({ prefix: `kmlf-written-${kind}-` });
    const store: TrackingStore = kind === "sqlite"
      ? SqliteStore.open(join(dir, "mlflow.db"))
      : await FileStore.open(join(dir, "mlruns"));
    try {
      await test(store, dir);
    } finally {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    }
  }
}

Deno.test("a model version source naming no folder of this machine is refused by every store", async () => {
  await withStores(async (store) => {
    await store.registry.createRegisteredModel("m");
    for (const [source, words] of FOREIGN) {
      await assert.rejects(() => store.registry.createModelVersion("m", source), refusedAs(source, words));
    }
    // Nothing was stored for them; sources MLflow users write still register.
    assert.equal((await store.registry.searchModelVersions({ filter: "name='m'" })).modelVersions.length, 0);
    const fine = ["runs:/0123456789abcdef0123456789abcdef/model", "s3://bucket/model", "/srv/models/iris"];
    for (const source of [...fine, "file:///srv/models/iris", "models/iris"]) {
      assert.equal((await store.registry.createModelVersion("m", source)).source, source);
    }
  });
});

Deno.test("an artifact root given to FileStore.open or SqliteStore.open must name a folder of this machine", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-written-roots-" });
  try {
    for (const [root, words] of FOREIGN) {
      await assert.rejects(
        () => FileStore.open(join(dir, "mlruns"), { artifactRoot: root }),
        refusedAs(root, words),
      );
      assert.throws(
        () => SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: root }),
        refusedAs(root, words),
      );
    }
    // No store was left holding a default experiment under such a root.
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), []);
    const root = `file://${join(dir, "art")}`;
    const file = await FileStore.open(join(dir, "mlruns"), { artifactRoot: root });
    assert.equal((await file.getExperiment("0")).artifactLocation, `${root}/0`);
    const sqlite = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: "s3://bucket/runs" });
    assert.equal((await sqlite.getExperiment("0")).artifactLocation, "s3://bucket/runs/0");
    await sqlite.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a stored file: location naming no absolute folder is said to be one, not an unsupported scheme", () => {
  for (const uri of ["file:", "file:mlruns/1/abc/artifacts", "FILE:///srv/x"]) {
    assert.throws(() => artifactRepositoryFor(uri), (e: unknown) => {
      assert.ok(e instanceof TrackingError, `${uri}: ${e}`);
      assert.equal(e.code, "tracking/unsupported-artifact-uri", uri);
      assert.match(e.message, /naming no absolute folder|not spelled file:/, uri);
      assert.doesNotMatch(e.message, /not supported by kmlf/, uri);
      assert.match(e.hint ?? "", /file:\/\/\/<absolute path>/, uri);
      return true;
    });
  }
});
