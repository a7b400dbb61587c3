/** Kedro's lazy catalog: with `used`, only the entries a run needs must be valid; the rest are warnings. */
import assert from "node:assert/strict";
import { Catalog } from "../../lib/catalog/mod.ts";
import { DatasetError, KmlfAggregateError } from "../../lib/errors.ts";
import { catalogConfig } from "./catalog_helpers.ts";

const YAML = `
companies: {type: csv, filepath: data/companies.csv}
shuttles:
  type: pandas.NoSuchDataset
  filepath: data/shuttles.xlsx
report:
  type: json
  filepath: data/report.json
  save_args: {indnt: 2, sort: true}
"{name}_plot":
  type: plotly.Nope
  filepath: data/{name}.json
`;

Deno.test("broken entries no used name needs become one warning each; the catalog still builds", async () => {
  const catalog = await Catalog.fromConfig(catalogConfig(YAML), {
    projectRoot: "/p",
    used: ["companies", "x"],
  });
  assert.deepEqual(catalog.warnings.map((w) => w.name), ["report", "shuttles", "{name}_plot"]);
  const [report, shuttles, plot] = catalog.warnings;
  assert.equal(report.problems.length, 2);
  assert.equal(shuttles.problems[0].code, "catalog/unknown-type");
  assert.match(shuttles.problems[0].message, /Unknown dataset type "pandas.NoSuchDataset" for "shuttles"/);
  assert.equal(shuttles.problems[0].source?.line, 4);
  assert.equal(plot.problems[0].code, "catalog/unknown-type");
  assert.equal(catalog.typeName("companies"), "CSVDataset");
  // Listed, typed from its config, but never usable: using it throws the same error.
  assert.ok(catalog.names().includes("shuttles"));
  assert.equal(catalog.typeName("shuttles"), "pandas.NoSuchDataset");
  await assert.rejects(() => catalog.get("shuttles"), (e: unknown) => {
    assert.ok(e instanceof DatasetError);
    assert.equal(e.code, "catalog/unknown-type");
    return true;
  });
  // The broken pattern was left out: a name it would match is an ordinary in-memory dataset.
  assert.equal(catalog.typeName("capacity_plot"), "MemoryDataset");
});

Deno.test("a broken entry a used name needs fails the build with its precise error", async () => {
  const config = catalogConfig(YAML);
  await assert.rejects(
    () => Catalog.fromConfig(config, { projectRoot: "/p", used: ["shuttles"] }),
    (e: unknown) =>
      e instanceof DatasetError && e.code === "catalog/unknown-type" && /shuttles/.test(e.message),
  );
  await assert.rejects(
    () => Catalog.fromConfig(config, { projectRoot: "/p", used: ["capacity_plot"] }),
    (e: unknown) => e instanceof DatasetError && /\{name\}_plot/.test(e.message),
  );
  // --load-versions names count as used.
  await assert.rejects(
    () =>
      Catalog.fromConfig(config, {
        projectRoot: "/p",
        used: [],
        loadVersions: { report: "2024-01-01T00.00.00.000Z" },
      }),
    (e: unknown) =>
      e instanceof KmlfAggregateError && e.errors.some((x) => /report.save_args.indnt/.test(x.message)),
  );
});

Deno.test("without `used` every entry must be valid, and all problems come together", async () => {
  await assert.rejects(
    () => Catalog.fromConfig(catalogConfig(YAML), { projectRoot: "/p" }),
    (e: unknown) => e instanceof KmlfAggregateError && e.errors.length === 4,
  );
});

Deno.test("a dataset added under a broken entry's name replaces it", async () => {
  const catalog = await Catalog.fromConfig(catalogConfig(YAML), { projectRoot: "/p", used: [] });
  const { MemoryDataset } = await import("../../lib/catalog/mod.ts");
  catalog.add("shuttles", new MemoryDataset({ data: [1] }), { replace: true });
  assert.deepEqual(await catalog.load("shuttles"), [1]);
});
