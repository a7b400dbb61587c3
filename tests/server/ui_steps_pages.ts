/// <reference lib="dom" />
/**
 * Steps of tests/server/ui_features_test.ts for artifacts (issue 16 item 8), MLflow's other routes
 * (item 9), the compare page fixes (item 10) and the pipeline DAG's namespaces (issue 18 item 7).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { UiSession } from "./ui_browser_steps.ts";
import { pageShot } from "./ui_browser_harness.ts";

/** Step: highlighted code, YAML and JSON; PDF; a folder's image gallery; copy path. */
export async function artifacts(ui: UiSession) {
  const { page, f, runHash } = ui;
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await ui.open(`${runHash(f.curveRunId)}/artifacts/config/params.yaml`);
  const text = page.getByTestId("preview-text");
  await text.locator(".tok-key").first().waitFor();
  assert.equal(await text.getAttribute("data-language"), "yaml");
  assert.deepEqual(await text.locator(".tok-key").allTextContents(), ["model", "name", "layers", "seed"]);
  assert.deepEqual(await text.locator(".tok-comment").allTextContents(), ["# the model"]);
  assert.equal(await text.textContent(), "model:\n  name: mlp # the model\n  layers: [64, 32]\nseed: 42\n");
  await page.getByTestId("copy-path").click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "config/params.yaml");
  await page.getByTestId("copy-uri").click();
  assert.match(
    await page.evaluate(() => navigator.clipboard.readText()),
    /^file:\/\/.*\/artifacts\/config\/params\.yaml$/,
  );
  await pageShot(page, "08-artifact-code");

  await page.locator("[data-testid=artifact-node][data-path='config/model.json']").click();
  await page.waitForFunction(() =>
    document.querySelector("[data-testid=preview-text]")?.getAttribute("data-language") === "json"
  );
  assert.deepEqual(await text.locator(".tok-key").allTextContents(), ['"name"', '"layers"', '"ok"']);
  assert.ok(
    (await text.locator(".tok-string").allTextContents()).includes('"<b>mlp</b>"'),
    "HTML stays text",
  );
  assert.equal(await text.locator("b").count(), 0);
  await page.locator("[data-testid=artifact-node][data-path=code]").click();
  await page.locator("[data-testid=artifact-node][data-path='code/train.py']").click();
  await page.waitForFunction(() =>
    document.querySelector("[data-testid=preview-text]")?.getAttribute("data-language") === "python"
  );
  assert.deepEqual(await text.locator(".tok-keyword").allTextContents(), ["def", "return"]);

  // A PDF is shown from its bytes.
  await ui.open(`${runHash(f.curveRunId)}/artifacts/reports/summary.pdf`);
  const pdf = page.getByTestId("preview-pdf");
  await pdf.waitFor();
  const src = (await pdf.getAttribute("src"))!;
  assert.match(src, /^blob:/);
  assert.equal(await pdf.getAttribute("data-type"), "application/pdf");
  assert.equal(
    await pdf.getAttribute("data-bytes"),
    (await page.getByTestId("preview-path").locator("xpath=..").locator(".muted").textContent())!.replace(
      " B",
      "",
    ),
    "the frame shows the file's bytes",
  );
  // One blob shown (Chromium's PDF viewer may nest a frame of the same blob once it has loaded).
  assert.equal(new Set(page.frames().map((fr) => fr.url()).filter((u) => u.startsWith("blob:"))).size, 1);

  // A folder of images: a gallery.
  await page.locator("[data-testid=artifact-node][data-path=gallery]").click();
  await page.getByTestId("artifact-gallery").waitFor();
  assert.equal(await page.getByTestId("gallery-item").count(), 3);
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>("[data-testid=gallery-item] img")].every((i) =>
      i.complete && i.naturalWidth === 2
    )
  );
  assert.equal(await page.getByTestId("preview-path").textContent(), "gallery");
  await page.getByTestId("gallery-item").nth(1).click();
  await page.getByTestId("preview-image").waitFor();
  assert.equal(await page.getByTestId("preview-path").textContent(), "gallery/b.png");
  await page.context().clearPermissions();

  // A folder the server refuses to list (MLflow's "Invalid path" for a #) says so in the tree.
  const root = fileURLToPath((await f.store.getRun(f.curveRunId)).info.artifactUri);
  await Deno.mkdir(join(root, "odd", "sub#hash"), { recursive: true });
  await Deno.writeTextFile(join(root, "odd", "sub#hash", "a.txt"), "a");
  await ui.open(`${runHash(f.curveRunId)}/artifacts`);
  await page.locator("[data-testid=artifact-node][data-path=odd]").click();
  await page.locator("[data-testid=artifact-node][data-path='odd/sub#hash']").click();
  await page.getByTestId("artifacts-error").filter({ hasText: "Cannot list odd/sub#hash: Invalid path" })
    .waitFor();
  await Deno.remove(join(root, "odd"), { recursive: true });
}

/** Step: MLflow's other links open the right pages. */
export async function mlflowRoutes(ui: UiSession) {
  const { page, base, f } = ui;
  // /runs/<id> (MLflow's runPageDirect) goes to the run's page in its experiment.
  await page.goto(`${base}/#/runs/${f.curveRunId}`);
  await page.waitForFunction(
    (id) => location.hash.endsWith(`/runs/${id}`) && location.hash.includes("/experiments/"),
    f.curveRunId,
  );
  assert.equal(new URL(page.url()).hash, `#/experiments/${f.experimentId}/runs/${f.curveRunId}`);
  await page.getByTestId("run-overview").waitFor();
  await page.goto(`${base}/#/runs/${f.curveRunId}/artifacts/config/params.yaml`);
  await page.getByTestId("preview-text").locator(".tok-key").first().waitFor();
  // The older metric link form: /metric/<key>?runs=[…].
  await page.goto(`${base}/#/metric/loss?runs=${encodeURIComponent(JSON.stringify([f.curveRunId]))}`);
  await page.locator("[data-testid=metric-chart][data-metric=loss][data-points-drawn]").waitFor();
  assert.equal(await page.getByTestId("metric-chart").count(), 1);
  // The experiment page's search form: /experiments/<id>/s?searchFilter=….
  await page.goto(
    `${base}/#/experiments/${f.experimentId}/s?searchFilter=${
      encodeURIComponent("attributes.run_name = 'training'")
    }`,
  );
  await ui.rowCount(2);
  // compareRunsMode=CHART opens the chart view, compare-experiments both experiments.
  await page.goto(
    `${base}/#/compare-experiments/s?experiments=${
      encodeURIComponent(JSON.stringify([f.nsExperimentId]))
    }&compareRunsMode=CHART`,
  );
  await page.waitForFunction(
    (id) => document.querySelector("[data-testid=chart-view]")?.getAttribute("data-items") === id,
    f.nsRunId,
  );
  await page.goto(`${base}/#/no-such-page`);
  assert.equal(await page.getByTestId("not-found").textContent(), "No page for #/no-such-page");
}

/** Step: names wrap between words, dict params split, parallel labels never overlap, scatter x differs. */
export async function compareFixes(ui: UiSession) {
  const { page, base, f } = ui;
  const ids = [...f.trainingRunIds, f.curveRunId];
  await page.goto(`${base}/#/compare-runs?runs=${encodeURIComponent(JSON.stringify(ids))}`);
  await page.getByTestId("compare-params").waitFor();
  const th = page.locator("[data-testid=param-row] th").first();
  assert.equal(await th.evaluate((el) => getComputedStyle(el).overflowWrap), "break-word");
  assert.ok(
    (await page.locator("[data-testid=param-row][data-key='split.test_fraction'] th wbr").count()) >= 1,
  );
  assert.equal(
    await page.locator("[data-testid=param-row][data-key=model]").count(),
    1,
    "curve's plain model param",
  );
  assert.equal(await page.locator("[data-testid=param-row][data-key='model.n_iter']").count(), 1);
  assert.equal(await page.getByTestId("scatter-x").inputValue(), "param:learning_rate");
  // Choose many axes: the plot widens, labels alternate rows and never overlap.
  await page.getByTestId("parallel-axes").locator("summary").click();
  for (const box of await page.getByTestId("parallel-dim").all()) await box.check();
  const count = await page.getByTestId("parallel-dim").count();
  const plot = page.getByTestId("parallel-plot");
  assert.equal(await plot.getAttribute("data-axes"), String(count));
  assert.ok(Number(await plot.getAttribute("width")) >= 220 + (count - 1) * 150);
  const boxes = await page.getByTestId("parallel-label").evaluateAll((ts) =>
    ts.map((t) => {
      const b = (t as SVGTextElement).getBBox();
      return { x: b.x, y: b.y, w: b.width, h: b.height };
    })
  );
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
      assert.ok(!overlap, `labels ${i} and ${j} overlap`);
    }
  }
  await pageShot(page, "09-compare");
}

/** Step: the DAG collapses and expands namespaces like kedro-viz. */
export async function namespaces(ui: UiSession) {
  const { page, base, f } = ui;
  await page.goto(`${base}/#/experiments/${f.nsExperimentId}/runs/${f.nsRunId}/pipeline`);
  await page.getByTestId("pipeline-dag").waitFor();
  const names = (testid: string) =>
    page.getByTestId(testid).evaluateAll((gs) => gs.map((g) => (g as SVGElement).dataset.name).sort());
  assert.deepEqual(await names("dag-namespace"), ["candidates"]);
  assert.equal(await page.locator("[data-testid=dag-namespace] text").textContent(), "▸ candidates (8)");
  assert.deepEqual(await names("dag-node"), ["pick_best"]);
  assert.ok(!(await names("dag-dataset")).includes("candidates.fast_learner.model"), "inner datasets hidden");
  assert.ok((await names("dag-dataset")).includes("candidates.fast_learner.predictions"), "outputs shown");
  await page.locator("[data-testid=dag-namespace][data-name=candidates]").click();
  assert.deepEqual(await names("dag-namespace"), ["candidates.fast_learner", "candidates.slow_learner"]);
  await page.locator("[data-testid=dag-namespace][data-name='candidates.fast_learner']").click();
  assert.deepEqual(await names("dag-node"), [
    "candidates.fast_learner.predict",
    "candidates.fast_learner.report_accuracy",
    "candidates.fast_learner.split_data",
    "candidates.fast_learner.train_model",
    "pick_best",
  ]);
  // Inside an open namespace names drop its prefix; nothing is cut short.
  assert.equal(
    await page.locator("[data-testid=dag-node][data-name='candidates.fast_learner.train_model'] text")
      .textContent(),
    "train_model",
  );
  assert.deepEqual(
    await page.getByTestId("dag-namespace-frame").evaluateAll((gs) =>
      gs.map((g) => (g as SVGElement).dataset.namespace)
    ),
    ["candidates", "candidates.fast_learner"],
  );
  await pageShot(page, "10-pipeline-namespaces");
  // A click on an open namespace's frame closes it (and what it holds).
  await page.locator("[data-testid=dag-namespace-frame][data-namespace=candidates] text").click();
  assert.deepEqual(await names("dag-namespace"), ["candidates"]);
  await page.getByTestId("expand-all").click();
  assert.equal(await page.getByTestId("dag-node").count(), 9);
  assert.equal(await page.getByTestId("dag-namespace").count(), 0);
  const labels = await page.locator("[data-testid=dag-node] text, [data-testid=dag-dataset] text")
    .allTextContents();
  assert.ok(labels.every((l) => !l.endsWith("…")), labels.join(" | "));
  await page.getByTestId("collapse-all").click();
  assert.equal(await page.getByTestId("dag-namespace").count(), 1);
}

/** Step: every DAG box is reachable by keyboard; Enter / Space open, close and select, as a click does. */
export async function dagKeyboard(ui: UiSession) {
  const { page, base, f } = ui;
  await page.goto(`${base}/#/experiments/${f.nsExperimentId}/runs/${f.nsRunId}/pipeline`);
  await page.getByTestId("pipeline-dag").waitFor();
  const focusedKey = () => page.evaluate(() => (document.activeElement as SVGElement | null)?.dataset?.key);
  const box = page.locator("[data-testid=dag-namespace][data-name=candidates]");
  assert.equal(await box.getAttribute("role"), "button");
  assert.equal(await box.getAttribute("tabindex"), "0");
  assert.equal(await box.getAttribute("aria-expanded"), "false");
  assert.equal(await box.getAttribute("aria-label"), "namespace candidates");
  // Tab reaches it (from the toolbar's last button).
  await page.getByTestId("collapse-all").focus();
  await page.keyboard.press("Tab");
  const tabbed = await focusedKey();
  assert.match(tabbed ?? "", /^\w+:/, "Tab lands on a DAG box");
  await box.focus();
  await page.keyboard.press("Enter");
  const frame = page.locator("[data-testid=dag-namespace-frame][data-namespace=candidates]");
  await frame.waitFor();
  assert.equal(await frame.getAttribute("aria-expanded"), "true");
  assert.equal(await focusedKey(), "ns:candidates", "the focus follows the namespace onto its frame");
  await page.locator("[data-testid=dag-namespace][data-name='candidates.fast_learner']").focus();
  await page.keyboard.press(" ");
  await page.locator("[data-testid=dag-node][data-name='candidates.fast_learner.train_model']").waitFor();
  // Space on the open frame closes it; the focus returns to the collapsed box.
  await frame.focus();
  await page.keyboard.press(" ");
  await box.waitFor();
  assert.equal(await page.getByTestId("dag-namespace-frame").count(), 0);
  assert.equal(await focusedKey(), "ns:candidates");
  // A node is selected from the keyboard: its details show below the DAG; Enter again clears them.
  const node = page.locator("[data-testid=dag-node][data-name=pick_best]");
  assert.equal(await node.getAttribute("aria-pressed"), "false");
  await node.focus();
  await page.keyboard.press("Enter");
  await page.locator("[data-testid=dag-node][data-name=pick_best][aria-pressed=true]").waitFor();
  assert.match((await page.getByTestId("dag-details").textContent())!, /^pick_best\nfunction: /);
  assert.equal(await focusedKey(), "node:pick_best");
  await page.keyboard.press("Enter");
  await page.locator("[data-testid=dag-node][data-name=pick_best][aria-pressed=false]").waitFor();
  assert.equal(await page.getByTestId("dag-details").textContent(), "");
  const dataset = page.getByTestId("dag-dataset").first();
  assert.equal(await dataset.getAttribute("tabindex"), "0");
  await dataset.click();
  assert.match((await page.getByTestId("dag-details").textContent())!, /\S/, "a click selects as well");
}
