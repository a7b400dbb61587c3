/**
 * The server's logged-model records (`<state>/logged-models/<id>.json`, beside the artifacts destination) follow
 * the file store's folder-link rule: the records folder, or a record, planted as a link out of the server's
 * state folder is no record of this server — nothing is read, listed or written through it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SqliteStore } from "../../lib/tracking/mod.ts";
import { createRequestHandler } from "../../lib/server/mod.ts";

const API = "http://localhost/api/2.0/mlflow/logged-models";

async function fixture() {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-logged-model-links-" });
  const store = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: "mlflow-artifacts:/" });
  const handle = createRequestHandler(store, { artifactsDestination: join(dir, "art"), cwd: dir });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await handle(
      new Request(API + path, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    return { status: res.status, body: await res.json() };
  };
  const outside = join(dir, "outside");
  await Deno.mkdir(outside);
  return {
    dir,
    call,
    outside,
    records: join(dir, ".kmlf", "server", "logged-models"),
    dispose: async () => {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("a logged-models folder planted as a link out of the server's state makes and shows no model there", async () => {
  const fx = await fixture();
  try {
    // A real record, then the folder moved out and replaced by a link to it.
    const created = await fx.call("POST", "", { experiment_id: "0", name: "m" });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const id = created.body.model.info.model_id;
    await Deno.remove(fx.outside);
    await Deno.rename(fx.records, fx.outside);
    await Deno.symlink(fx.outside, fx.records);

    assert.equal((await fx.call("GET", `/${id}`)).status, 404);
    const search = await fx.call("POST", "/search", { experiment_ids: ["0"] });
    assert.equal(search.status, 200);
    assert.deepEqual(search.body, {});
    const refused = await fx.call("POST", "", { experiment_id: "0", name: "n" });
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.match(refused.body.message, /symbolic link leading out of the server's state folder/);
    assert.ok(!refused.body.message.includes(fx.dir), refused.body.message);
    assert.deepEqual([...Deno.readDirSync(fx.outside)].map((e) => e.name), [`${id}.json`]);
  } finally {
    await fx.dispose();
  }
});

Deno.test("a logged model's record planted as a link out of the records folder is not read", async () => {
  const fx = await fixture();
  try {
    const created = await fx.call("POST", "", { experiment_id: "0", name: "m" });
    const id = created.body.model.info.model_id;
    const record = join(fx.records, `${id}.json`);
    await Deno.rename(record, join(fx.outside, "record.json"));
    await Deno.symlink(join(fx.outside, "record.json"), record);
    assert.equal((await fx.call("GET", `/${id}`)).status, 404);
    assert.deepEqual((await fx.call("POST", "/search", { experiment_ids: ["0"] })).body, {});
    // Deleting it writes nothing through the link.
    assert.equal((await fx.call("DELETE", `/${id}`)).status, 404);
    assert.doesNotMatch(await Deno.readTextFile(join(fx.outside, "record.json")), /"deleted"/);
  } finally {
    await fx.dispose();
  }
});
