/**
 * `logged-models/search` pages as MLflow 3 does: `max_results` models per page and a
 * `next_page_token` while more match, so a client following the tokens sees every model once; a token
 * brought back with another query is refused rather than skipping or repeating models.
 */
import assert from "node:assert/strict";
import { serverFixture } from "./server_harness.ts";

Deno.test("logged-models/search pages through every model once and refuses a token of another query", async () => {
  const fx = await serverFixture();
  try {
    const { experiment_id } = await (await fx.post("/api/2.0/mlflow/experiments/create", { name: "lm" }))
      .json();
    const created = new Set<string>();
    for (let i = 0; i < 7; i++) {
      const res = await fx.post("/api/2.0/mlflow/logged-models", { experiment_id, name: `m${i}` });
      created.add((await res.json()).model.info.model_id);
    }
    const search = (body: Record<string, unknown>) => fx.post("/api/2.0/mlflow/logged-models/search", body);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await search({ experiment_ids: [experiment_id], max_results: 3, page_token: token });
      assert.equal(res.status, 200);
      const page = await res.json();
      seen.push(...(page.models ?? []).map((m: { info: { model_id: string } }) => m.info.model_id));
      token = page.next_page_token;
      pages++;
    } while (token && pages < 10);
    assert.equal(pages, 3);
    assert.equal(seen.length, 7);
    assert.deepEqual(new Set(seen), created);

    const first = await (await search({ experiment_ids: [experiment_id], max_results: 3 })).json();
    const other = await search({
      experiment_ids: [experiment_id],
      filter: "name = 'm1'",
      max_results: 3,
      page_token: first.next_page_token,
    });
    assert.equal(other.status, 400);
    const refusal = await other.json();
    assert.equal(refusal.error_code, "INVALID_PARAMETER_VALUE");
    assert.match(
      refusal.message,
      /^Invalid page token: it was issued for filter_string null, not "name = 'm1'"/,
    );
    const garbage = await search({ experiment_ids: [experiment_id], page_token: "not a token" });
    assert.equal(garbage.status, 400);
    assert.match(
      (await garbage.json()).message,
      /^Invalid page token: it is not a logged-models\/search token/,
    );
  } finally {
    await fx.dispose();
  }
});
