/**
 * One reading of "a folder of this machine, and which" (lib/local_uri_reading.ts) for every place that asks:
 * a tracking URI, a written artifact location or version source, a stored location read back, a path
 * argument. MLflow 2.17.2's `is_local_uri` takes `file://localhost/x` and `file://127.0.0.1/x` (any case) as
 * this machine; before, some places refused them (local_repository.ts, tracking URIs for 127.0.0.1) while
 * others read them as a relative folder named after the host (lib/foreign_path.ts).
 */
import assert from "node:assert/strict";
import { ConfigError, TrackingError } from "../../lib/errors.ts";
import { checkTrackingTarget } from "../../lib/mlflow/tracking_uri_rules.ts";
import { localPathOf } from "../../lib/foreign_path.ts";
import { checkPathArguments } from "../../lib/cli/path_arguments.ts";
import { resolveServeArtifacts } from "../../lib/cli/serve_artifacts_options.ts";
import { parseModelUri } from "../../lib/tracking/models/model_uri.ts";
import {
  localPathOfUri,
  parseTrackingUri,
  validateVersionSource,
  writtenLocalLocationProblem,
} from "../../lib/tracking/mod.ts";

const ON_WINDOWS = Deno.build.os === "windows";

/** The path each place reads, or "refused". */
function readings(uri: string) {
  const tryPath = (f: () => string | undefined) => {
    try {
      return f();
    } catch (e) {
      if (e instanceof TrackingError || (e instanceof Error && "code" in e)) return "refused";
      throw e;
    }
  };
  return {
    written: writtenLocalLocationProblem(uri) === undefined ? "ok" : "refused",
    version: tryPath(() => (validateVersionSource(uri), "ok")),
    stored: tryPath(() => localPathOfUri(uri)),
    tracking: tryPath(() => (parseTrackingUri(uri, { baseDir: "/project" }) as { path: string }).path),
  };
}

Deno.test("file://localhost/x and file://127.0.0.1/x, any case, name /x everywhere, as MLflow reads them", () => {
  for (
    const uri of [
      "file:///srv/mlruns",
      "file://localhost/srv/mlruns",
      "file://LOCALHOST/srv/mlruns",
      "file://127.0.0.1/srv/mlruns",
    ]
  ) {
    assert.deepEqual(
      readings(uri),
      { written: "ok", version: "ok", stored: "/srv/mlruns", tracking: "/srv/mlruns" },
      uri,
    );
    assert.equal(localPathOf(uri), "/srv/mlruns", uri);
  }
});

Deno.test("a file: URI naming another host, or no folder, is refused everywhere it names a location", () => {
  for (
    const uri of ["file://server/srv/mlruns", "file://127.0.0.2/srv/mlruns", "file://localhost.example/x"]
  ) {
    assert.deepEqual(
      readings(uri),
      { written: "refused", version: "refused", stored: "refused", tracking: "refused" },
      uri,
    );
  }
  // `file://` was the file system's root as a tracking URI (Node's reading); MLflow reads "" there.
  assert.throws(
    () => parseTrackingUri("file://", { baseDir: "/project" }),
    (e: unknown) => e instanceof TrackingError && /names no folder/.test(e.message),
  );
});

Deno.test("the foreign-path check reads a file: URI's path after its host, whatever the host", () => {
  if (ON_WINDOWS) return;
  assert.equal(localPathOf("file://127.0.0.1/C:/mlruns"), "/C:/mlruns");
  assert.throws(
    () => checkPathArguments([{ name: "--backend-store-uri", value: "file://127.0.0.1/C:/mlruns" }]),
    /Windows path \(drive C:\)/,
  );
  assert.match(writtenLocalLocationProblem("file://127.0.0.1/C:/x")?.problem ?? "", /Windows path/);
});

Deno.test("kmlf server's roots and a model URI read file://127.0.0.1/x as /x too (before: Node's error)", () => {
  const settings = resolveServeArtifacts(
    {
      artifactsDestination: "file://127.0.0.1/srv/mlartifacts",
      allowedArtifactRoots: "file://LOCALHOST/srv/a,file://127.0.0.1/srv/b",
    },
    { cwd: "/project", trackingUri: "mlflow.db", defaultRoot: "mlflow-server", env: {} },
  );
  assert.equal(settings.artifactsDestination, "/srv/mlartifacts");
  assert.deepEqual(settings.allowedArtifactRoots, ["/srv/a", "/srv/b"]);
  assert.equal((parseModelUri("file://127.0.0.1/srv/model") as { path: string }).path, "/srv/model");
});

Deno.test("a tracking URI file://localhost/<a file> is checked as file:///<a file> is: a file store is a folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-local-uri-" });
  try {
    const file = `${dir}/store.txt`;
    await Deno.writeTextFile(file, "");
    for (const uri of [`file://${file}`, `file://localhost${file}`, `file://127.0.0.1${file}`]) {
      assert.throws(
        () => checkTrackingTarget(uri, { what: "mlflow.yml server.mlflow_tracking_uri" }),
        (e: unknown) => e instanceof ConfigError && /a file store is a folder/.test(e.message),
        uri,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
