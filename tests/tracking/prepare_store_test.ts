/**
 * `prepareStore`: opening a store in two steps (`kmlf server` listens in between). Everything that can fail
 * with the user's store fails in the first step; `open()` builds the store once.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { TrackingError } from "../../lib/errors.ts";
import { openStore, prepareStore } from "../../lib/tracking/mod.ts";

Deno.test("prepareStore refuses a file that is not a database, or a foreign one, before open()", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-prepare-" });
  try {
    await Deno.writeTextFile(join(dir, "notes.db"), "these are notes, not a database\n".repeat(10));
    await assert.rejects(
      prepareStore("sqlite:///notes.db", { baseDir: dir }),
      (e) =>
        e instanceof TrackingError && e.code === "tracking/not-a-database" && /notes\.db/.test(e.message),
    );
    const foreign = new DatabaseSync(join(dir, "app.db"));
    foreign.exec("CREATE TABLE users (id INTEGER PRIMARY KEY)");
    foreign.close();
    await assert.rejects(
      prepareStore("app.db", { baseDir: dir }),
      (e) => e instanceof TrackingError && e.code === "tracking/not-an-mlflow-database",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("prepareStore creates a new SQLite database's schema; open() builds one store, as openStore does", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-prepare-" });
  try {
    const prepared = await prepareStore("sqlite:///sub/mlflow.db", {
      baseDir: dir,
      artifactRoot: "mlflow-artifacts:/",
    });
    // The schema and the Default experiment exist before the store is built.
    const db = new DatabaseSync(join(dir, "sub/mlflow.db"), { readOnly: true });
    assert.deepEqual(
      { ...db.prepare("SELECT experiment_id, name, artifact_location FROM experiments").get() },
      { experiment_id: 0, name: "Default", artifact_location: "mlflow-artifacts:/0" },
    );
    db.close();
    const store = await prepared.open();
    assert.equal(await prepared.open(), store);
    assert.equal(store.kind, "sqlite");
    assert.equal(store.uri, "sqlite:///sub/mlflow.db");
    const id = await store.createExperiment("two-step");
    await prepared.close();

    const again = await openStore("sqlite:///sub/mlflow.db", { baseDir: dir });
    assert.equal((await again.getExperiment(id)).name, "two-step");
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a prepared SQLite store closes without ever being built", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-prepare-" });
  try {
    const prepared = await prepareStore("mlflow.db", { baseDir: dir });
    await prepared.close();
    // Closed: the WAL is checkpointed and removed with the last connection.
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["mlflow.db"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an in-memory store closed without ever being built removes its temp artifact folder", async () => {
  // Its default artifact root is a temp folder the store owns; `kmlf server` stopped before its first API
  // request never builds the store. The folder goes where Deno makes temp folders: TMPDIR, here one of ours.
  const tmp = await Deno.makeTempDir({ prefix: "kmlf-prepare-" });
  const saved = Deno.env.get("TMPDIR");
  Deno.env.set("TMPDIR", tmp);
  try {
    const prepared = await prepareStore("sqlite://", { baseDir: tmp });
    assert.equal([...Deno.readDirSync(tmp)].length, 1, "the store's artifact folder");
    await prepared.close();
    assert.deepEqual([...Deno.readDirSync(tmp)], []);
  } finally {
    if (saved === undefined) Deno.env.delete("TMPDIR");
    else Deno.env.set("TMPDIR", saved);
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("a database whose -wal file SQLite cannot make (a read-only disk) is refused naming the file and why", async () => {
  // SQLite opens the file, then cannot open its write-ahead log beside it: a read-only file system or
  // folder, reproduced here by a folder in the log's place. It said only "unable to open database file".
  const dir = await Deno.makeTempDir({ prefix: "kmlf-prepare-" });
  try {
    await (await openStore("sqlite:///mlflow.db", { baseDir: dir })).close();
    await Deno.mkdir(join(dir, "mlflow.db-wal"));
    for (
      const open of [
        () => prepareStore("mlflow.db", { baseDir: dir }),
        () => openStore("mlflow.db", { baseDir: dir }),
      ]
    ) {
      await assert.rejects(
        open(),
        (e) =>
          e instanceof TrackingError && e.code === "tracking/cannot-open-database" &&
          e.message.includes(join(dir, "mlflow.db")) && /read-write/.test(e.hint ?? "") &&
          /-wal/.test(e.hint ?? ""),
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
