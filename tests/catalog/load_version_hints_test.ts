/**
 * `--load-versions name:V` naming no dataset suggests a close name among the declared entries and the
 * run's own datasets that have an entry (a namespaced `a.model_input` a pattern matches).
 */
import assert from "node:assert/strict";
import { Catalog } from "../../lib/catalog/mod.ts";
import { KmlfAggregateError, type KmlfError } from "../../lib/errors.ts";
import { catalogConfig } from "./catalog_helpers.ts";
import { inTempDir } from "./dataset_contract.ts";

const V1 = "2024-01-01T00.00.00.000Z";
const YAML = '"{ns}.model_input": {type: json, filepath: "data/{ns}/model_input.json", versioned: true}\n' +
  "other: {type: json, filepath: data/other.json}\n";

async function hintFor(root: string, pin: string, used: string[]): Promise<string | undefined> {
  const error = await Catalog.fromConfig(catalogConfig(YAML), {
    projectRoot: root,
    loadVersions: { [pin]: V1 },
    used,
  }).then(() => undefined, (e) => e);
  const errors = error instanceof KmlfAggregateError ? error.errors : [error as KmlfError];
  const unknown = errors.find((e) => e.code === "catalog/unknown-load-version");
  assert.ok(unknown, String(error));
  return unknown.hint;
}

Deno.test("--load-versions suggests the run's namespaced dataset a pattern matches", async () => {
  await inTempDir(async (root) => {
    const used = ["a.model_input", "a.model", "params:x", "parameters"];
    assert.equal(await hintFor(root, "model_input", used), 'did you mean "a.model_input"?');
    // A name of the run with no entry (kept in memory) is no guess: pinning it could not work.
    assert.equal(
      await hintFor(root, "featurs", ["features", "params:x"]),
      "name a versioned dataset declared in catalog.yml",
    );
    // The suggested name is accepted (the catalog builds with it pinned).
    await Catalog.fromConfig(catalogConfig(YAML), {
      projectRoot: root,
      loadVersions: { "a.model_input": V1 },
      used: ["a.model_input"],
    });
  });
});
