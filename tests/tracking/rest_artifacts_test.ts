/**
 * The REST store's artifact repositories: which URI goes where, and the HTTP repository against
 * kmlf's server (`createRequestHandler` over SQLite with `mlflow-artifacts:` locations).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TrackingError } from "../../lib/errors.ts";
import {
  artifactRepositoryForRest,
  HttpArtifactRepository,
  HttpClient,
  LocalArtifactRepository,
  proxyLocation,
  S3ArtifactRepository,
  STREAM_UPLOAD_BYTES,
} from "../../lib/tracking/mod.ts";
import { json, rejection, ScriptedServer } from "./rest_test_server.ts";
import { startKmlfServer } from "./kmlf_server.ts";

Deno.test("mlflow-artifacts: and proxy http(s) URIs resolve to the server's artifact endpoint", () => {
  const endpoint = "http://h:5000/api/2.0/mlflow-artifacts/artifacts";
  assert.deepEqual(proxyLocation("mlflow-artifacts:/1/abc/artifacts", "http://h:5000"), {
    endpoint,
    root: "1/abc/artifacts",
  });
  assert.deepEqual(proxyLocation("mlflow-artifacts://other:8080/1/abc/artifacts", "https://h:5000"), {
    endpoint: "https://other:8080/api/2.0/mlflow-artifacts/artifacts",
    root: "1/abc/artifacts",
  });
  assert.deepEqual(proxyLocation(`${endpoint}/1/abc/artifacts`, "http://elsewhere"), {
    endpoint,
    root: "1/abc/artifacts",
  });
  assert.deepEqual(proxyLocation("mlflow-artifacts:/1/a%20b/artifacts", "http://h:5000/prefix"), {
    endpoint: "http://h:5000/prefix/api/2.0/mlflow-artifacts/artifacts",
    root: "1/a b/artifacts",
  });
  assert.equal(proxyLocation("http://h/some/files", "http://h"), undefined);
  assert.equal(proxyLocation("s3://bucket/1/abc", "http://h"), undefined);
});

Deno.test("local artifact URIs of a REST store are written directly; other schemes are refused", () => {
  const http = new HttpClient("http://127.0.0.1:5000", { env: () => undefined });
  assert.ok(
    artifactRepositoryForRest("file:///tmp/mlruns/1/abc/artifacts", http) instanceof LocalArtifactRepository,
  );
  assert.ok(
    artifactRepositoryForRest("/tmp/mlruns/1/abc/artifacts", http) instanceof LocalArtifactRepository,
  );
  assert.ok(
    artifactRepositoryForRest("mlflow-artifacts:/1/abc/artifacts", http) instanceof HttpArtifactRepository,
  );
  const env = (name: string) => ({ AWS_ACCESS_KEY_ID: "id", AWS_SECRET_ACCESS_KEY: "secret" })[name];
  assert.ok(
    artifactRepositoryForRest("s3://bucket/1/abc/artifacts", http, { env }) instanceof S3ArtifactRepository,
  );
  for (const uri of ["gs://bucket/1/abc/artifacts", "http://h/not/the/proxy"]) {
    assert.throws(() => artifactRepositoryForRest(uri, http, { env }), (e: unknown) => {
      assert.ok(e instanceof TrackingError);
      assert.equal(e.code, "tracking/unsupported-artifact-uri");
      assert.ok(e.message.includes(uri));
      return true;
    });
  }
});

Deno.test("unsafe artifact paths are refused before anything is sent", async () => {
  const server = new ScriptedServer();
  try {
    const http = new HttpClient(server.url, { env: () => undefined });
    const repo = artifactRepositoryForRest("mlflow-artifacts:/1/abc/artifacts", http);
    for (const bad of ["../x", "/etc/passwd", "a\\b", "a#b"]) {
      await assert.rejects(repo.writeArtifact(bad, "x"), (e: unknown) => {
        assert.ok(e instanceof TrackingError);
        assert.equal(e.code, "INVALID_PARAMETER_VALUE");
        return true;
      });
    }
    await assert.rejects(repo.listArtifacts("../up"));
    assert.equal(server.received.length, 0);
  } finally {
    await server.close();
  }
});

Deno.test("file names are percent-encoded per segment and listings re-join basenames", async () => {
  const server = new ScriptedServer();
  try {
    const http = new HttpClient(server.url, { env: () => undefined });
    const repo = artifactRepositoryForRest("mlflow-artifacts:/1/abc/artifacts", http);
    server.answer(
      () => json({}),
      () =>
        json({ files: [{ path: "b c.txt", is_dir: false, file_size: "3" }, { path: "a", is_dir: true }] }),
      () => json({}),
    );
    await repo.writeArtifact("dir/b c.txt", "abc");
    assert.deepEqual(await repo.listArtifacts("dir"), [
      { path: "dir/a", isDir: true, fileSize: null },
      { path: "dir/b c.txt", isDir: false, fileSize: 3 },
    ]);
    await repo.deleteArtifacts("dir");
    const [put, list, del] = server.received;
    assert.equal(put.path, "/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/dir/b c.txt");
    assert.equal(put.headers.get("content-type"), "text/plain");
    assert.equal(list.path, "/api/2.0/mlflow-artifacts/artifacts");
    assert.equal(list.query.get("path"), "1/abc/artifacts/dir");
    assert.equal(del.method, "DELETE");
    assert.equal(del.path, "/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/dir");
  } finally {
    await server.close();
  }
});

Deno.test("artifacts round-trip through kmlf's server: directories, downloads, deletes", async () => {
  const server = await startKmlfServer({ client: { maxRetries: 0 } });
  const { dir, url, store } = server;
  try {
    const run = await store.createRun({ experimentId: "0" });
    assert.equal(run.info.artifactUri, `mlflow-artifacts:/0/${run.info.runId}/artifacts`);
    const repo = store.getArtifactRepository(run.info.artifactUri);
    const local = join(dir, "local");
    await Deno.mkdir(join(local, "nested"), { recursive: true });
    await Deno.writeTextFile(join(local, "a.txt"), "A");
    await Deno.writeFile(join(local, "nested", "b.bin"), new Uint8Array([0, 1, 2, 255]));
    await repo.logArtifacts(local, "model");
    await repo.logArtifact(join(local, "a.txt"));
    assert.deepEqual(await repo.listArtifacts("", { recursive: true }), [
      { path: "a.txt", isDir: false, fileSize: 1 },
      { path: "model", isDir: true, fileSize: null },
      { path: "model/a.txt", isDir: false, fileSize: 1 },
      { path: "model/nested", isDir: true, fileSize: null },
      { path: "model/nested/b.bin", isDir: false, fileSize: 4 },
    ]);
    assert.deepEqual(await repo.readArtifact("model/nested/b.bin"), new Uint8Array([0, 1, 2, 255]));

    const out = join(dir, "out");
    assert.equal(await repo.downloadArtifacts("model", out), join(out, "model"));
    assert.equal(await Deno.readTextFile(join(out, "model", "a.txt")), "A");
    assert.deepEqual(
      await Deno.readFile(join(out, "model", "nested", "b.bin")),
      new Uint8Array([0, 1, 2, 255]),
    );
    const temp = await repo.downloadArtifacts("a.txt");
    assert.equal(await Deno.readTextFile(temp), "A");
    await Deno.remove(join(temp, ".."), { recursive: true });

    // The same files through the other URI forms of the proxy.
    const host = `mlflow-artifacts://127.0.0.1:${server.port}/0/${run.info.runId}/artifacts`;
    assert.equal(
      new TextDecoder().decode(await store.getArtifactRepository(host).readArtifact("a.txt")),
      "A",
    );
    const direct = `${url}/api/2.0/mlflow-artifacts/artifacts/0/${run.info.runId}/artifacts`;
    assert.equal((await store.getArtifactRepository(direct).listArtifacts("model")).length, 2);

    await repo.deleteArtifacts("model");
    assert.deepEqual((await repo.listArtifacts()).map((f) => f.path), ["a.txt"]);
    await assert.rejects(repo.readArtifact("model/a.txt"), (e: unknown) => {
      assert.ok(e instanceof TrackingError);
      assert.equal(e.code, "RESOURCE_DOES_NOT_EXIST");
      return true;
    });
  } finally {
    await server.close();
  }
});

Deno.test("a large file is streamed, and re-read from the start when the upload is retried", async () => {
  const server = new ScriptedServer();
  const dir = await Deno.makeTempDir({ prefix: "kmlf-rest-stream-" });
  try {
    const size = STREAM_UPLOAD_BYTES + 123_457;
    const bytes = new Uint8Array(size).map((_, i) => (i * 31) % 251);
    const file = join(dir, "model.bin");
    await Deno.writeFile(file, bytes);
    const http = new HttpClient(server.url, { env: () => undefined, backoffMs: 1 });
    const repo = artifactRepositoryForRest("mlflow-artifacts:/1/abc/artifacts", http);
    server.answer(
      () => json({ error_code: "TEMPORARILY_UNAVAILABLE", message: "busy" }, 503),
      () => json({}),
    );
    await repo.logArtifact(file, "models");
    const [first, second] = server.received;
    assert.equal(first.headers.get("content-length"), null, "big uploads are streamed (chunked)");
    assert.equal(second.path, "/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/models/model.bin");
    assert.equal(second.body.byteLength, size);
    assert.deepEqual(second.body, bytes);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a large artifact streams up to kmlf's server and back down to disk intact", async () => {
  const server = await startKmlfServer({ client: { maxRetries: 0 } });
  const { dir, store } = server;
  try {
    const run = await store.createRun({ experimentId: "0" });
    const repo = store.getArtifactRepository(run.info.artifactUri);
    const bytes = new Uint8Array(STREAM_UPLOAD_BYTES * 2 + 7).map((_, i) => (i * 7) % 253);
    await Deno.writeFile(join(dir, "weights.bin"), bytes);
    await repo.logArtifact(join(dir, "weights.bin"), "model");
    const out = await repo.downloadArtifacts("model", join(dir, "out"));
    assert.deepEqual(await Deno.readFile(join(out, "weights.bin")), bytes);
    assert.deepEqual([...Deno.readDirSync(out)].map((e) => e.name), ["weights.bin"], "no partial files left");
    await assert.rejects(repo.downloadArtifacts("model/missing.bin", join(dir, "out2")), /missing\.bin/);
  } finally {
    await server.close();
  }
});

Deno.test("an upload the server refuses early leaves nothing running: the process ends at once", async () => {
  // Answers before reading the body, as a proxy enforcing a size limit does.
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => json({ error_code: "INVALID_PARAMETER_VALUE", message: "too large" }, 413),
  );
  const dir = await Deno.makeTempDir({ prefix: "kmlf-rest-early-" });
  try {
    await Deno.writeFile(join(dir, "big.bin"), new Uint8Array(STREAM_UPLOAD_BYTES * 4));
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-all",
        new URL("./early_refusal_child.ts", import.meta.url).pathname,
        `http://127.0.0.1:${server.addr.port}`,
        join(dir, "big.bin"),
      ],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    // A leaked timer would hold the child for its 120 s timeout; 30 s is far beyond a normal exit.
    const guard = setTimeout(() => child.kill("SIGKILL"), 30_000);
    const { code, stdout } = await child.output();
    clearTimeout(guard);
    assert.equal(code, 0, "the child ended by itself");
    assert.equal(new TextDecoder().decode(stdout).trim(), "INVALID_PARAMETER_VALUE");
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("local file trouble during a download is reported at once, not retried as a network error", async () => {
  const server = new ScriptedServer();
  const dir = await Deno.makeTempDir({ prefix: "kmlf-rest-local-" });
  try {
    const http = new HttpClient(server.url, { env: () => undefined, backoffMs: 1 });
    server.answer(() => new Response("data"), () => new Response(null, { status: 204 }));
    const error = await rejection(
      http.send({ method: "GET", url: "/x", saveTo: join(dir, "missing", "x.bin") }),
    );
    assert.equal(error.code, "tracking/local-io");
    assert.equal(server.received.length, 1, "not retried");
    await http.send({ method: "GET", url: "/empty", saveTo: join(dir, "empty.bin") });
    assert.deepEqual(
      await Deno.readFile(join(dir, "empty.bin")),
      new Uint8Array(),
      "an empty answer is an empty file",
    );
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["empty.bin"], "no partial files");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
