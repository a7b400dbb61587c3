/**
 * Local paths with spaces, `%`, `#`, quotes and non-ASCII letters in the URIs kmlf writes and reads: spelled
 * as MLflow spells them (pathlib's `as_uri()`, checked against python3), read back as MLflow reads them
 * (`unquote`, where a lone `%` is text), and refused clearly where they cannot mean what was written.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath, pathToFileUri, percentDecode } from "../../lib/path.ts";
import { TrackingError } from "../../lib/errors.ts";
import { MlflowClient, openStore, parseTrackingUri, proxyLocation } from "../../lib/tracking/mod.ts";
import { pythonOracle } from "../python_oracle.ts";

const ORACLE = new URL("./file_uri_oracle.py", import.meta.url).pathname;
/** Folder names a user's machine has: each one once broke or misspelled a URI. */
const NAMES = [
  "a b",
  "é 日本",
  "100%",
  "a#b",
  "it's (1)",
  "x@y=z,w;v",
  "🎉!*",
  "a%20b",
  "tab\there",
  "+&$~_.-",
];

Deno.test("file URIs are spelled as pathlib's as_uri() spells them; unquote reads them back", async () => {
  const paths = [...NAMES.map((n) => `/tmp/${n}/mlruns`), "/", "/tmp/trailing/"];
  const uris = [...paths.map(pathToFileUri), "/tmp/100%/x", "/a%zz%2", "%E6%97%A5%FF", "%%41"];
  const python = await pythonOracle<{ as_uri: string[]; unquote: string[] }>(ORACLE, { paths, uris });
  assert.deepEqual(paths.map(pathToFileUri), python.as_uri);
  assert.deepEqual(uris.map(percentDecode), python.unquote);
  for (const path of paths.slice(0, NAMES.length)) assert.equal(fileURLToPath(pathToFileUri(path)), path);
  assert.equal(
    fileURLToPath("file:///tmp/100%/mlruns"),
    "/tmp/100%/mlruns",
    "a lone % is text, not an error",
  );
  assert.equal(proxyLocation("mlflow-artifacts:/1/100%/a%20b", "http://h:5000")?.root, "1/100%/a b");
});

Deno.test("a sqlite URI's path is taken literally, as SQLAlchemy does (only user and password are decoded)", () => {
  const base = { baseDir: "/p r%o#j" };
  assert.equal(
    (parseTrackingUri("sqlite:////tmp/100%/mlflow.db", base) as { path: string }).path,
    "/tmp/100%/mlflow.db",
  );
  assert.equal((parseTrackingUri("sqlite:///a%20b.db", base) as { path: string }).path, "/p r%o#j/a%20b.db");
  assert.equal((parseTrackingUri("file:100%25/x", base) as { path: string }).path, "/p r%o#j/100%/x");
});

Deno.test("~, drive letters, shares, \\ and file URIs naming a host are refused, naming the URI and the fix", () => {
  if (Deno.build.os === "windows") return;
  const refused: Array<[string, RegExp]> = [
    ["~/mlruns", /~ is not expanded/],
    ["sqlite:///~/mlflow.db", /~ is not expanded/],
    ["file:~/mlruns", /~ is not expanded/],
    ["C:\\runs\\mlruns", /Windows path/],
    ["C:/runs/mlflow.db", /Windows path/],
    ["file:///C:/runs", /Windows path/],
    ["sqlite:///C:/runs/mlflow.db", /Windows path/],
    ["file://server/share/mlruns", /host/],
    // A share and Windows separators (`--backend-store-uri`, MLFLOW_TRACKING_URI): one implementation with
    // the catalog's (lib/foreign_path.ts).
    ["\\\\server\\share\\mlruns", /UNC path/],
    ["runs\\mlflow.db", /\\ separates folders on Windows only/],
    ["sqlite:///runs\\mlflow.db", /\\ separates folders/],
  ];
  for (const [uri, message] of refused) {
    assert.throws(() => parseTrackingUri(uri, { baseDir: "/project" }), (e: unknown) => {
      assert.ok(e instanceof TrackingError, uri);
      assert.equal(e.code, "tracking/unsupported-uri");
      assert.match(e.message, message);
      assert.ok(e.message.includes(uri) && e.hint, uri);
      return true;
    });
  }
  // A ~ inside a name is an ordinary letter.
  assert.equal((parseTrackingUri("runs~1", { baseDir: "/p" }) as { path: string }).path, "/p/runs~1");
});

for (const kind of ["sqlite", "file"] as const) {
  Deno.test(`a ${kind} store in a folder named with spaces, %, #, quotes and unicode: MLflow's URIs, artifacts read back`, async () => {
    const root = await Deno.makeTempDir({ prefix: "kmlf-uri-" });
    try {
      const dir = join(root, "é 日本 % # ' 🎉", "p r%o#j");
      await Deno.mkdir(dir, { recursive: true });
      const client = new MlflowClient(
        await openStore(kind === "sqlite" ? "mlflow.db" : "mlruns", { baseDir: dir }),
      );
      try {
        const id = await client.createExperiment("paths");
        const experiment = await client.getExperiment(id);
        const root = kind === "sqlite" ? join(dir, "mlartifacts") : join(dir, "mlruns");
        const [expected] =
          (await pythonOracle<{ as_uri: string[] }>(ORACLE, { paths: [join(root, id)], uris: [] }))
            .as_uri;
        assert.equal(experiment.artifactLocation, expected);
        const run = await client.createRun(id);
        assert.equal(run.info.artifactUri, `${expected}/${run.info.runId}/artifacts`);
        await client.logText(run.info.runId, "hello", "notes/a b é%.txt");
        const stored = join(root, id, run.info.runId, "artifacts", "notes", "a b é%.txt");
        assert.equal(await Deno.readTextFile(stored), "hello", "written where the URI points");
        assert.deepEqual((await client.listArtifacts(run.info.runId, "notes")).map((f) => f.path), [
          "notes/a b é%.txt",
        ]);
        const out = await client.downloadArtifacts(run.info.runId, "notes", join(root, "out"));
        assert.equal(await Deno.readTextFile(join(out, "a b é%.txt")), "hello");
      } finally {
        await client.close();
      }
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
}

Deno.test("a tracking URI whose path holds a NUL is refused by name, not an internal error at the first mkdir", () => {
  for (const uri of ["file:///tmp/a%00b", "file:a%00b", "/tmp/a\u0000b", "mlruns\u0000x"]) {
    assert.throws(() => parseTrackingUri(uri, { baseDir: "/project" }), (e: unknown) => {
      assert.ok(e instanceof TrackingError, `${JSON.stringify(uri)}: ${e}`);
      assert.equal(e.code, "tracking/unsupported-uri");
      assert.match(e.message, /holds a NUL character/);
      return true;
    });
  }
});
