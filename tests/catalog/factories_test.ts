/** Dataset factory patterns, the catch-all, and transcoded names. */
import assert from "node:assert/strict";
import { Catalog, CsvDataset } from "../../lib/catalog/mod.ts";
import { DatasetError, KmlfAggregateError } from "../../lib/errors.ts";
import { catalogConfig } from "./catalog_helpers.ts";

Deno.test("factories: the most specific pattern wins, placeholders fill the config, explicit entries beat patterns", async () => {
  const c = await Catalog.fromConfig(
    catalogConfig(`
"{name}_csv": {type: csv, filepath: "data/{name}.csv"}
"{layer}.{name}_csv": {type: csv, filepath: "data/{layer}/{name}.csv", load_args: {columns: ["{name}"]}}
"cars_csv": {type: json, filepath: explicit.json}
"{default}": {type: json, filepath: "data/other/{default}.json"}
`),
    { projectRoot: "/p" },
  );
  assert.deepEqual(c.listPatterns(), ["{layer}.{name}_csv", "{name}_csv", "{default}"]);
  assert.deepEqual(c.resolveConfig("raw.boats_csv"), {
    type: "csv",
    filepath: "data/raw/boats.csv",
    load_args: { columns: ["boats"] },
  });
  assert.deepEqual(c.resolveConfig("boats_csv"), { type: "csv", filepath: "data/boats.csv" });
  assert.equal(c.typeName("cars_csv"), "JSONDataset");
  assert.equal(c.typeName("boats_csv"), "CSVDataset");
  const ds = await c.get("boats_csv");
  assert.ok(ds instanceof CsvDataset);
  assert.equal(ds.filepath, "/p/data/boats.csv");
});

Deno.test("pattern ranking: more literal characters, then more placeholders, then alphabetical", async () => {
  const c = await Catalog.fromConfig(
    catalogConfig(`
"{a}_x": {type: memory}
"{a}-{b}x": {type: memory}
"b{a}_": {type: memory}
"a{a}_": {type: memory}
"pre_{a}_suffix": {type: memory}
`),
    { projectRoot: "/p" },
  );
  assert.deepEqual(c.listPatterns(), ["pre_{a}_suffix", "{a}-{b}x", "a{a}_", "b{a}_", "{a}_x"]);
});

Deno.test('pattern ranking counts a repeated placeholder twice, as Kedro\'s pattern.count("{") does', async () => {
  const c = await Catalog.fromConfig(
    catalogConfig(`
"{b}_{c}": {type: memory}
"{a}_{a}": {type: memory}
"{z}_{y}_{z}": {type: memory}
`),
    { projectRoot: "/p" },
  );
  // Specificity 2 beats 1; then "{a}_{a}" (two braces) ties "{b}_{c}" and wins alphabetically.
  assert.deepEqual(c.listPatterns(), ["{z}_{y}_{z}", "{a}_{a}", "{b}_{c}"]);
  assert.equal(c.resolveConfig("x_x") !== undefined, true);
});

Deno.test("pattern matching is whole-name, case-insensitive, with non-empty lazy placeholders", async () => {
  const c = await Catalog.fromConfig(
    catalogConfig(`"{ns}.{name}": {type: json, filepath: "{ns}/{name}.json"}\n"{x}_{x}": {type: memory}\n`),
    { projectRoot: "/p" },
  );
  assert.deepEqual(
    c.resolveConfig("a.b.c"),
    { type: "json", filepath: "a/b.c.json" },
    "the first placeholder is lazy",
  );
  assert.deepEqual(
    c.resolveConfig("RAW.Cars"),
    { type: "json", filepath: "RAW/Cars.json" },
    "case is kept in values",
  );
  assert.ok(!c.has(".cars") && !c.has("cars."), "placeholders match at least one character");
  assert.ok(!c.has("nodot"), "the whole name must match");
  assert.ok(c.has("ab_AB") && !c.has("ab_cd"), "a repeated placeholder must match the same text");
});

Deno.test("a pattern match is built on first use and cached; its argument errors point at the pattern", async () => {
  const c = await Catalog.fromConfig(
    catalogConfig(
      `"{name}_csv": {type: csv, filepath: "{name}.csv"}\n"{name}_bad": {type: csv, filepath: "{name}", load_args: {separator: ";"}}\n`,
    ),
    { projectRoot: "/p" },
  );
  const first = await c.get("cars_csv");
  assert.equal(await c.get("cars_csv"), first);
  assert.ok(!c.names().includes("cars_csv"), "names() lists declared entries only");
  assert.ok(!c.isEphemeral("cars_csv"));
  await assert.rejects(
    () => c.get("x_bad"),
    (e: DatasetError) =>
      e.code === "catalog/bad-argument" && e.source?.keyPath === "{name}_bad.load_args.separator" &&
      e.source.line === 2,
  );
});

Deno.test("factory errors are reported together: unknown placeholder, two catch-alls, unknown type, missing credentials", async () => {
  const yaml =
    `"{name}_x": {type: json, filepath: "{nam}.json"}\n"{a}": {type: json, filepath: a}\n"{b}": {type: json, filepath: b}\n` +
    `"{n}_t": {type: jsonn, filepath: t}\n"{n}_c": {type: json, filepath: c, credentials: nope}\n"{n}_ok": {type: json, filepath: o, credentials: "{n}_creds"}\n`;
  await assert.rejects(
    () => Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p" }),
    (e: KmlfAggregateError) => {
      assert.ok(e instanceof KmlfAggregateError);
      assert.deepEqual(e.errors.map((x) => x.code).sort(), [
        "catalog/bad-pattern",
        "catalog/multiple-catch-all",
        "catalog/unknown-credentials",
        "catalog/unknown-type",
      ]);
      const badPattern = e.errors.find((x) => x.code === "catalog/bad-pattern")!;
      assert.match(badPattern.message, /\{nam\}/);
      assert.equal(badPattern.source?.line, 1);
      return true;
    },
  );
});

Deno.test("the catch-all matches every name, so has() is true and its type is used", async () => {
  const c = await Catalog.fromConfig(
    catalogConfig(`"{anything}": {type: pickle, filepath: "data/{anything}.pkl"}\n`),
    { projectRoot: "/p" },
  );
  assert.ok(c.has("whatever") && c.has("x@y"));
  assert.equal(c.typeName("whatever"), "PickleDataset");
  assert.ok(!c.isEphemeral("whatever"));
  assert.deepEqual(c.listPatterns(), ["{anything}"]);
});

Deno.test("transcoded names are separate entries; more than one @ is refused", async () => {
  const c = await Catalog.fromConfig(
    catalogConfig(
      'm@json: {type: json, filepath: m.json}\nm@yaml: {type: yaml, filepath: m.json}\n"{n}@csv": {type: csv, filepath: "{n}.csv"}\n',
    ),
    { projectRoot: "/p" },
  );
  assert.equal(c.typeName("m@json"), "JSONDataset");
  assert.equal(c.typeName("m@yaml"), "YAMLDataset");
  assert.ok(!c.has("m"), "the base name is not an entry of its own");
  assert.equal(c.typeName("cars@csv"), "CSVDataset");
  await assert.rejects(
    () => Catalog.fromConfig(catalogConfig("a@b@c: {type: json, filepath: x}\n"), { projectRoot: "/p" }),
    (e: DatasetError) =>
      e instanceof DatasetError && e.code === "catalog/bad-transcoding" && e.source?.keyPath === "a@b@c",
  );
  await assert.rejects(
    () => c.get("x@a@b"),
    (e: DatasetError) => e instanceof DatasetError && e.code === "catalog/bad-transcoding",
  );
});
