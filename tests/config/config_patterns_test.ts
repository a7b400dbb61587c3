/**
 * kmlf.yml `config_patterns:` (Kedro's CONFIG_LOADER_ARGS["config_patterns"]): a default config type's
 * globs can be replaced, plugin types added, the other defaults stay; a misspelt type or an empty list
 * is refused.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { KmlfSession } from "../../mod.ts";
import { loadProjectSettings } from "../../lib/config/mod.ts";
import { ConfigError, KmlfAggregateError } from "../../lib/errors.ts";
import { withTree } from "../fs_helpers.ts";
import { rejectsWith } from "./_helpers.ts";

Deno.test("config_patterns in kmlf.yml reach the session's config loader; other types keep Kedro's defaults", async () => {
  await withTree({
    "kmlf.yml":
      'name: demo\nconfig_patterns:\n  catalog: ["catalog*", "datasets/**"]\n  spark: ["spark*", "spark/**"]\n',
    "conf/base/catalog.yml": "a: {type: memory}\n",
    "conf/base/datasets/raw.yml": "b: {type: memory}\n",
    "conf/base/spark/session.yml": "master: local\n",
    "conf/base/parameters/model.yml": "lr: 0.1\n",
    "conf/local/.keep": "",
  }, async (dir) => {
    const s = await loadProjectSettings(dir);
    assert.deepEqual(s.configPatterns.spark, ["spark*", "spark/**"]);
    const session = await KmlfSession.create({ projectRoot: dir });
    assert.deepEqual(Object.keys((await session.config.get("catalog")).data).sort(), ["a", "b"]);
    assert.deepEqual((await session.config.get("spark")).data, { master: "local" });
    assert.deepEqual((await session.config.get("parameters")).data, { lr: 0.1 });
    const spark = await session.config.get("spark");
    assert.deepEqual(spark.files, [join(dir, "conf/base/spark/session.yml")]);
  });
});

Deno.test("a misspelt type or an empty pattern list in config_patterns is refused at its line", async () => {
  await withTree(
    { "kmlf.yml": "name: demo\nconfig_patterns:\n  catalg: [x*]\n  spark: []\n" },
    async (dir) => {
      const e = await rejectsWith(() => loadProjectSettings(dir), KmlfAggregateError, "validation/multiple");
      const messages = e.errors.map((x) => `${x.message} @${x.source?.line} | ${x.hint ?? ""}`).join("\n");
      assert.match(messages, /config_patterns\.spark.*@4/s);
      assert.match(
        messages,
        /Unknown config type "catalg" in kmlf.yml config_patterns @3 \| did you mean "catalog"\?/,
      );
      assert.ok(e.errors.every((x) => x instanceof ConfigError));
    },
  );
});
