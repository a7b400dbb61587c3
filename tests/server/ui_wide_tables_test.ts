/// <reference lib="dom" />
/**
 * Wide data tables stay readable: a 60-column CSV artifact and a model's 60-column input example keep
 * each column as wide as its words (they were squeezed to one letter a line) and scroll sideways inside
 * their box, not the whole page.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { localPathOfUri, SqliteStore } from "../../lib/tracking/mod.ts";
import { launchChromium } from "./ui_browser_harness.ts";
import { serveFixture } from "./ui_fixture.ts";

const COLUMNS = Array.from({ length: 60 }, (_, c) => `feature_${String(c).padStart(2, "0")}`);
const ROWS = Array.from({ length: 3 }, (_, r) => COLUMNS.map((_, c) => `value_${r}_${c}`));

Deno.test({
  name: "a 60-column CSV preview and input example keep readable columns and scroll in their box",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const browser = await launchChromium();
    const dir = await Deno.makeTempDir({ prefix: "kmlf-ui-wide-" });
    const store = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: join(dir, "mlartifacts") });
    const experimentId = await store.createExperiment("wide");
    const { runId, artifactUri } =
      (await store.createRun({ experimentId, runName: "wide", startTime: 1 })).info;
    const root = localPathOfUri(artifactUri)!;
    await Deno.mkdir(join(root, "model"), { recursive: true });
    await Deno.writeTextFile(
      join(root, "features.csv"),
      [COLUMNS, ...ROWS].map((r) => r.join(",")).join("\n"),
    );
    await Deno.writeTextFile(join(root, "model", "MLmodel"), "artifact_path: model\nflavors: {}\n");
    await Deno.writeTextFile(
      join(root, "model", "input_example.json"),
      JSON.stringify({ columns: COLUMNS, data: ROWS }),
    );
    const { url, server } = serveFixture(store);
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      /** Whether every cell of `table` shows its text on one line, and the box around it scrolls. */
      const layout = (testid: string) =>
        page.getByTestId(testid).evaluate((table) => {
          const heights = [...table.querySelectorAll("tr")].map((tr) => tr.getBoundingClientRect().height);
          let box = table.parentElement!;
          while (box.scrollWidth <= box.clientWidth && box !== document.body) box = box.parentElement!;
          return {
            // One line of text and the cell's padding: well under two lines.
            oneLine: Math.max(...heights) < 40,
            boxScrolls: box !== document.body && getComputedStyle(box).overflowX !== "visible",
            pageWider: document.documentElement.scrollWidth > innerWidth,
          };
        });
      const base = `${url}/#/experiments/${experimentId}/runs/${runId}/artifacts`;

      await page.goto(`${base}/features.csv`);
      await page.getByTestId("preview-table").waitFor();
      assert.deepEqual(await layout("preview-table"), { oneLine: true, boxScrolls: true, pageWider: false });

      await page.goto(`${base}/model`);
      await page.getByTestId("model-input-example").waitFor();
      assert.deepEqual(await layout("model-input-example"), {
        oneLine: true,
        boxScrolls: true,
        pageWider: false,
      });
    } finally {
      await browser.close();
      await server.shutdown();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
