/** Plotly figures and images: kedro-datasets' plotly.PlotlyDataset / JSONDataset and MatplotlibDataset. */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  Catalog,
  figureFromRows,
  generateVersion,
  ImageDataset,
  PlotlyDataset,
  PlotlyJsonDataset,
} from "../../lib/catalog/mod.ts";
import type { DatasetError, KmlfAggregateError } from "../../lib/errors.ts";
import { catalogConfig } from "./catalog_helpers.ts";
import { inTempDir } from "./dataset_contract.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const SVG = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>';

Deno.test("figureFromRows builds what plotly.express would: one trace per color, axis titles, magic underscores", () => {
  const rows = [{ kind: "a", n: 1, g: "x" }, { kind: "b", n: 2, g: "y" }, { kind: "c", n: 3, g: "x" }];
  const fig = figureFromRows(rows, {
    type: "line",
    fig: { x: "kind", y: "n", color: "g", labels: { n: "count" } },
    layout: { xaxis_title_font_size: 9, legend_title_text: "group", plot_bgcolor: "white" },
    theme: "plotly_white",
  });
  assert.deepEqual(fig.data.map((t) => [t.name, t.type, t.mode, t.x]), [
    ["x", "scatter", "lines", ["a", "c"]],
    ["y", "scatter", "lines", ["b"]],
  ]);
  assert.deepEqual(fig.layout?.xaxis, { title: { text: "kind", font: { size: 9 } } });
  assert.deepEqual(fig.layout?.yaxis, { title: { text: "count" } });
  assert.deepEqual(fig.layout?.legend, { title: { text: "group" } });
  assert.equal(fig.layout?.plot_bgcolor, "white");
  const pie = figureFromRows(rows, { type: "pie", fig: { names: "kind", values: "n" } });
  assert.deepEqual(pie.data[0], { type: "pie", labels: ["a", "b", "c"], values: [1, 2, 3] });
  assert.throws(
    () => figureFromRows(rows, { type: "bar", fig: { x: "knd" } }),
    (e: DatasetError) => e.code === "dataset/plotly-column" && /kind, n, g/.test(e.hint!),
  );
});

Deno.test("plotly datasets save figures as JSON and load them back; other data is refused clearly", async () => {
  await inTempDir(async (dir) => {
    const exp = new PlotlyDataset({
      filepath: join(dir, "exp.json"),
      plotlyArgs: { type: "bar", fig: { x: "k", y: "n", orientation: "h" }, layout: { title: "T" } },
    });
    await exp.save([{ k: "a", n: 1 }]);
    const fig = await exp.load();
    assert.deepEqual(fig.data, [{ type: "bar", x: ["a"], y: [1], orientation: "h" }]);
    assert.deepEqual(fig.layout?.title, { text: "T" });
    await assert.rejects(() => exp.save({ data: [] }), (e: DatasetError) => e.code === "dataset/not-rows");
    const go = new PlotlyJsonDataset({ filepath: join(dir, "go.json"), saveArgs: { pretty: true } });
    await go.save({ data: [{ type: "scatter", uid: "u1", x: [1] }] });
    assert.deepEqual(await go.load(), { data: [{ type: "scatter", x: [1] }] });
    assert.match(await Deno.readTextFile(join(dir, "go.json")), /\n {2}"data"/);
    await assert.rejects(
      () => go.save([1, 2] as never),
      (e: DatasetError) => e.code === "dataset/not-a-figure",
    );
  });
});

Deno.test("plotly_args are checked with the catalog: express type and fig arguments", async () => {
  const yaml = `p:
  type: plotly.PlotlyDataset
  filepath: p.json
  plotly_args: {type: barr, fig: {x: a, colour: b}}
`;
  await assert.rejects(
    () => Catalog.fromConfig(catalogConfig(yaml), { projectRoot: "/p" }),
    (e: KmlfAggregateError) => {
      const paths = e.errors.map((x) => x.source?.keyPath).sort();
      assert.deepEqual(paths, ["p.plotly_args.fig.colour", "p.plotly_args.type"]);
      assert.match(e.errors.find((x) => /colour/.test(x.message))!.hint!, /did you mean "color"/);
      return true;
    },
  );
});

Deno.test("image dataset: saves the SVG or PNG a node rendered; a format that does not match the path is an error", async () => {
  await inTempDir(async (dir) => {
    const svg = new ImageDataset({ filepath: join(dir, "plot.svg") });
    await svg.save({ outerHTML: SVG }); // a DOM element from linkedom/jsdom works too
    assert.equal(await svg.load(), SVG);
    const png = new ImageDataset({ filepath: join(dir, "plot.png") });
    await png.save(PNG.buffer);
    assert.deepEqual(await png.load(), PNG);
    await assert.rejects(
      () => png.save(SVG),
      (e: DatasetError) => e.code === "dataset/image-format" && /\.svg filepath/.test(e.hint!),
    );
    await assert.rejects(() => png.save("hello"), (e: DatasetError) => e.code === "dataset/not-an-image");
  });
});

Deno.test("image dataset: a list or a mapping of images saves a folder, versioned too", async () => {
  await inTempDir(async (dir) => {
    const plots = new ImageDataset({ filepath: join(dir, "plots"), overwrite: true });
    await plots.save([SVG, PNG]);
    assert.deepEqual([...Deno.readDirSync(join(dir, "plots"))].map((e) => e.name).sort(), ["0.svg", "1.png"]);
    await plots.save({ "a.svg": SVG });
    assert.deepEqual([...Deno.readDirSync(join(dir, "plots"))].map((e) => e.name), ["a.svg"], "overwrite");
    await assert.rejects(
      () => plots.save({ "../x.svg": SVG }),
      (e: DatasetError) => e.code === "dataset/bad-image-name",
    );
    const version = generateVersion(new Date(0));
    const versioned = new ImageDataset({ filepath: join(dir, "v"), version: { save: version } });
    assert.equal(await versioned.exists(), false);
    await versioned.save({ "b.png": PNG });
    assert.equal(await versioned.exists(), true);
    assert.ok((await Deno.stat(join(dir, "v", version, "v", "b.png"))).isFile);
  });
});
