/**
 * What the public API hands a script is the script's own: changing it changes nothing of the session's
 * later catalogs and run (Kedro's `context.params` and `config_loader[...]` are fresh loads), and a node
 * changing its input changes nothing another node reads (Kedro's MemoryDataset deep-copies).
 */
import assert from "node:assert/strict";
import { Catalog, KmlfSession, type Plugin, type RunParams } from "../../mod.ts";
import { writeProject } from "../models/model_helpers.ts";

const PROJECT: Record<string, string> = {
  "kmlf.yml": "name: shared\n",
  "conf/local/.keep": "",
  "conf/base/parameters.yml": "model:\n  lr: 0.1\n  layers: [4, 2]\n",
  "conf/base/catalog.yml": "companies:\n  type: json.JSONDataset\n  filepath: data/companies.json\n",
  "data/companies.json": '["acme"]\n',
  // `spoil` changes both of its inputs in place; `keep` reads the same datasets after it.
  "pipelines/p.yml": "nodes:\n" +
    "  - { name: spoil, func: ./nodes.ts#spoil, inputs: [params:model, companies], outputs: spoiled }\n" +
    "  - { name: keep, func: ./nodes.ts#keep, inputs: [spoiled, params:model, companies, parameters]," +
    " outputs: kept }\n",
  "pipelines/nodes.ts": `
export function spoil(model: { lr: number; layers: number[] }, companies: string[]) {
  model.lr = 99;
  model.layers.push(1);
  companies.push("evil");
  return model;
}
export function keep(spoiled: { lr: number }, model: unknown, companies: string[], all: { model: unknown }) {
  spoiled.lr = -1; // changes the consumer's copy only
  return { model, companies, all: all.model };
}
`,
};

const WRITTEN = { model: { lr: 0.1, layers: [4, 2] }, companies: ["acme"], all: { lr: 0.1, layers: [4, 2] } };

async function withProject(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await writeProject(PROJECT);
  try {
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("changing what session.parameters() and session.config.get() returned changes nothing of the run", async () => {
  await withProject(async (root) => {
    const session = await KmlfSession.create({ projectRoot: root, plugins: [] });
    const params = await session.parameters();
    (params.model as { lr: number }).lr = 99;
    params.extra = true;
    const loaded = await session.config.get("parameters");
    (loaded.data.model as { layers: number[] }).layers.push(7);
    const catalogConf = (await session.config.get("catalog")).data;
    (catalogConf.companies as { filepath: string }).filepath = "data/elsewhere.json";
    delete catalogConf.companies;
    assert.deepEqual(await session.parameters(), { model: { lr: 0.1, layers: [4, 2] } });
    const catalog = await session.catalog();
    assert.deepEqual(await catalog.load("params:model"), WRITTEN.model);
    assert.deepEqual(await catalog.load("companies"), ["acme"]);
    const result = await session.run({ pipelineNames: "p" });
    assert.deepEqual(await result.outputs.kept.load(), WRITTEN);
  });
});

Deno.test("the runtime params given to create() are copied: changing them later changes nothing", async () => {
  await withProject(async (root) => {
    const runtimeParams = { model: { lr: 0.5 } };
    const session = await KmlfSession.create({ projectRoot: root, plugins: [], runtimeParams });
    runtimeParams.model.lr = 99;
    assert.deepEqual((await session.parameters()).model, { lr: 0.5, layers: [4, 2] });
  });
});

Deno.test("a hook changing run params changes neither the caller's options nor config loaded after it", async () => {
  await withProject(async (root) => {
    const seen: unknown[] = [];
    const plugin: Plugin = {
      name: "tinkering",
      hooks: (context) => ({
        beforePipelineRun({ runParams }: { runParams: RunParams }) {
          (runParams.runtimeParams.model as { lr: number }).lr = 99;
          runParams.loadVersions.companies = "2020-01-01T00.00.00.000Z";
          runParams.tags.push("never");
        },
        async afterPipelineRun() {
          seen.push((await context.loadConfig("parameters")).data.model);
        },
      }),
    };
    const runtimeParams = { model: { lr: 0.5 } };
    const options = { pipelineNames: ["p"], tags: [] as string[], loadVersions: {} };
    const session = await KmlfSession.create({ projectRoot: root, plugins: [plugin], runtimeParams });
    await session.run(options);
    assert.deepEqual(options, { pipelineNames: ["p"], tags: [], loadVersions: {} });
    assert.deepEqual(runtimeParams, { model: { lr: 0.5 } });
    assert.deepEqual(seen, [{ lr: 0.5, layers: [4, 2] }]);
  });
});

Deno.test("changing catalog.resolveConfig()'s answer changes neither the next answer nor the dataset", async () => {
  await withProject(async (root) => {
    const session = await KmlfSession.create({ projectRoot: root, plugins: [] });
    const catalog = await session.catalog({ hooks: false });
    const entry = catalog.resolveConfig("companies")!;
    entry.filepath = "data/elsewhere.json";
    entry.type = "text.TextDataset";
    assert.deepEqual(catalog.resolveConfig("companies"), {
      type: "json.JSONDataset",
      filepath: "data/companies.json",
    });
    assert.deepEqual(await catalog.load("companies"), ["acme"]);
    // A factory pattern's resolved config too.
    const patterned = await Catalog.fromConfig({
      data: { "{name}_json": { type: "json.JSONDataset", filepath: "data/{name}.json", load_args: {} } },
      locate: () => undefined,
    }, { projectRoot: root });
    const matched = patterned.resolveConfig("companies_json")!;
    (matched.load_args as Record<string, unknown>).x = 1;
    matched.filepath = "elsewhere";
    assert.deepEqual(patterned.resolveConfig("companies_json"), {
      type: "json.JSONDataset",
      filepath: "data/companies.json",
      load_args: {},
    });
  });
});

Deno.test("a session's settings cannot be changed behind its back (the config loader keeps some of them)", async () => {
  await withProject(async (root) => {
    const session = await KmlfSession.create({ projectRoot: root, plugins: [] });
    const settings = session.settings as unknown as Record<string, unknown> & {
      configPatterns: Record<string, string[]>;
      hooks: unknown[];
    };
    assert.throws(() => (settings.pipelinesDir = "/elsewhere"), TypeError);
    assert.throws(() => (settings.configPatterns.parameters = ["nothing*"]), TypeError);
    assert.throws(() => settings.hooks.push({}), TypeError);
    assert.deepEqual(await session.pipelineNames(), ["p"]);
    assert.deepEqual((await session.parameters()).model, { lr: 0.1, layers: [4, 2] });
  });
});
