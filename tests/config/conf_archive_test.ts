/**
 * A conf folder packed as .tar.gz, .tar or .zip (Kedro's `--conf-source dist/conf-<pkg>.tar.gz`) loads like
 * the folder: env folders at the top or inside the archive's one folder, hidden files skipped, files named
 * `<archive>/<path>` in errors; a broken or oddly laid-out archive is a clear error.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync, zipSync } from "fflate";
import { createTar } from "nanotar";
import { ConfigLoader } from "../../lib/config/mod.ts";
import { ConfigError } from "../../lib/errors.ts";
import { rejectsWith } from "./_helpers.ts";

const enc = new TextEncoder();
const CONF: Record<string, string> = {
  "conf/base/catalog.yml":
    "_csv: {type: csv}\niris: {type: '${_csv.type}', filepath: '${globals:raw}/iris.csv'}\n",
  "conf/base/globals.yml": "raw: data/01_raw\n",
  "conf/base/parameters/model.yml": "model: {lr: 0.1, n: 3}\n",
  "conf/base/.ipynb_checkpoints/parameters-checkpoint.yml": "model: {lr: 9}\n",
  "conf/local/parameters.yml": "model: {lr: 0.2}\n",
};

async function packed(name: string, files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir();
  const entries = Object.entries(files);
  const bytes = name.endsWith(".zip")
    ? zipSync(Object.fromEntries(entries.map(([p, t]) => [p, enc.encode(t)])))
    : createTar(entries.map(([p, t]) => ({ name: p, data: enc.encode(t) })));
  const path = join(dir, name);
  await Deno.writeFile(path, /gz$/.test(name) ? gzipSync(bytes) : bytes);
  return path;
}

for (const name of ["conf-iris.tar.gz", "conf-iris.tar", "conf-iris.zip"]) {
  Deno.test(`a ${name.slice(10)} conf source loads like the folder it packs`, async () => {
    const path = await packed(name, CONF);
    const loader = await ConfigLoader.create({ confSource: path, env: "local" });
    const catalog = await loader.get("catalog");
    assert.deepEqual(catalog.data, { iris: { type: "csv", filepath: "data/01_raw/iris.csv" } });
    assert.deepEqual(catalog.locate(["iris", "filepath"])?.file, join(path, "conf/base/catalog.yml"));
    const params = await loader.get("parameters");
    assert.deepEqual(params.data, { model: { lr: 0.2 } });
    assert.deepEqual(params.files, [
      join(path, "conf/base/parameters/model.yml"),
      join(path, "conf/local/parameters.yml"),
    ]);
    await Deno.remove(join(path, ".."), { recursive: true });
  });
}

Deno.test("an archive with base/ at its top works; a missing env names the archive's envs", async () => {
  const path = await packed("c.tar.gz", { "base/catalog.yml": "a: {type: memory}\n", "prod/x.txt": "" });
  assert.deepEqual(
    (await (await ConfigLoader.create({ confSource: path, env: "base" })).get("catalog")).data,
    {
      a: { type: "memory" },
    },
  );
  const e = await rejectsWith(
    () => ConfigLoader.create({ confSource: path, env: "prd" }),
    ConfigError,
    "config/missing-env",
    new RegExp(`Configuration folder ${join(path, "prd")} does not exist`),
  );
  assert.match(e.hint ?? "", /environments: prod; did you mean "prod"\?/);
  await Deno.remove(join(path, ".."), { recursive: true });
});

Deno.test("an archive with several top folders and no base/, or a broken one, is a clear error", async () => {
  const path = await packed("c.zip", { "a/base/catalog.yml": "{}\n", "b/base/catalog.yml": "{}\n" });
  await rejectsWith(
    () => ConfigLoader.create({ confSource: path, env: "local" }),
    ConfigError,
    "config/bad-archive",
    /holds neither a base\/ folder nor one folder with the configuration inside \(found: a, b\)/,
  );
  await Deno.writeTextFile(path, "PK not a zip");
  await rejectsWith(
    () => ConfigLoader.create({ confSource: path, env: "local" }),
    ConfigError,
    "config/bad-archive",
  );
  await Deno.remove(join(path, ".."), { recursive: true });
});

Deno.test("a YAML error inside an archive names the file inside it", async () => {
  const path = await packed("c.tgz", { "conf/base/catalog.yml": "a: [\n", "conf/local/x.txt": "" });
  const loader = await ConfigLoader.create({ confSource: path, env: "local" });
  const e = await rejectsWith(() => loader.get("catalog"), ConfigError, "yaml/syntax");
  assert.equal(e.source?.file, join(path, "conf/base/catalog.yml"));
  await Deno.remove(join(path, ".."), { recursive: true });
});
