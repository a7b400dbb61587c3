/**
 * Commands that read or change a store refuse a local store that is not there (a mistyped
 * MLFLOW_TRACKING_URI, mlflow.yml URI or folder) instead of creating an empty one; the error names the URI and
 * where it came from, and nothing is left on disk. `experiments create` and `kmlf run` still create a store.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { statIfAny } from "../../lib/fs_utils.ts";
import { demoProject, kmlf } from "../cli_harness.ts";

const READERS: string[][] = [
  ["experiments", "search"],
  ["experiments", "rename", "--experiment-id", "0", "--new-name", "x"],
  ["experiments", "delete", "--experiment-id", "0"],
  ["runs", "list", "--experiment-id", "0"],
  ["runs", "describe", "--run-id", "0123456789abcdef0123456789abcdef"],
  ["artifacts", "list", "--run-id", "0123456789abcdef0123456789abcdef"],
  ["artifacts", "download", "--run-id", "0123456789abcdef0123456789abcdef"],
  ["models", "predict", "-m", "runs:/0123456789abcdef0123456789abcdef/model", "-i", "in.json"],
];

const URIS: { uri: string; shown: RegExp }[] = [
  { uri: "sqlite:///no/such/dir/x.db", shown: /SQLite file .*no\/such\/dir\/x\.db does not exist/ },
  { uri: "sqlite:///mlfow.db", shown: /SQLite file .*mlfow\.db does not exist/ },
  { uri: "file:./mlrunz", shown: /mlruns folder .*mlrunz does not exist/ },
  { uri: "./no/such/mlruns", shown: /mlruns folder .*no\/such\/mlruns does not exist/ },
];

for (const { uri, shown } of URIS) {
  Deno.test(`read commands refuse MLFLOW_TRACKING_URI=${uri}, a store that is not there, and create nothing`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "kmlf-missing-store-" });
    await Deno.writeTextFile(join(dir, "in.json"), "[]");
    try {
      for (const args of READERS) {
        const r = await kmlf(args, { cwd: dir, env: { MLFLOW_TRACKING_URI: uri } });
        // MLflow's exit 1 for the store commands; kmlf's 2 for `models` (its configuration errors).
        assert.equal(r.code, args[0] === "models" ? 2 : 1, `${args.join(" ")}: ${r.stderr}`);
        assert.match(r.stderr, /error\[cli\/mlflow-no-store\]: No tracking store at /, args.join(" "));
        assert.ok(r.stderr.includes(`${uri} (from MLFLOW_TRACKING_URI)`), r.stderr);
        assert.match(r.stderr, shown);
        assert.deepEqual(
          [...Deno.readDirSync(dir)].map((e) => e.name),
          ["in.json"],
          `${args.join(" ")} left files`,
        );
      }
      // Writing one is what creates it.
      const created = await kmlf(["experiments", "create", "-n", "new"], {
        cwd: dir,
        env: { MLFLOW_TRACKING_URI: uri },
      });
      assert.equal(created.code, 0, created.stderr);
      const listed = await kmlf(["experiments", "search"], { cwd: dir, env: { MLFLOW_TRACKING_URI: uri } });
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /new/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("a project's mistyped mlflow.yml URI: the error says it came from mlflow.yml", async () => {
  const dir = await demoProject({
    "conf/local/mlflow.yml": "server:\n  mlflow_tracking_uri: sqlite:///mlflwo.db\n",
  });
  try {
    const r = await kmlf(["runs", "list", "--experiment-id", "0"], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /No tracking store at sqlite:\/\/\/mlflwo\.db \(the project's store, from its mlflow\.yml\)/,
    );
    assert.equal(statIfAny(join(dir, "mlflwo.db")), undefined, "no store created by a read");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a project nothing has been tracked in yet: runs list says so, and points at kmlf run", async () => {
  const dir = await demoProject({}, { tracked: false });
  try {
    const r = await kmlf(["runs", "list", "--experiment-id", "0"], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /\(the project's default store\): the SQLite file mlflow\.db does not exist/);
    assert.match(
      r.stderr,
      /hint: nothing has been tracked in this project yet: `kmlf run` creates the store/,
    );
    assert.equal(statIfAny(join(dir, "mlflow.db")), undefined, "nothing created");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kmlf mlflow ui outside a project names kmlf server, with the store in the folder when there is one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-test-" });
  try {
    const bare = await kmlf(["mlflow", "ui", "--port", "0"], { cwd: dir });
    assert.equal(bare.code, 2, bare.stderr);
    assert.match(bare.stderr, /error\[project\/not-found\]: No kmlf project found/);
    assert.match(
      bare.stderr,
      /hint: to browse a store outside a project, `kmlf server --backend-store-uri <uri>`; run kmlf inside a project/,
    );
    // A store made as MLflow's CLI makes one, outside a project: what `mlflow ui` would have served.
    const made = await kmlf(["experiments", "create", "-n", "scratch"], { cwd: dir });
    assert.equal(made.code, 0, made.stderr);
    const withStore = await kmlf(["mlflow", "ui", "--port", "0"], { cwd: dir });
    assert.equal(withStore.code, 2, withStore.stderr);
    assert.match(
      withStore.stderr,
      /hint: to browse the store here, `kmlf server --backend-store-uri sqlite:\/\/\/mlflow\.db`/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
