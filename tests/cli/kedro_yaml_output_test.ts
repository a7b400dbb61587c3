/**
 * `kmlf catalog list|resolve|patterns` and `kmlf registry list|describe` print as Kedro 1.x's CLI does,
 * `click.echo(yaml.dump(value))`: checked against real PyYAML, which reads each output and writes what it
 * read again with `yaml.dump` — the same bytes only if kmlf's text is PyYAML's (keys sorted, list items not
 * indented under their key, its quoting, folding at column 80, `\xE9` escapes, floats as `1.0`).
 */
import assert from "node:assert/strict";
import { demoProject, kmlf } from "../cli_harness.ts";
import { pyyaml } from "../yaml/pyyaml_oracle.ts";

// Values PyYAML and js-yaml write differently: texts YAML 1.1 types, non-ASCII, a long path, floats.
const EXTRA_CATALOG = `
"données_été":
  type: csv
  filepath: data/01_raw/données été.csv
flags:
  type: csv
  filepath: "data/01_raw/a folder name long enough that the line goes on past the eightieth column/flags.csv"
  load_args: { sep: ";", header: "yes", na_values: ["", "n/a", "null", "on", "- x", "#"], ratio: 1.0, big: 1e3 }
  save_args: { index: no, when: "2024-01-31", "on": [] }
"{name}_test":
  type: pickle
  filepath: data/05_model_input/{name}_test.pkl
`;

Deno.test("catalog and registry listings are byte for byte what Kedro's yaml.dump prints", async () => {
  const dir = await demoProject({ "conf/base/catalog_extra.yml": EXTRA_CATALOG });
  try {
    const commands = [
      ["catalog", "list"],
      ["catalog", "describe-datasets", "-p", "training"],
      ["catalog", "resolve"],
      ["catalog", "patterns"],
      ["registry", "list"],
      ["registry", "describe", "training"],
    ];
    const outputs: string[] = [];
    for (const args of commands) {
      const r = await kmlf(args, { cwd: dir });
      assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
      // yaml.dump's text ends with a newline, and click.echo adds one.
      assert.ok(r.stdout.endsWith("\n\n"), `${args.join(" ")}: ${JSON.stringify(r.stdout.slice(-20))}`);
      outputs.push(r.stdout.slice(0, -1));
    }
    const { redump } = await pyyaml({ redump: outputs });
    commands.forEach((args, i) => assert.equal(outputs[i], redump[i], args.join(" ")));

    const [list, , resolve, patterns, registry] = outputs;
    // The cases the old (js-yaml) output differed in, so the comparison above covers them.
    assert.match(
      resolve,
      /^"donn\\xE9es_\\xE9t\\xE9":\n {2}filepath: "data\/01_raw\/donn\\xE9es \\xE9t\\xE9\.csv"\n/m,
    );
    assert.match(list, /\n {2}factories:\n {4}PickleDataset:\n {4}- X_test\n {4}- y_test\n/);
    assert.match(resolve, /\n {4}header: 'yes'\n/);
    assert.match(resolve, /\n {4}ratio: 1\.0\n/);
    assert.match(resolve, /\n {4}'on': \[\]\n/);
    assert.match(
      resolve,
      /\n {2}filepath: data\/01_raw\/a folder .* past the eightieth\n {4}column\/flags\.csv\n/,
    );
    assert.match(resolve, /\n {4}big: 1000\.0\n/);
    assert.equal(patterns, "- '{name}_test'\n");
    assert.equal(registry, "- __default__\n- inference\n- training\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// Kedro's describe-datasets (list_datasets) puts only dataset-pattern matches under `factories`: names the
// catch-all gives are `defaults`, like in-memory ones; resolve-patterns resolves every dataset of the
// pipelines, those no entry or pattern gives through the default runtime pattern (a MemoryDataset).
Deno.test("catalog list puts catch-all names under defaults; catalog resolve shows in-memory datasets", async () => {
  const catchAll = await demoProject({
    "conf/base/catalog_extra.yml": `"{name}_test":
  type: pickle
  filepath: data/05_model_input/{name}_test.pkl
"{anything}":
  type: json
  filepath: data/09_any/{anything}.json
`,
  });
  const plain = await demoProject({});
  try {
    const list = await kmlf(["catalog", "list", "-p", "training"], { cwd: catchAll });
    assert.equal(list.code, 0, list.stderr);
    assert.match(
      list.stdout,
      /\n {2}defaults:\n {4}JSONDataset:\n {4}- X_train\n {4}- y_train\n {2}factories:\n {4}PickleDataset:\n {4}- X_test\n {4}- y_test\n/,
    );
    const resolve = await kmlf(["catalog", "resolve", "-p", "inference"], { cwd: plain });
    assert.equal(resolve.code, 0, resolve.stderr);
    assert.match(resolve.stdout, /\ninstance_features:\n {2}type: MemoryDataset\n/);
    const all = await kmlf(["catalog", "resolve"], { cwd: plain });
    for (const name of ["X_train", "X_test", "y_train", "y_test", "instance_features"]) {
      assert.match(all.stdout, new RegExp(`(^|\\n)${name}:\\n {2}type: MemoryDataset\\n`), name);
    }
  } finally {
    await Deno.remove(catchAll, { recursive: true });
    await Deno.remove(plain, { recursive: true });
  }
});
