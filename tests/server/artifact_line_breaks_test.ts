/**
 * Artifact names holding a line break (`\n`, `\r`, U+2028, U+2029) work the same on every route:
 * upload, list, download and delete through the `mlflow-artifacts` proxy, over the REST client, and
 * in a local store — never stored but unreadable. (MLflow's Flask rules match `\r`, U+2028 and
 * U+2029 in a `<path:…>` and 404 on `\n` alone; kmlf serves all four.)
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { LocalArtifactRepository } from "../../lib/tracking/mod.ts";
import { startKmlfServer } from "../tracking/kmlf_server.ts";
import { serverFixture } from "./server_harness.ts";

const NAMES = ["a\nb.txt", "a\rb.txt", "a\u2028b.txt", "a\u2029b.txt"];

Deno.test("the mlflow-artifacts proxy uploads, lists, serves and deletes names with line breaks", async () => {
  const f = await serverFixture();
  try {
    const base = "http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts";
    for (const name of NAMES) {
      const url = `${base}/1/r/artifacts/dir${encodeURIComponent(name)}/${encodeURIComponent(name)}`;
      const put = await f.handle(
        new Request(url, { method: "PUT", body: `body of ${JSON.stringify(name)}` }),
      );
      assert.equal(put.status, 200, `${JSON.stringify(name)}: ${await put.text()}`);
      const get = await f.handle(new Request(url));
      assert.equal(get.status, 200, JSON.stringify(name));
      assert.equal(await get.text(), `body of ${JSON.stringify(name)}`);
      const list = await f.get("/api/2.0/mlflow-artifacts/artifacts", { path: `1/r/artifacts/dir${name}` });
      assert.deepEqual(await list.json(), {
        files: [{
          path: name,
          is_dir: false,
          file_size: new TextEncoder().encode(`body of ${JSON.stringify(name)}`).length,
        }],
      });
      const del = await f.handle(new Request(url, { method: "DELETE" }));
      assert.equal(del.status, 200, JSON.stringify(name));
      const gone = await f.handle(new Request(url));
      assert.equal(gone.status, 404, JSON.stringify(name));
      assert.match((await gone.json()).error_code, /RESOURCE_DOES_NOT_EXIST/);
    }
  } finally {
    await f.dispose();
  }
});

Deno.test("a REST client logs, lists and reads back artifacts named with line breaks through kmlf server", async () => {
  const server = await startKmlfServer({ client: { maxRetries: 0 } });
  try {
    const run = await server.store.createRun({ experimentId: "0" });
    const repo = server.store.getArtifactRepository(run.info.artifactUri);
    const local = join(server.dir, "local");
    await Deno.mkdir(local);
    for (const name of NAMES) await Deno.writeTextFile(join(local, name), name);
    await repo.logArtifacts(local, "out");
    await repo.logArtifact(join(local, NAMES[0]));
    const listed = await repo.listArtifacts("out");
    assert.deepEqual(listed.map((e) => e.path).sort(), NAMES.map((n) => `out/${n}`).sort());
    for (const name of NAMES) {
      assert.equal(new TextDecoder().decode(await repo.readArtifact(`out/${name}`)), name);
    }
    assert.equal(new TextDecoder().decode(await repo.readArtifact(NAMES[0])), NAMES[0]);
  } finally {
    await server.close();
  }
});

Deno.test("a local artifact store keeps and reads names with line breaks", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-linebreak-" });
  try {
    const repo = new LocalArtifactRepository(join(dir, "artifacts"));
    for (const name of NAMES) {
      const src = join(dir, name);
      await Deno.writeTextFile(src, name);
      await repo.logArtifact(src, "sub");
    }
    assert.deepEqual(
      (await repo.listArtifacts("sub")).map((e) => e.path).sort(),
      NAMES.map((n) => `sub/${n}`).sort(),
    );
    for (const name of NAMES) {
      assert.equal(new TextDecoder().decode(await repo.readArtifact(`sub/${name}`)), name);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
