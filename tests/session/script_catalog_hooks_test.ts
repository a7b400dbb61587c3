/**
 * A script's `session.catalog()` fires afterCatalogCreated as Kedro's `context.catalog` fires
 * after_catalog_created, with the arguments `kmlf run` passes, after afterContextCreated (once per
 * session); kmlf's own catalog commands fire no hook.
 */
import assert from "node:assert/strict";
import { KmlfSession } from "../../mod.ts";
import { kmlf } from "../cli_harness.ts";
import { writeProject } from "../models/model_helpers.ts";

const HOOKS = `import type { Hooks } from "kmlf";
export const seen: unknown[] = [];
export class Recorder implements Hooks {
  contexts = 0;
  afterContextCreated() {
    this.contexts++;
    seen.push(["afterContextCreated"]);
  }
  afterCatalogCreated(args: Parameters<NonNullable<Hooks["afterCatalogCreated"]>>[0]) {
    const { catalog, ...rest } = args;
    seen.push(["afterCatalogCreated", { ...rest, raw: catalog.has("raw"), contexts: this.contexts }]);
  }
}
`;

const FILES = {
  "kmlf.yml": "name: scripted\nhooks: [./hooks.ts#Recorder]\n",
  "deno.json": JSON.stringify({ imports: { kmlf: new URL("../../mod.ts", import.meta.url).href } }),
  "hooks.ts": HOOKS,
  "conf/base/catalog.yml": "raw:\n  type: json.JSONDataset\n  filepath: data/raw.json\n  credentials: db\n" +
    "model:\n  type: json.JSONDataset\n  filepath: data/model.json\n  versioned: true\n",
  "conf/base/credentials.yml": "db:\n  token: t\n",
  "conf/base/parameters.yml": "x: 1\n",
  "conf/local/.keep": "",
  "data/raw.json": "[1]\n",
  "pipelines/p.yml": "nodes:\n  - name: n\n    func: ./nodes.ts#id\n    inputs: raw\n    outputs: out\n",
  "pipelines/nodes.ts": "export const id = (x: unknown) => x;\n",
};

Deno.test("session.catalog() fires afterCatalogCreated with the arguments kmlf run passes", async () => {
  const root = await writeProject(FILES);
  try {
    const session = await KmlfSession.create({ projectRoot: root });
    const catalog = await session.catalog({ loadVersions: { model: "v1" } });
    assert.deepEqual(await catalog.load("raw"), [1]);
    await session.run({ pipelineNames: "p" });
    const { seen } = await import(new URL(`file://${root}/hooks.ts`).href);
    const expected = (loadVersions: Record<string, string>) => [
      "afterCatalogCreated",
      {
        confCatalog: {
          raw: { type: "json.JSONDataset", filepath: "data/raw.json", credentials: "db" },
          model: { type: "json.JSONDataset", filepath: "data/model.json", versioned: true },
        },
        confCreds: { db: { token: "t" } },
        parameters: { x: 1 },
        saveVersion: session.runId,
        loadVersions,
        raw: true,
        contexts: 1,
      },
    ];
    // The script's catalog, then the run's: one context (one hook instance), as one Kedro session.
    assert.deepEqual(seen, [["afterContextCreated"], expected({ model: "v1" }), expected({})]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("kmlf catalog list and validate fire no project hook (it only reads the catalog)", async () => {
  const root = await writeProject({
    ...FILES,
    "hooks.ts": "export class Recorder { afterCatalogCreated() { throw new Error('fired'); } }\n",
  });
  try {
    for (const command of ["list", "validate"]) {
      const result = await kmlf(["catalog", command], { cwd: root });
      assert.equal(result.code, 0, `${command}: ${result.stderr}`);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
