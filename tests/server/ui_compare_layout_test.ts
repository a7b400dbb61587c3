/// <reference lib="dom" />
/**
 * The compare page's params, metrics and tags read as one table: with 12 runs holding different keys and
 * long values, every run's column starts and ends at the same x in every section (they were separate
 * tables, each with its own column widths), a long value is cut to one line with the whole value in its
 * tooltip and a click showing it all, and the table scrolls sideways in its box, not the whole page.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SqliteStore } from "../../lib/tracking/mod.ts";
import { launchChromium } from "./ui_browser_harness.ts";
import { serveFixture } from "./ui_fixture.ts";

const LONG = Array.from({ length: 60 }, (_, i) => `conv${i}x${i * 16}`).join(" -> ");
const LONG_KEY = "preprocessing.feature_engineering.categorical_encoding.high_cardinality_threshold";

async function buildStore() {
  const dir = await Deno.makeTempDir({ prefix: "kmlf-ui-compare-" });
  const store = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: join(dir, "mlartifacts") });
  const experimentId = await store.createExperiment("compare layout");
  const runIds: string[] = [];
  for (let i = 0; i < 12; i++) {
    const { runId } = (await store.createRun({
      experimentId,
      runName: i === 3 ? "a_rather_long_run_name_for_the_third_candidate_model" : `run-${i}`,
      startTime: 1_700_000_000_000 + i,
    })).info;
    await store.logBatch(runId, {
      params: [
        { key: "lr", value: String(0.1 / (i + 1)) },
        // Keys only some runs have, and a long value in one run.
        ...(i % 3 === 0 ? [{ key: LONG_KEY, value: "25" }] : []),
        ...(i === 5 ? [{ key: "architecture", value: LONG }] : []),
      ],
      metrics: [
        { key: "accuracy", value: 0.5 + i / 100, timestamp: 1, step: 0 },
        ...(i % 2 ? [{ key: "val/loss_with_a_long_name", value: 1 / (i + 1), timestamp: 1, step: 0 }] : []),
      ],
      tags: [{ key: "team", value: i === 7 ? `notes: ${"x".repeat(300)}` : "vision" }],
    });
    runIds.push(runId);
  }
  return { dir, store, runIds };
}

Deno.test({
  name: "the compare page's sections line up like one table with 12 runs, odd keys and long values",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const browser = await launchChromium();
    const { dir, store, runIds } = await buildStore();
    const { url, server } = serveFixture(store);
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${url}/#/compare-runs?runs=${encodeURIComponent(JSON.stringify(runIds))}`);
      await page.locator("[data-testid=param-row]").first().waitFor();

      // The left and right edge of each column in the first row of every section.
      const edges = (selector: string) =>
        page.locator(selector).first().evaluate((row) => {
          // From the box's left end (a click may have scrolled it; the key column sticks).
          row.closest(".table-scroll")!.scrollLeft = 0;
          return [...row.children].map((c) => {
            const b = c.getBoundingClientRect();
            return `${Math.round(b.left)}-${Math.round(b.right)}`;
          });
        });
      const head = await edges("[data-testid=compare-head]");
      assert.equal(head.length, 13, "a key column and 12 runs");
      for (const row of ["param-row", "metric-row", "tag-row", "compare-info-row"]) {
        assert.deepEqual(await edges(`[data-testid=${row}]`), head, row);
      }
      // Readable columns: none squeezed below 120px.
      const widths = head.map((e) => Number(e.split("-")[1]) - Number(e.split("-")[0]));
      assert.ok(Math.min(...widths) >= 120, widths.join(","));

      // The long value: one line, the whole value in the tooltip; a click shows it all, a second hides it.
      const cell = page.locator("[data-testid=param-row][data-key=architecture] td").nth(5);
      const clip = cell.getByTestId("compare-value");
      assert.equal(await clip.getAttribute("title"), LONG);
      const height = () => cell.evaluate((el) => el.getBoundingClientRect().height);
      assert.ok((await height()) < 40, `one line: ${await height()}`);
      await clip.click();
      assert.ok((await height()) > 80, `expanded: ${await height()}`);
      assert.equal(await clip.textContent(), LONG);
      await clip.click();
      assert.ok((await height()) < 40);
      // …and from the keyboard.
      await clip.focus();
      await page.keyboard.press("Enter");
      assert.equal(await clip.getAttribute("aria-expanded"), "true");
      assert.ok((await height()) > 80);
      await page.keyboard.press("Enter");
      assert.ok((await height()) < 40);
      // The long key wraps inside its column, the row of a key a run lacks stays one line per cell.
      const keyCell = page.locator(`[data-testid=param-row][data-key='${LONG_KEY}'] th`);
      assert.equal(await keyCell.locator("wbr").count() > 0, true);

      // Sideways scrolling happens inside the table's box, never the page.
      const layout = await page.getByTestId("compare-table").evaluate((table) => {
        const box = table.parentElement!;
        return {
          boxScrolls: box.scrollWidth > box.clientWidth && getComputedStyle(box).overflowX === "auto",
          pageWider: document.documentElement.scrollWidth > innerWidth,
        };
      });
      assert.deepEqual(layout, { boxScrolls: true, pageWider: false });

      // Show differences only keeps the columns lined up.
      await page.getByTestId("diff-only").check();
      await page.locator("[data-testid=tag-row][data-key=team]").waitFor();
      assert.deepEqual(await edges("[data-testid=param-row]"), head);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.shutdown();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
