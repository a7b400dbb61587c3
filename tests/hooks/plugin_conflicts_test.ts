/**
 * Plugins that collide or fail while they join a session: two plugins (or a plugin and kmlf) taking one
 * dataset type or resolver name are refused, naming both, instead of the later one winning silently; a
 * plugin function that throws is named as the plugin's failure, not kmlf's.
 */
import assert from "node:assert/strict";
import { ConfigError, type Dataset, KmlfAggregateError, KmlfSession, type Plugin } from "../../mod.ts";
import { pluginRegistry, pluginResolvers } from "../../lib/session/project_plugins.ts";
import { writeProject } from "../models/model_helpers.ts";

class Constant implements Dataset<string> {
  constructor(readonly value: string) {}
  load() {
    return Promise.resolve(this.value);
  }
  save() {
    return Promise.resolve();
  }
  exists() {
    return Promise.resolve(true);
  }
  describe() {
    return { value: this.value };
  }
}

const constantType = (name: string, value: string, names = ["constant"]): Plugin => ({
  name,
  registerDatasets: (registry) => registry.register(names, () => new Constant(value)),
});

function isCode(code: string, ...mentions: RegExp[]) {
  return (e: unknown) => {
    assert.ok(e instanceof ConfigError, String(e));
    assert.equal(e.code, code);
    for (const m of mentions) assert.match(`${e.message} ${e.hint}`, m);
    return true;
  };
}

Deno.test("two plugins registering one dataset type name are refused, naming both", () => {
  assert.throws(
    () => pluginRegistry([constantType("first", "1"), constantType("second", "2")]),
    isCode(
      "plugins/duplicate-dataset-type",
      /Plugin "second"/,
      /plugin "first" registered first/,
      /"constant"/,
    ),
  );
  // Any of a type's names counts, not only the first.
  assert.throws(
    () =>
      pluginRegistry([
        constantType("first", "1", ["c", "ConstantDataset"]),
        constantType("x", "2", ["ConstantDataset"]),
      ]),
    isCode("plugins/duplicate-dataset-type", /"ConstantDataset"/),
  );
});

Deno.test("a plugin cannot take a built-in type's name, Kedro's spellings included", () => {
  for (
    const name of ["csv", "CSVDataset", "pandas.CSVDataset", "kedro_datasets.json.JSONDataset", "memory"]
  ) {
    assert.throws(
      () => pluginRegistry([constantType("mine", "1", [name])]),
      isCode("plugins/duplicate-dataset-type", /kmlf's built-in/, /Plugin "mine"/),
      name,
    );
  }
});

Deno.test("a plugin may register its own names again, and distinct plugins' types all resolve", async () => {
  const again: Plugin = {
    name: "again",
    registerDatasets(registry) {
      registry.register(["constant"], () => new Constant("old"));
      registry.register(["constant", "ConstantDataset"], () => new Constant("new"));
    },
  };
  const registry = pluginRegistry([again, constantType("other", "o", ["other_constant"])]);
  const type = await registry.resolve("ConstantDataset");
  assert.equal(await (type!.factory({}, {} as never) as Constant).load(), "new");
  assert.ok(registry.lookup("other_constant"));
  // The ownership is the plugin registration's only: a later plain register (kmlf's own code) still replaces.
  registry.register(["constant"], () => new Constant("plain"));
  assert.equal(
    await ((await registry.resolve("constant"))!.factory({}, {} as never) as Constant).load(),
    "plain",
  );
});

Deno.test("plugin resolvers: a name two plugins add, or one interpolation has, is refused; oc.env may be given", () => {
  const resolvers = (name: string, ...names: string[]): Plugin => ({
    name,
    resolvers: Object.fromEntries(names.map((n) => [n, () => name])),
  });
  assert.throws(
    () =>
      pluginResolvers([
        resolvers("a", "my.now"),
        resolvers("b", "my.now", "runtime_params", "oc.select", "fine.name"),
      ]),
    (e: unknown) => {
      assert.ok(e instanceof KmlfAggregateError, String(e));
      const messages = e.errors.map((x) => x.message);
      assert.deepEqual(messages, [
        'Plugin "b" adds the resolver "my.now", which plugin "a" adds too',
        'Plugin "b" adds the resolver "runtime_params", which config interpolation has built in',
        'Plugin "b" adds the resolver "oc.select", which config interpolation has built in',
      ]);
      assert.ok(e.errors.every((x) => x.code === "plugins/duplicate-resolver"));
      return true;
    },
  );
  const merged = pluginResolvers([resolvers("a", "a.x"), resolvers("b", "oc.env", "b.x")]);
  assert.deepEqual(Object.keys(merged), ["a.x", "oc.env", "b.x"]);
});

Deno.test("a session refuses colliding plugins before anything runs, and names a plugin function that throws", async () => {
  const root = await writeProject({
    "kmlf.yml": "name: collide\n",
    "conf/base/catalog.yml": "value:\n  type: constant\n",
    "conf/base/parameters.yml": "x: 1\n",
    "conf/local/.keep": "",
    "pipelines/p.yml": "nodes:\n  - name: n\n    func: ./nodes.ts#id\n    inputs: value\n    outputs: out\n",
    "pipelines/nodes.ts": "export const id = (v: string) => v;\n",
  });
  try {
    // Before: the second plugin's type replaced the first's without a word.
    const session = await KmlfSession.create({
      projectRoot: root,
      plugins: [constantType("first", "1"), constantType("second", "2")],
    });
    await assert.rejects(() => session.catalog(), isCode("plugins/duplicate-dataset-type"));
    await assert.rejects(() => session.run({ pipelineNames: "p" }), isCode("plugins/duplicate-dataset-type"));

    await assert.rejects(
      () =>
        KmlfSession.create({
          projectRoot: root,
          plugins: [{ name: "a", resolvers: { "x.y": () => 1 } }, {
            name: "b",
            resolvers: { "x.y": () => 2 },
          }],
        }),
      isCode("plugins/duplicate-resolver", /plugin "a" adds too/),
    );

    const failing: Record<string, Plugin> = {
      registerDatasets: {
        name: "broken",
        registerDatasets() {
          throw new TypeError("registry is not iterable");
        },
      },
      hooks: {
        name: "broken",
        hooks() {
          throw new Error("no webhook URL");
        },
      },
    };
    for (const [member, plugin] of Object.entries(failing)) {
      const s = await KmlfSession.create({ projectRoot: root, plugins: [constantType("c", "1"), plugin] });
      await assert.rejects(
        () => s.run({ pipelineNames: "p" }),
        (e: unknown) => {
          isCode("plugins/failed", new RegExp(`Plugin "broken" failed in ${member}\\(\\)`))(e);
          assert.ok((e as ConfigError).userCode, "the plugin's frames are shown, not kmlf's");
          assert.ok((e as ConfigError).cause instanceof Error);
          return true;
        },
      );
    }
    // A thrown value that is not an Error is named as it is.
    const odd: Plugin = {
      name: "odd",
      hooks() {
        throw { reason: "no URL" };
      },
    };
    const o = await KmlfSession.create({ projectRoot: root, plugins: [constantType("c", "1"), odd] });
    await assert.rejects(
      () => o.run({ pipelineNames: "p" }),
      isCode("plugins/failed", /^Plugin "odd" failed in hooks\(\): it threw \{ reason: "no URL" \} fix/),
    );
    // hooksDisabled is a plugin's function too.
    await Deno.writeTextFile(`${root}/kmlf.yml`, "name: collide\ndisable_hooks_for_plugins: [quiet]\n");
    const quiet: Plugin = {
      name: "quiet",
      hooksDisabled() {
        throw new Error("cannot say so");
      },
    };
    const s = await KmlfSession.create({ projectRoot: root, plugins: [constantType("c", "1"), quiet] });
    await assert.rejects(
      () => s.run({ pipelineNames: "p" }),
      isCode("plugins/failed", /Plugin "quiet" failed in hooksDisabled\(\): cannot say so/),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
