/** Local artifacts: MLflow's layout, listing, copying in and out, and refusal of unsafe paths. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TrackingError } from "../../lib/errors.ts";
import {
  LocalArtifactRepository,
  localArtifactRepository,
  localPathOfUri,
  safeArtifactPath,
} from "../../lib/tracking/mod.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-artifacts-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("artifact paths are normalized, and absolute, '..', backslash and '#' paths are refused", () => {
  assert.equal(safeArtifactPath(undefined), "");
  assert.equal(safeArtifactPath("./a//b/"), "a/b");
  for (const bad of ["/etc/passwd", "../x", "a/../../x", "a\\b", "C:/x", "a#b"]) {
    assert.throws(
      () => safeArtifactPath(bad),
      (e: unknown) => e instanceof TrackingError && e.code === "INVALID_PARAMETER_VALUE",
    );
  }
});

Deno.test("local artifact URIs resolve to paths; other schemes are refused clearly", () => {
  assert.equal(localPathOfUri("file:///tmp/a%20b/x"), "/tmp/a b/x");
  assert.equal(localPathOfUri("file://localhost/tmp/x"), "/tmp/x");
  assert.equal(localPathOfUri("/tmp/x"), "/tmp/x");
  assert.equal(localPathOfUri("mlflow-artifacts:/1/abc/artifacts"), undefined);
  assert.throws(() => localArtifactRepository("s3://bucket/1"), (e: unknown) => {
    assert.ok(e instanceof TrackingError);
    assert.equal(e.code, "tracking/unsupported-artifact-uri");
    return true;
  });
});

Deno.test("files and directories are logged under artifact paths, listed, and downloaded", () =>
  withDir(async (dir) => {
    const src = join(dir, "src");
    await Deno.mkdir(join(src, "plots", "deep"), { recursive: true });
    await Deno.writeTextFile(join(src, "model.txt"), "weights");
    await Deno.writeTextFile(join(src, "plots", "loss.csv"), "1,2");
    await Deno.writeTextFile(join(src, "plots", "deep", "x.txt"), "x");
    const repo = new LocalArtifactRepository(`file://${dir}/root/1/run/artifacts`);
    await repo.logArtifact(join(src, "model.txt"));
    await repo.logArtifact(join(src, "model.txt"), "models/v1");
    await repo.logArtifacts(join(src, "plots"), "charts");
    assert.deepEqual(await repo.listArtifacts(), [
      { path: "charts", isDir: true, fileSize: null },
      { path: "model.txt", isDir: false, fileSize: 7 },
      { path: "models", isDir: true, fileSize: null },
    ]);
    assert.deepEqual((await repo.listArtifacts(undefined, { recursive: true })).map((f) => f.path), [
      "charts",
      "charts/deep",
      "charts/deep/x.txt",
      "charts/loss.csv",
      "model.txt",
      "models",
      "models/v1",
      "models/v1/model.txt",
    ]);
    assert.deepEqual(await repo.listArtifacts("model.txt"), []);
    assert.deepEqual(await repo.listArtifacts("missing"), []);
    assert.equal(await repo.downloadArtifacts("model.txt"), join(dir, "root/1/run/artifacts/model.txt"));
    const out = join(dir, "out");
    assert.equal(await repo.downloadArtifacts("charts", out), join(out, "charts"));
    assert.equal(await Deno.readTextFile(join(out, "charts", "deep", "x.txt")), "x");
    assert.equal(await repo.downloadArtifacts("models/v1/model.txt", out), join(out, "models/v1/model.txt"));
    await assert.rejects(
      repo.downloadArtifacts("nope.txt", out),
      (e: unknown) => e instanceof TrackingError && e.code === "RESOURCE_DOES_NOT_EXIST",
    );
    await assert.rejects(
      repo.logArtifact(join(src, "absent.txt")),
      (e: unknown) => e instanceof TrackingError && e.code === "INVALID_PARAMETER_VALUE",
    );
    await repo.deleteArtifacts("charts");
    assert.deepEqual((await repo.listArtifacts()).map((f) => f.path), ["model.txt", "models"]);
  }));
