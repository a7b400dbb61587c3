/// <reference lib="dom" />
/**
 * Markdown wherever MLflow renders it — a run's, an experiment's, a registered model's and a model
 * version's description, and a .md artifact (shown as its source before) — with the subset MLflow's
 * converter enables (GitHub tables, task lists, ~~struck~~, bare links, snake_case names left alone), and
 * safely: hostile markdown's HTML shows as text, javascript:/data: links are no links, nothing runs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
// deno-lint-ignore no-import-prefix -- test-only dependency, kept out of kmlf's import map and binary
import type { Locator, Page } from "npm:playwright-core@1.65.1";
import { localPathOfUri, SqliteStore } from "../../lib/tracking/mod.ts";
import { launchChromium } from "./ui_browser_harness.ts";
import { serveFixture } from "./ui_fixture.ts";

const PWN = "document.body.dataset.pwned='1'";
const HOSTILE = [
  `# Report <script>${PWN}</script>`,
  "",
  "Keys like learning_rate_decay and n_estimators stay as written; _this_ is em, ~~old~~ struck.",
  "",
  "| metric | value |",
  "|:--|--:|",
  "| accuracy | **0.93** |",
  "| f1 \\| macro | 0.9 |",
  "",
  "- [x] trained",
  "- [ ] deployed",
  "",
  `See https://mlflow.org/docs. and [bad](javascript:${PWN}) and [worse](JaVaScRiPt:alert(1)) and`,
  "[data](data:text/html,x) and [ok](https://kedro.org)",
  `<img src=x onerror="${PWN}"> <a href="javascript:${PWN}">raw</a>`,
  "",
  "![chart](https://example.com/c.png) ![x](javascript:alert(1))",
].join("\n");

/** What a rendered copy of HOSTILE shows. */
async function rendered(page: Page, box: Locator, where: string) {
  await box.waitFor();
  const got = await box.evaluate((el) => ({
    heading: el.querySelector("h3")?.textContent,
    head: [...el.querySelectorAll("th")].map((c) => c.textContent),
    cells: [...el.querySelectorAll("td")].map((c) => c.textContent),
    rightAligned: (el.querySelectorAll("td")[1] as HTMLElement | undefined)?.style.textAlign,
    tasks: [...el.querySelectorAll("input[type=checkbox]")].map((c) =>
      `${(c as HTMLInputElement).checked}:${(c as HTMLInputElement).disabled}`
    ),
    em: [...el.querySelectorAll("em")].map((c) => c.textContent),
    del: [...el.querySelectorAll("del")].map((c) => c.textContent),
    links: [...el.querySelectorAll("a")].map((a) => a.getAttribute("href")),
    elements: el.querySelectorAll("img, script, iframe").length,
    // The three lines of the "See …" paragraph keep their breaks.
    breaks: el.querySelectorAll("p br").length,
    snake: el.textContent!.includes("learning_rate_decay and n_estimators"),
    rawHtml: el.textContent!.includes(`<a href="javascript:`),
  }));
  assert.deepEqual(got, {
    heading: `Report <script>${PWN}</script>`,
    head: ["metric", "value"],
    cells: ["accuracy", "0.93", "f1 | macro", "0.9"],
    rightAligned: "right",
    tasks: ["true:true", "false:true"],
    em: ["this"],
    del: ["old"],
    links: ["https://mlflow.org/docs", "https://kedro.org/", "https://example.com/c.png"],
    elements: 0,
    breaks: 2,
    snake: true,
    rawHtml: true,
  }, where);
  assert.equal(await page.locator("a[href^='javascript' i], a[href^='data' i]").count(), 0, where);
  assert.equal(await page.evaluate(() => document.body.dataset.pwned ?? "0"), "0", where);
}

Deno.test({
  name: "descriptions and .md artifacts render markdown safely on every page",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const browser = await launchChromium();
    const dir = await Deno.makeTempDir({ prefix: "kmlf-ui-markdown-" });
    const store = SqliteStore.open(join(dir, "mlflow.db"), { artifactRoot: join(dir, "mlartifacts") });
    const experimentId = await store.createExperiment("markdown");
    await store.setExperimentTag(experimentId, "mlflow.note.content", HOSTILE);
    const { runId, artifactUri } =
      (await store.createRun({ experimentId, runName: "md", startTime: 1 })).info;
    await store.setTag(runId, "mlflow.note.content", HOSTILE);
    await Deno.mkdir(localPathOfUri(artifactUri)!, { recursive: true });
    await Deno.writeTextFile(join(localPathOfUri(artifactUri)!, "report.md"), HOSTILE);
    await store.registry.createRegisteredModel("md-model", { description: HOSTILE });
    await store.registry.createModelVersion("md-model", `${artifactUri}/model`, { runId });
    await store.registry.updateModelVersion("md-model", "1", HOSTILE);
    const { url, server } = serveFixture(store);
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      const runPage = `${url}/#/experiments/${experimentId}/runs/${runId}`;

      await page.goto(runPage);
      await rendered(page, page.getByTestId("run-description-text"), "run description");

      await page.goto(`${url}/#/experiments/${experimentId}`);
      await rendered(page, page.getByTestId("experiment-description-text"), "experiment description");

      await page.goto(`${url}/#/models/md-model`);
      await rendered(page, page.getByTestId("description-text"), "registered model description");

      await page.goto(`${url}/#/models/md-model/versions/1`);
      await rendered(page, page.getByTestId("description-text"), "model version description");

      // The artifact: rendered, its highlighted source one click away, and back.
      await page.goto(`${runPage}/artifacts/report.md`);
      await rendered(page, page.getByTestId("preview-markdown"), "report.md");
      await page.getByTestId("markdown-source").click();
      assert.equal(await page.getByTestId("preview-text").textContent(), HOSTILE);
      await page.getByTestId("markdown-source").click();
      await rendered(page, page.getByTestId("preview-markdown"), "report.md again");
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.shutdown();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
