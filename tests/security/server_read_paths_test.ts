/**
 * The server's read paths end to end, over a file store and a SQLite store: metric history (single,
 * bulk, bulk-interval), run and experiment reads, artifact listing and downloads (`artifacts/list`,
 * `/get-artifact`, the `mlflow-artifacts` proxy). Every traversal variant, raw-encoded forms and
 * planted symlinks: never a 5xx, never the secret's content, never a folder of the machine, and no
 * 200-versus-500 difference that would tell whether a path exists.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SECRET, type SecurityFixture, securityFixture } from "./security_fixture.ts";
import { BAD_EXPERIMENT_IDS, BAD_RUN_IDS, leaksPath, TRAVERSAL_NAMES } from "./traversal_variants.ts";

const API = "/api/2.0/mlflow";
const AJAX = "/ajax-api/2.0/mlflow";

/** Query strings written by hand: encodings a URL builder would not produce. */
const RAW_KEY_QUERIES = [
  "..%2F..%2F..%2Fsecret",
  "%2E%2E%2F%2E%2E%2Fsecret",
  "%252e%252e%252fsecret",
  "..%5C..%5Csecret",
  "secret%00",
  "%00",
  "%2Fetc%2Fpasswd",
  "..%c0%afsecret",
  "%ZZ",
];

interface Answer {
  status: number;
  text: string;
}

async function answer(response: Response | Promise<Response>): Promise<Answer> {
  const r = await response;
  return { status: r.status, text: await r.text() };
}

/** Checks one answer: no 5xx, no secret, no folder in errors; `expect` lists allowed statuses. */
function safe(fx: SecurityFixture, a: Answer, what: string, expect: readonly number[]): void {
  assert.ok(a.status < 500, `${what}: ${a.status} ${a.text.slice(0, 300)}`);
  assert.ok(
    expect.includes(a.status),
    `${what}: status ${a.status} not in ${expect}: ${a.text.slice(0, 300)}`,
  );
  assert.ok(!a.text.includes("TOP-SECRET") && !a.text.includes("31337"), `${what}: the secret leaked`);
  // Error messages never show a folder (a 200 may: a run's artifact URI is public in MLflow).
  if (a.status >= 400) assert.ok(!leaksPath(a.text, fx.dir), `${what}: the message shows a path: ${a.text}`);
}

function raw(fx: SecurityFixture, path: string, query: string): Promise<Answer> {
  return answer(fx.handle(new Request(`http://127.0.0.1:5000${path}?${query}`)));
}

async function withFixture(kind: "file" | "sqlite", fn: (fx: SecurityFixture) => Promise<void>) {
  const fx = await securityFixture(kind);
  try {
    await fn(fx);
    assert.equal(await Deno.readTextFile(fx.secretPath), SECRET);
    assert.deepEqual([...Deno.readDirSync(fx.outsideDir)].map((e) => e.name), ["secret"]);
  } finally {
    await fx.dispose();
  }
}

for (const kind of ["file", "sqlite"] as const) {
  // A file store refuses a traversal key (MLflow's file store does too); the SQLite store has no files
  // behind keys and answers an empty history, as MLflow's SQL store does.
  const keyStatuses = kind === "file" ? [400] : [200, 400];

  Deno.test(`${kind} store server: metric history reads refuse every traversal key`, () =>
    withFixture(kind, async (fx) => {
      for (const key of TRAVERSAL_NAMES) {
        const what = `key ${JSON.stringify(key)}`;
        for (const prefix of [API, AJAX]) {
          safe(
            fx,
            await answer(fx.get(`${prefix}/metrics/get-history`, { run_id: fx.runId, metric_key: key })),
            `${what} get-history`,
            keyStatuses,
          );
          safe(
            fx,
            await answer(
              fx.get(`${prefix}/metrics/get-history-bulk-interval`, { run_ids: [fx.runId], metric_key: key }),
            ),
            `${what} bulk-interval`,
            keyStatuses,
          );
          safe(
            fx,
            await answer(
              // MLflow serves the bulk history under ajax-api only.
              fx.get(`/ajax-api/2.0/mlflow/metrics/get-history-bulk`, {
                run_id: [fx.runId, fx.runId],
                metric_key: key,
              }),
            ),
            `${what} bulk`,
            keyStatuses,
          );
        }
      }
      for (const query of RAW_KEY_QUERIES) {
        for (const endpoint of ["get-history", "get-history-bulk", "get-history-bulk-interval"]) {
          const runParam = endpoint === "get-history-bulk-interval" ? "run_ids" : "run_id";
          const a = await raw(
            fx,
            `${AJAX}/metrics/${endpoint}`,
            `${runParam}=${fx.runId}&metric_key=${query}`,
          );
          safe(fx, a, `raw ${query} ${endpoint}`, [...keyStatuses, 400]);
          if (a.status === 200) assert.ok(!a.text.includes('"value"'), `raw ${query}: ${a.text}`);
        }
      }
      // A real key still answers.
      const ok = await answer(fx.get(`${API}/metrics/get-history`, { run_id: fx.runId, metric_key: "loss" }));
      assert.equal(ok.status, 200);
      assert.equal(JSON.parse(ok.text).metrics[0].value, 0.5);
    }));

  Deno.test(`${kind} store server: run and experiment ids that are paths are user errors`, () =>
    withFixture(kind, async (fx) => {
      const idStatuses = kind === "file" ? [400] : [200, 400, 404];
      for (const id of BAD_RUN_IDS) {
        const what = `run id ${JSON.stringify(id)}`;
        safe(fx, await answer(fx.get(`${API}/runs/get`, { run_id: id })), `${what} runs/get`, [400, 404]);
        safe(
          fx,
          await answer(fx.get(`${API}/metrics/get-history`, { run_id: id, metric_key: "loss" })),
          what,
          idStatuses,
        );
        safe(
          fx,
          await answer(
            fx.get(`${AJAX}/metrics/get-history-bulk-interval`, { run_ids: [id], metric_key: "loss" }),
          ),
          `${what} bulk-interval`,
          idStatuses,
        );
        safe(
          fx,
          await answer(fx.get(`${AJAX}/metrics/get-history-bulk`, { run_id: [id], metric_key: "loss" })),
          `${what} bulk`,
          idStatuses,
        );
        safe(fx, await answer(fx.get(`${API}/artifacts/list`, { run_id: id })), `${what} artifacts/list`, [
          400,
          404,
        ]);
        safe(
          fx,
          await answer(fx.get("/get-artifact", { run_uuid: id, path: "notes.txt" })),
          `${what} get-artifact`,
          [400, 404],
        );
      }
      for (const id of BAD_EXPERIMENT_IDS) {
        const what = `experiment id ${JSON.stringify(id)}`;
        safe(fx, await answer(fx.get(`${API}/experiments/get`, { experiment_id: id })), what, [
          200,
          400,
          404,
        ]);
        const search = await answer(
          fx.handle(
            new Request(`http://127.0.0.1:5000${API}/runs/search`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ experiment_ids: [id] }),
            }),
          ),
        );
        safe(fx, search, `${what} runs/search`, [200, 400]);
      }
    }));

  Deno.test(`${kind} store server: artifact reads refuse traversal paths and links leading out`, () =>
    withFixture(kind, async (fx) => {
      // Links planted in the proxy's destination too.
      const destination = join(fx.dir, "store", "mlartifacts");
      await Deno.mkdir(join(destination, "1"), { recursive: true });
      await Deno.symlink(fx.secretPath, join(destination, "1", "link-to-secret"));
      await Deno.symlink(fx.outsideDir, join(destination, "link-to-outside"));
      const paths = [...TRAVERSAL_NAMES, "link-to-secret", "link-to-outside/secret", "link-to-outside"];
      for (const path of paths) {
        const what = `path ${JSON.stringify(path)}`;
        safe(fx, await answer(fx.get(`${API}/artifacts/list`, { run_id: fx.runId, path })), `${what} list`, [
          400,
        ]);
        safe(
          fx,
          await answer(fx.get("/get-artifact", { run_uuid: fx.runId, path })),
          `${what} get-artifact`,
          [400],
        );
        for (const proxied of [path, `1/${path}`]) {
          const encoded = proxied.split("/").map(encodeURIComponent).join("/");
          const url = new URL(`http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/${encoded}`);
          // The URL parser itself resolves dot segments (also `%2e%2e`): what is left is a listing of a
          // folder inside the destination, which is allowed.
          const resolvedAway = url.pathname !== `/api/2.0/mlflow-artifacts/artifacts/${encoded}`;
          const download = await fx.handle(new Request(url));
          // A doubled slash is answered as Werkzeug does: a 308 to the path with slashes merged, which
          // stays under the proxy's route (so inside the destination).
          if (download.status === 308) {
            const location = new URL(download.headers.get("location") ?? "", url).pathname;
            assert.ok(location.startsWith("/api/2.0/mlflow-artifacts/artifacts/"), `${what}: ${location}`);
            assert.ok(!location.split("/").includes(".."), `${what}: ${location}`);
          }
          safe(
            fx,
            await answer(download),
            `${what} proxy download`,
            resolvedAway ? [200, 308, 400, 404] : [308, 400, 404],
          );
          // `1//etc/passwd` is the relative `1/etc/passwd` (MLflow agrees), and a missing folder lists
          // nothing: an empty answer from inside the root. Planted links and traversals are refused.
          const list = await answer(fx.get("/api/2.0/mlflow-artifacts/artifacts", { path: proxied }));
          const planted = ["1/link-to-secret", "link-to-outside", "link-to-outside/secret"].includes(proxied);
          safe(
            fx,
            list,
            `${what} proxy list`,
            planted || TRAVERSAL_NAMES.includes(proxied) ? [400] : [200, 400],
          );
          if (list.status === 200) assert.equal(list.text, "{}", `${what} proxy list`);
        }
      }
      for (const query of RAW_KEY_QUERIES) {
        safe(fx, await raw(fx, "/get-artifact", `run_uuid=${fx.runId}&path=${query}`), `raw ${query}`, [
          400,
          404,
        ]);
        safe(fx, await raw(fx, `${API}/artifacts/list`, `run_id=${fx.runId}&path=${query}`), `raw ${query}`, [
          200,
          400,
        ]);
      }
      // Listings leave the links out; the real artifact is still served.
      const list = JSON.parse((await answer(fx.get(`${API}/artifacts/list`, { run_id: fx.runId }))).text);
      assert.deepEqual(list.files.map((f: { path: string }) => f.path), ["notes.txt"]);
      const proxyList = await answer(fx.get("/api/2.0/mlflow-artifacts/artifacts", { path: "" }));
      assert.ok(!proxyList.text.includes("link-to-outside"), proxyList.text);
      const proxySub = await answer(fx.get("/api/2.0/mlflow-artifacts/artifacts", { path: "1" }));
      assert.ok(!proxySub.text.includes("link-to-secret"), proxySub.text);
      const notes = await answer(fx.get("/get-artifact", { run_uuid: fx.runId, path: "notes.txt" }));
      assert.deepEqual([notes.status, notes.text], [200, "hello"]);
    }));
}

for (const kind of ["file", "sqlite"] as const) {
  // The proxy's destination is the jail of every `mlflow-artifacts:` root: a run's or an experiment's
  // folder there that is itself a link leads nowhere — through `/get-artifact`, `artifacts/list`, the
  // UI's upload and model-version downloads, as through the proxy's own routes.
  Deno.test(`${kind} store server: a proxied run root that is a link out of the destination is refused`, () =>
    withFixture(kind, async (fx) => {
      const destination = join(fx.dir, "store", "mlartifacts");
      const experimentId = await fx.store.createExperiment("proxied", {
        artifactLocation: "mlflow-artifacts:/",
      });
      const linkedRun = (await fx.store.createRun({ experimentId })).info.runId;
      const inLinkedExperiment = await fx.store.createExperiment("linked", {
        artifactLocation: "mlflow-artifacts:/linked",
      });
      const deepRun = (await fx.store.createRun({ experimentId: inLinkedExperiment })).info.runId;
      await Deno.mkdir(join(destination, linkedRun), { recursive: true });
      await Deno.symlink(fx.outsideDir, join(destination, linkedRun, "artifacts"));
      await Deno.symlink(fx.outsideDir, join(destination, "linked"));
      await fx.store.registry.createRegisteredModel("leaky");
      await fx.store.registry.createModelVersion("leaky", `mlflow-artifacts:/${linkedRun}/artifacts`, {
        runId: linkedRun,
      });
      for (const runId of [linkedRun, deepRun]) {
        const secret = runId === linkedRun ? "secret" : `${deepRun}/artifacts/secret`;
        if (runId === deepRun) {
          await Deno.mkdir(join(fx.outsideDir, deepRun, "artifacts"), { recursive: true });
          await Deno.copyFile(fx.secretPath, join(fx.outsideDir, deepRun, "artifacts", "secret"));
        }
        for (const path of [undefined, "", "secret"]) {
          const query: Record<string, string> = path === undefined
            ? { run_id: runId }
            : { run_id: runId, path };
          safe(fx, await answer(fx.get(`${API}/artifacts/list`, query)), `list ${secret} ${path}`, [400]);
        }
        safe(fx, await answer(fx.get("/get-artifact", { run_id: runId, path: "secret" })), "get-artifact", [
          400,
        ]);
        const upload = await answer(
          fx.handle(
            new Request(`http://127.0.0.1:5000${AJAX}/upload-artifact?run_uuid=${runId}&path=planted.txt`, {
              method: "POST",
              body: "planted",
            }),
          ),
        );
        safe(fx, upload, "upload-artifact", [400]);
        if (runId === deepRun) await Deno.remove(join(fx.outsideDir, deepRun), { recursive: true });
      }
      safe(
        fx,
        await answer(fx.get("/model-versions/get-artifact", { name: "leaky", version: "1", path: "secret" })),
        "model-versions/get-artifact",
        [400],
      );
      // A proxied run root inside the destination still works.
      const fine = (await fx.store.createRun({ experimentId })).info.runId;
      const written = await answer(
        fx.handle(
          new Request(`http://127.0.0.1:5000${AJAX}/upload-artifact?run_uuid=${fine}&path=ok.txt`, {
            method: "POST",
            body: "fine",
          }),
        ),
      );
      assert.equal(written.status, 200, written.text);
      const read = await answer(fx.get("/get-artifact", { run_id: fine, path: "ok.txt" }));
      assert.deepEqual([read.status, read.text], [200, "fine"]);
    }));
}
