/// <reference lib="dom" />
/**
 * Steps of tests/server/ui_features_test.ts for editing (issue 16 item 2) — run names, markdown
 * descriptions, tags, experiment names and descriptions, through MLflow's REST calls — and for the
 * injection checks of the new editors and charts: HTML in names, descriptions, tags, datasets and group
 * labels shows as text, a javascript: link is not a link, and exported SVG carries it escaped.
 */
import assert from "node:assert/strict";
import type { UiSession } from "./ui_browser_steps.ts";
import { pageShot } from "./ui_browser_harness.ts";
import { XSS_NAME } from "./ui_fixture.ts";
import { download } from "./ui_steps_charts.ts";

/** Step: rename a run, edit its description and tags; rename from the table; experiment name and note. */
export async function editing(ui: UiSession) {
  const { page, f, expHash, runHash, rowCount } = ui;
  const runName = async (id: string) => (await f.store.getRun(id)).info.runName;
  const runTags = async (id: string) => (await f.store.getRun(id)).data.tags;

  await ui.open(`${runHash(f.curveRunId)}`);
  await page.getByTestId("run-overview").waitFor();
  // Rename in place; an empty name is refused before the server.
  await page.getByTestId("run-name-edit").click();
  await page.getByTestId("run-name-input").fill("   ");
  await page.getByTestId("run-name-save").click();
  assert.equal(await page.getByTestId("run-name-error").textContent(), "The name cannot be empty");
  await page.getByTestId("run-name-input").fill("curve v2");
  await page.getByTestId("run-name-input").press("Enter");
  await page.waitForFunction(() =>
    document.querySelector("[data-testid=run-name]")?.textContent === "curve v2"
  );
  assert.equal(await runName(f.curveRunId), "curve v2");

  // The description: markdown with a preview, saved as the tag mlflow.note.content.
  await page.getByTestId("run-description-edit").click();
  const note =
    "## Findings\n\nLoss **halves** every 140 steps; see [MLflow](https://mlflow.org).\n\n- one\n- two";
  await page.getByTestId("run-description-input").fill(note);
  await page.getByTestId("run-description-preview-tab").click();
  assert.equal(
    await page.locator("[data-testid=run-description-preview-text] strong").textContent(),
    "halves",
  );
  await page.getByTestId("run-description-save").click();
  await page.getByTestId("run-description-text").waitFor();
  assert.equal((await runTags(f.curveRunId))["mlflow.note.content"], note);
  assert.equal(await page.locator("[data-testid=run-description-text] h4").textContent(), "Findings");
  assert.equal(
    await page.locator("[data-testid=run-description-text] a").getAttribute("href"),
    "https://mlflow.org/",
  );
  assert.equal(await page.locator("[data-testid=run-description-text] li").count(), 2);
  // Longer than the 8000 characters the server keeps (it would cut the end silently): refused, kept open.
  await page.getByTestId("run-description-edit").click();
  await page.getByTestId("run-description-input").fill("é".repeat(8001));
  await page.getByTestId("run-description-save").click();
  assert.match((await page.getByTestId("run-description-error").textContent())!, /at most 8000 .* has 8001/);
  assert.equal((await page.getByTestId("run-description-input").inputValue()).length, 8001);
  assert.equal((await runTags(f.curveRunId))["mlflow.note.content"], note);
  await page.getByTestId("run-description-cancel").click();

  // Tags: add, edit, delete; MLflow's own keys are refused.
  const tags = page.getByTestId("tags-table");
  await page.getByTestId("tag-key").fill("stage");
  await page.getByTestId("tag-value").fill("candidate");
  await page.getByTestId("tag-add").click();
  await tags.locator("[data-testid=tag-row][data-key=stage]").waitFor();
  assert.equal((await runTags(f.curveRunId)).stage, "candidate");
  await tags.locator("[data-testid=tag-row][data-key=stage] [data-testid=tag-edit]").click();
  await page.getByTestId("tag-edit-value").fill("production");
  await page.getByTestId("tag-save").click();
  await page.waitForFunction(() =>
    document.querySelector("[data-testid=tag-row][data-key=stage] [data-testid=tag-row-value]")
      ?.textContent ===
      "production"
  );
  assert.equal((await runTags(f.curveRunId)).stage, "production");
  await page.getByTestId("tag-key").fill("long");
  await page.getByTestId("tag-value").fill("x".repeat(8001));
  await page.getByTestId("tag-add").click();
  assert.match((await page.getByTestId("tag-error").textContent())!, /tag "long" holds at most 8000/);
  assert.equal((await runTags(f.curveRunId)).long, undefined);
  await page.getByTestId("tag-value").fill("");
  await page.getByTestId("tag-key").fill("mlflow.user");
  await page.getByTestId("tag-add").click();
  assert.match((await page.getByTestId("tag-error").textContent())!, /mlflow\. are MLflow's own/);
  await tags.locator("[data-testid=tag-row][data-key=stage] [data-testid=tag-delete]").click();
  await tags.locator("[data-testid=tag-row][data-key=stage]").waitFor({ state: "detached" });
  assert.equal((await runTags(f.curveRunId)).stage, undefined);
  await pageShot(page, "07-run-overview");
  // A refused delete says why on the page and stays there (it used to do nothing, with a page error).
  await page.route("**/runs/delete", (route) =>
    route.fulfill({
      status: 403,
      contentType: "application/json",
      body: JSON.stringify({ error_code: "PERMISSION_DENIED", message: "Permission denied for run" }),
    }));
  await page.getByTestId("delete-run").click();
  await page.getByTestId("run-action-error").filter({ hasText: "Permission denied for run" }).waitFor();
  await page.unroute("**/runs/delete");
  assert.equal((await f.store.getRun(f.curveRunId)).info.lifecycleStage, "active");
  assert.ok(page.url().endsWith(runHash(f.curveRunId)));

  // Rename from the runs table's selection.
  await ui.open(`${expHash}`);
  await rowCount(4);
  assert.ok(await page.getByTestId("rename-button").isDisabled());
  await page.locator(`[data-run-id='${f.curveRunId}'] [data-testid=run-select]`).check();
  await page.getByTestId("rename-button").click();
  assert.equal(await page.getByTestId("rename-run-input").inputValue(), "curve v2");
  await page.getByTestId("rename-run-input").fill("curve");
  await page.getByTestId("rename-run-ok").click();
  await page.waitForFunction(
    (id) => document.querySelector(`[data-run-id='${id}'] [data-testid=run-link]`)?.textContent === "curve",
    f.curveRunId,
  );
  assert.equal(await runName(f.curveRunId), "curve");

  // The experiment: rename (the server's refusal shown), and its markdown description.
  await page.getByTestId("experiment-name-edit").click();
  await page.getByTestId("experiment-name-input").fill("namespaces");
  await page.getByTestId("experiment-name-save").click();
  assert.match((await page.getByTestId("experiment-name-error").textContent())!, /already exists/);
  await page.getByTestId("experiment-name-input").fill("iris flowers");
  await page.getByTestId("experiment-name-save").click();
  await page.waitForFunction(() =>
    document.querySelector("[data-testid=experiment-name]")?.textContent === "iris flowers"
  );
  assert.equal((await f.store.getExperiment(f.experimentId)).name, "iris flowers");
  // The experiment list beside the runs shows the new name at once, not the old one until a reload.
  assert.equal(
    await page.locator(`[data-testid=sidebar-experiment][data-experiment-id='${f.experimentId}'] a`)
      .textContent(),
    "iris flowers",
  );
  await page.getByTestId("experiment-description-box").locator("summary").click();
  await page.getByTestId("experiment-description-edit").click();
  await page.getByTestId("experiment-description-input").fill("Iris models, *trained nightly*.");
  await page.getByTestId("experiment-description-save").click();
  await page.locator("[data-testid=experiment-description-text] em").waitFor();
  assert.equal(
    (await f.store.getExperiment(f.experimentId)).tags["mlflow.note.content"],
    "Iris models, *trained nightly*.",
  );
  await page.reload();
  await page.locator("[data-testid=experiment-description-text] em").waitFor();
  await page.getByTestId("experiment-name-edit").click();
  await page.getByTestId("experiment-name-input").fill("iris");
  await page.getByTestId("experiment-name-input").press("Enter");
  await page.waitForFunction(() =>
    document.querySelector("[data-testid=experiment-name]")?.textContent === "iris"
  );
}

const PWNED = () =>
  (document.body.dataset.pwned ?? "") + document.querySelectorAll("img[src=x], script:not([src])").length;

/** Step: hostile names, descriptions, tags, datasets and group labels in the new editors and charts. */
export async function injection(ui: UiSession) {
  const { page, base, f, expHash, runHash, rowCount } = ui;
  const clean = async (where: string) => assert.equal(await page.evaluate(PWNED), "0", where);
  // The run page: the markdown description keeps HTML as text and drops the javascript: link.
  await ui.open(`${runHash(f.xssRunId)}`);
  const text = page.getByTestId("run-description-text");
  await text.waitFor();
  assert.match((await text.locator("h3").textContent())!, /<script>/);
  assert.equal(await text.locator("a").count(), 1, "only the https link is a link");
  assert.ok((await text.textContent())!.includes("[a bad link](javascript:"));
  assert.equal(await page.locator("a[href^='javascript']").count(), 0);
  await page.locator("[data-testid=tag-row][data-key=team] [data-testid=tag-edit]").click();
  assert.equal(await page.getByTestId("tag-edit-value").inputValue(), XSS_NAME);
  await clean("run page");
  // The chart view: legends, bars, tooltips and exports with the hostile run name.
  await ui.open(`${expHash}?compareRunsMode=CHART`);
  const acc = page.locator("[data-testid=chart-card][data-card='auto:accuracy']");
  await acc.locator("[data-testid=bar]").first().waitFor();
  assert.ok((await acc.getByTestId("bar").evaluateAll((bs) => bs.map((b) => (b as SVGElement).dataset.label)))
    .includes(XSS_NAME));
  const svg = await download(page, () => acc.getByTestId("export-svg").click());
  assert.ok(svg.text.includes("&lt;img src=x onerror="), "escaped in the SVG file");
  assert.ok(!svg.text.includes("<img"), "no element from the name");
  await clean("chart view");
  // Grouped by the hostile tag: the group label is text.
  await page.getByTestId("view-table").click();
  await page.getByTestId("group-by").selectOption("tag:team");
  await page.getByTestId("group-row").first().waitFor();
  assert.ok((await ui.texts("[data-testid=group-label]")).includes(`tag team = ${XSS_NAME}`));
  await page.getByTestId("group-by").selectOption("");
  await rowCount(4);
  // The datasets filter lists the hostile dataset name as text.
  await page.getByTestId("datasets-filter-toggle").click();
  assert.ok((await ui.texts("[data-testid=datasets-filter] label")).some((t) => t.startsWith(XSS_NAME)));
  await page.getByTestId("datasets-filter-toggle").click();
  // Compare with the hostile run: names, charts, parallel coordinates.
  await page.goto(
    `${base}/#/compare-runs?runs=${encodeURIComponent(JSON.stringify([f.xssRunId, f.curveRunId]))}`,
  );
  await page.getByTestId("compare-chart").waitFor();
  assert.ok((await ui.texts("[data-testid=compare-run-link]")).includes(XSS_NAME));
  await clean("compare page");
  assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
}

/** Step: a multi-line tag value keeps its line breaks when edited and saved (a one-line input dropped them). */
export async function multiLineTag(ui: UiSession) {
  const { page, f, runHash } = ui;
  const value = "trained on 2024-01 data\nlr warm-up: 3 epochs\r\nsee ticket #12";
  await f.store.setTag(f.curveRunId, "notes", value);
  const stored = async () => (await f.store.getRun(f.curveRunId)).data.tags.notes;
  await ui.open(runHash(f.curveRunId));
  const row = page.locator("[data-testid=tags-table] [data-testid=tag-row][data-key=notes]");
  // Edit, then Save unchanged: the value stays as it was, line breaks included.
  await row.getByTestId("tag-edit").click();
  const editor = page.getByTestId("tag-edit-value");
  assert.equal(await editor.evaluate((e) => e.tagName), "TEXTAREA");
  await page.getByTestId("tag-save").click();
  await row.getByTestId("tag-edit").waitFor();
  assert.equal(await stored(), value.replace("\r\n", "\n"));
  // Enter starts a new line; Ctrl+Enter saves; Escape leaves without saving.
  await row.getByTestId("tag-edit").click();
  await editor.press("End");
  await editor.press("Enter");
  await editor.type("owner: data team");
  await editor.press("Control+Enter");
  await row.getByTestId("tag-edit").waitFor();
  assert.equal(
    await stored(),
    "trained on 2024-01 data\nlr warm-up: 3 epochs\nsee ticket #12\nowner: data team",
  );
  await row.getByTestId("tag-edit").click();
  await editor.fill("discarded");
  await editor.press("Escape");
  await row.getByTestId("tag-edit").waitFor();
  assert.equal((await stored())?.endsWith("owner: data team"), true);
  await f.store.deleteTag(f.curveRunId, "notes");
}
