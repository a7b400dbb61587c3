/** Tracking URI resolution (MLflow's meaning of each form) and the openStore factory. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TrackingError } from "../../lib/errors.ts";
import { openStore, parseTrackingUri } from "../../lib/tracking/mod.ts";
import { maskUriCredentials } from "../../lib/uri_credentials.ts";

const base = { baseDir: "/project" };

Deno.test("sqlite URIs follow SQLAlchemy: three slashes are relative, four absolute", () => {
  assert.deepEqual(parseTrackingUri("sqlite:///mlflow.db", base), {
    kind: "sqlite",
    uri: "sqlite:///mlflow.db",
    path: "/project/mlflow.db",
  });
  assert.equal(
    (parseTrackingUri("sqlite:///data/runs.db", base) as { path: string }).path,
    "/project/data/runs.db",
  );
  assert.equal((parseTrackingUri("sqlite:////abs/path.db", base) as { path: string }).path, "/abs/path.db");
  assert.equal((parseTrackingUri("sqlite://", base) as { path: string }).path, ":memory:");
  assert.equal((parseTrackingUri("sqlite:///:memory:", base) as { path: string }).path, ":memory:");
});

Deno.test("file URIs and bare directories name a file store; bare *.db paths name SQLite", () => {
  assert.deepEqual(parseTrackingUri("file:///abs/mlruns", base), {
    kind: "file",
    uri: "file:///abs/mlruns",
    path: "/abs/mlruns",
  });
  assert.equal((parseTrackingUri("file:./mlruns", base) as { path: string }).path, "/project/mlruns");
  assert.deepEqual(parseTrackingUri("mlruns", base), {
    kind: "file",
    uri: "mlruns",
    path: "/project/mlruns",
  });
  assert.deepEqual(parseTrackingUri("/var/mlruns", base), {
    kind: "file",
    uri: "/var/mlruns",
    path: "/var/mlruns",
  });
  assert.deepEqual(parseTrackingUri("data/mlflow.db", base), {
    kind: "sqlite",
    uri: "sqlite:////project/data/mlflow.db",
    path: "/project/data/mlflow.db",
  });
  assert.equal(parseTrackingUri("runs.sqlite", base).kind, "sqlite");
});

Deno.test("http(s) URIs name the REST store", () => {
  assert.deepEqual(parseTrackingUri("http://localhost:5000/", base), {
    kind: "rest",
    uri: "http://localhost:5000/",
    url: "http://localhost:5000",
  });
  assert.equal(parseTrackingUri("https://mlflow.example.com/prefix", base).kind, "rest");
});

Deno.test("postgresql:// and postgres:// URIs (and SQLAlchemy's +driver form) name the PostgreSQL store", () => {
  assert.deepEqual(parseTrackingUri("postgresql://u:p@db.example:5432/mlflow", base), {
    kind: "postgresql",
    uri: "postgresql://u:p@db.example:5432/mlflow",
    url: "postgresql://u:p@db.example:5432/mlflow",
  });
  assert.equal(parseTrackingUri("postgres://h/mlflow", base).kind, "postgresql");
  assert.equal(parseTrackingUri("postgresql+psycopg2://u@h/mlflow?sslmode=require", base).kind, "postgresql");
  assert.equal(
    (parseTrackingUri("postgresql+psycopg2://u@h/mlflow", base) as { url: string }).url,
    "postgresql://u@h/mlflow",
  );
  for (const uri of ["postgresql://", "postgresql://host", "postgres://host/"]) {
    assert.throws(() => parseTrackingUri(uri, base), (e: unknown) => {
      assert.ok(e instanceof TrackingError);
      assert.equal(e.code, "tracking/unsupported-uri");
      assert.match(e.hint ?? "", /postgresql:\/\/<user>:<password>@<host>:<port>\/<database>/);
      return true;
    });
  }
});

Deno.test("a malformed PostgreSQL host or port is refused before connecting, naming it, without the password", () => {
  for (
    const [uri, problem] of [
      ["postgresql://u:s3cret@db:notaport/mlflow", /the port "notaport" is not a number/],
      ["postgresql://u:s3cret@db:99999/mlflow", /the port 99999 is not between 1 and 65535/],
      ["postgresql+psycopg2://u:s3cret@db:0/mlflow", /the port 0 is not between 1 and 65535/],
      ["postgresql://u:s3cret@[::1/mlflow", /the host part is malformed \(an IPv6 address goes in brackets/],
      ["postgres://u:s3cret@db", /a PostgreSQL URI names a host and a database/],
      [
        "postgresql://u:s3cret#x@db/mlflow",
        /the user or password holds \/ \? or #, which must be percent-encoded/,
      ],
      ["postgresql://u:s3cret/x@db/mlflow", /the user or password holds \/ \? or #/],
    ] as const
  ) {
    assert.throws(() => parseTrackingUri(uri, base), (e: unknown) => {
      assert.ok(e instanceof TrackingError, String(e));
      assert.equal(e.code, "tracking/unsupported-uri");
      assert.match(e.message, problem);
      assert.ok(!e.message.includes("s3cret"), e.message);
      assert.match(e.message, /u:\*\*\*@/);
      return true;
    });
  }
  assert.equal(parseTrackingUri("postgresql://u@[::1]:5432/mlflow", base).kind, "postgresql");
  // libpq's other forms stay accepted: a Unix socket folder, a list of hosts, an @ in the password.
  for (
    const uri of [
      "postgresql://u@/mlflow?host=/var/run/postgresql",
      "postgresql://u@h1:5432,h2:5433/mlflow",
      "postgresql://u:p@ss@h/mlflow",
    ]
  ) assert.equal(parseTrackingUri(uri, base).kind, "postgresql", uri);
  assert.throws(() => parseTrackingUri("mysql://u:s3cret@h/db", base), (e: unknown) => {
    assert.ok(!(e as Error).message.includes("s3cret"), (e as Error).message);
    return true;
  });
  assert.equal(
    maskUriCredentials("postgresql://u:p@s/s3cret@h:5432/mlflow"),
    "postgresql://u:***@h:5432/mlflow",
  );
});

Deno.test("unknown schemes are refused with the list of supported forms", () => {
  for (const uri of ["mysql://u@h/db", "databricks://profile", "s3://bucket/x", ""]) {
    assert.throws(() => parseTrackingUri(uri, base), (e: unknown) => {
      assert.ok(e instanceof TrackingError);
      assert.equal(e.code, "tracking/unsupported-uri");
      assert.match(e.hint ?? "", /sqlite:\/\/\/.*postgresql:\/\/.*http\(s\)/);
      return true;
    });
  }
  assert.throws(() => parseTrackingUri("sqlite:/x.db", base), /malformed sqlite URI/);
});

Deno.test("openStore opens SQLite (creating its directory) and mlruns folders, and a REST store for http(s) URIs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-open-" });
  try {
    const store = await openStore("sqlite:///nested/mlflow.db", { baseDir: dir, artifactRoot: "art" });
    assert.equal(store.kind, "sqlite");
    assert.equal(store.uri, "sqlite:///nested/mlflow.db");
    assert.equal((await store.getExperiment("0")).artifactLocation, `file://${join(dir, "art")}/0`);
    await store.close();
    const files = await openStore("mlruns", { baseDir: dir });
    assert.equal(files.kind, "file");
    assert.equal((await files.getExperiment("0")).name, "Default");
    assert.ok(await Deno.stat(join(dir, "mlruns", "0", "meta.yaml")));
    await files.close();
    const rest = await openStore("http://localhost:5000/", { baseDir: dir });
    assert.equal(rest.kind, "rest");
    assert.equal(rest.uri, "http://localhost:5000");
    await rest.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("MLflow's Databricks names are refused, never read as a folder named databricks", () => {
  for (const uri of ["databricks", "databricks-uc", "databricks://my-profile", "Databricks"]) {
    assert.throws(() => parseTrackingUri(uri, base), (e: TrackingError) => {
      assert.equal(e.code, "tracking/unsupported-uri");
      assert.match(
        e.message,
        /names a Databricks workspace through its CLI profile, which kmlf does not read/,
      );
      assert.match(e.hint!, /sqlite:\/\/\/<path>\.db/);
      return true;
    }, uri);
  }
  // A folder whose name only starts so is a folder.
  assert.equal(parseTrackingUri("databricks_runs", base).kind, "file");
});
