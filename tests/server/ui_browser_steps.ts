/// <reference lib="dom" />
/**
 * Steps of tests/server/ui_browser_test.ts for the MLflow UI features added on top of the basics: nested
 * child runs (also when the parent is beyond the loaded pages), search autocomplete, auto-refresh of
 * RUNNING runs, experiment create / rename / delete / restore (and a slow answer for a view left
 * meanwhile). They share the main test's browser page and fixture.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
// deno-lint-ignore no-import-prefix -- test-only dependency, kept out of kmlf's import map and binary
import type { Page } from "npm:playwright-core@1.65.1";
import { SCREENSHOTS_DIR } from "./ui_browser_harness.ts";
import type { UiFixture } from "./ui_fixture.ts";

/** What every step gets: the page, the server's URL, the fixture and small helpers. */
export interface UiSession {
  page: Page;
  base: string;
  f: UiFixture;
  expHash: string;
  runHash(id: string): string;
  /** Waits until the runs table shows `n` rows. */
  rowCount(n: number): Promise<unknown>;
  /** Timers of auto-refresh pending in the page. */
  pollers(): Promise<number>;
  /** POSTs to the REST API like an MLflow client. */
  api(
    endpoint: string,
    body: unknown,
  ): Promise<
    {
      status: number;
      body: Record<string, unknown> & { run?: { info: { run_id: string } }; message?: string };
    }
  >;
  shot(name: string): Promise<void>;
  texts(selector: string): Promise<string[]>;
  /** Opens `hash` in a freshly loaded page (goto alone keeps the page when only the hash is the same). */
  open(hash: string): Promise<void>;
}

/** The helpers over one page. */
export function uiSession(page: Page, base: string, f: UiFixture): UiSession {
  const expHash = `#/experiments/${f.experimentId}`;
  return {
    page,
    base,
    f,
    expHash,
    runHash: (id) => `${expHash}/runs/${id}`,
    rowCount: (n) =>
      page.waitForFunction((n) => document.querySelectorAll("[data-testid=run-row]").length === n, n),
    pollers: () =>
      page.evaluate(() =>
        (globalThis as unknown as { kmlf: { activePollers(): number } }).kmlf.activePollers()
      ),
    async api(endpoint, body) {
      const response = await fetch(`${base}/ajax-api/2.0/mlflow/${endpoint}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
    async shot(name) {
      await Deno.mkdir(SCREENSHOTS_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
    },
    texts: (selector) => page.locator(selector).allTextContents(),
    async open(hash) {
      await page.goto(`${base}/${hash}`);
      // Idle, not just loaded: a page still fetching may render again and drop what a step clicks next.
      await page.reload({ waitUntil: "networkidle" });
    },
  };
}

/** Step: a child run nests under its parent behind an expand toggle. */
export async function nestedRuns(ui: UiSession) {
  const { page, f, rowCount, shot } = ui;
  const parentRow = page.locator(`[data-testid=run-row][data-run-id='${f.curveRunId}']`);
  const toggle = parentRow.getByTestId("expand-toggle");
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  assert.equal(await page.getByTestId("expand-toggle").count(), 1, "only the parent has a toggle");
  await toggle.click();
  await rowCount(5);
  const order = await page.locator("[data-testid=run-row]").evaluateAll((rows) =>
    rows.map((r) => `${(r as HTMLElement).dataset.depth}:${(r as HTMLElement).dataset.runId}`)
  );
  const at = order.indexOf(`0:${f.curveRunId}`);
  assert.equal(order[at + 1], `1:${f.childRunId}`, order.join(" "));
  assert.equal(
    await page.locator(`[data-testid=run-row][data-run-id='${f.childRunId}'] [data-testid=run-link]`)
      .textContent(),
    "↳ curve-child",
  );
  await shot("01b-nested-runs");
  await parentRow.getByTestId("expand-toggle").click();
  await rowCount(4);
}

/**
 * Step: a child whose parent is beyond the first page still nests: the parent is fetched by id and shown
 * expanded. Pages are cut to 2 runs by rewriting the page's runs/search requests (start_time DESC: the
 * XSS run and the child on page 1, the child's parent `curve` on page 2); later pages wait for `release`.
 */
export async function parentBeyondPage(ui: UiSession) {
  const { page, base, f, expHash, rowCount } = ui;
  const byId: Record<string, unknown>[] = [];
  let release = () => {};
  const later = new Promise<void>((resolve) => release = resolve);
  await page.route("**/ajax-api/2.0/mlflow/runs/search", async (route) => {
    const body = route.request().postDataJSON();
    if (String(body.filter ?? "").startsWith("attributes.run_id IN")) byId.push(body);
    else body.max_results = 2;
    if (body.page_token) await later;
    await route.continue({ postData: JSON.stringify(body) });
  });
  const rowIds = () =>
    page.locator("[data-testid=run-row]").evaluateAll((rows) =>
      rows.map((r) => {
        const d = (r as HTMLElement).dataset;
        return `${d.depth}:${d.runId}${d.forNesting ? " (for nesting)" : ""}`;
      })
    );
  try {
    await page.goto(`${base}/#/experiments`);
    await page.getByTestId("experiments-table").waitFor();
    await page.goto(`${base}/${expHash}`);
    await rowCount(3);
    // The XSS run and the child may share a start_time millisecond: either comes first.
    const nested = [`0:${f.curveRunId} (for nesting)`, `1:${f.childRunId}`];
    const firstPage = await rowIds();
    assert.ok(
      [[`0:${f.xssRunId}`, ...nested], [...nested, `0:${f.xssRunId}`]].some((o) =>
        o.join() === firstPage.join()
      ),
      firstPage.join(" "),
    );
    const toggle = page.locator(
      `[data-testid=run-row][data-run-id='${f.curveRunId}'] [data-testid=expand-toggle]`,
    );
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    assert.equal(await page.getByTestId("runs-count").textContent(), "2+ runs", "the parent is not counted");
    assert.deepEqual(byId, [{
      experiment_ids: [f.experimentId],
      filter: `attributes.run_id IN ('${f.curveRunId}')`,
      run_view_type: "ALL",
      max_results: 1,
    }], JSON.stringify(byId));
    await toggle.click();
    await rowCount(2);
    await toggle.click();
    await rowCount(3);
    // The next pages bring the parent for real: one row for it, still expanded, no longer "for nesting".
    release();
    const more = page.getByTestId("load-more");
    for (let tries = 0; (await page.getByTestId("runs-count").textContent()) !== "5 runs"; tries++) {
      assert.ok(tries < 100, "all 5 runs load");
      if (await more.isVisible() && await more.isEnabled()) await more.click();
      await page.waitForTimeout(50);
    }
    const all = await rowIds();
    assert.equal(all.length, 5, all.join(" "));
    assert.equal(all.indexOf(`1:${f.childRunId}`), all.indexOf(`0:${f.curveRunId}`) + 1, all.join(" "));
    assert.ok(all.includes(`0:${f.xssRunId}`) && all.includes(`0:${f.trainingRunIds[0]}`), all.join(" "));
    assert.equal(byId.length, 1, "nothing more to fetch");
  } finally {
    release();
    await page.unroute("**/ajax-api/2.0/mlflow/runs/search");
  }
  await page.goto(`${base}/#/experiments`);
  await page.getByTestId("experiments-table").waitFor();
  await page.goto(`${base}/${expHash}`);
  await rowCount(4);
}

/** Step: the search box suggests keys as you type, keyboard first. */
export async function searchAutocomplete(ui: UiSession) {
  const { page, rowCount, shot } = ui;
  const input = page.getByTestId("runs-filter");
  const suggestions = page.getByTestId("search-suggestion");
  await input.fill("");
  await input.pressSequentially("met");
  await page.getByTestId("search-suggestions").waitFor();
  assert.equal((await suggestions.allTextContents())[0], "metrics.");
  await input.press("ArrowDown");
  await input.press("Enter");
  assert.equal(await input.inputValue(), "metrics.");
  // Accepting the entity opens its keys; a key with a dot comes back in backticks.
  await input.pressSequentially("metrics.acc");
  assert.deepEqual(await suggestions.allTextContents(), ["metrics.`metrics.accuracy`"]);
  await input.press("ArrowDown");
  await input.press("Tab");
  assert.equal(await input.inputValue(), "metrics.`metrics.accuracy` ");
  assert.equal(await page.getByTestId("search-suggestions").isHidden(), true);
  await input.pressSequentially("> 0.5 and params.tar");
  assert.deepEqual(await suggestions.allTextContents(), ["params.target"]);
  await input.press("Escape");
  assert.equal(await page.getByTestId("search-suggestions").isHidden(), true);
  await input.pressSequentially("get = 'species'");
  await shot("01c-autocomplete");
  await input.press("Enter");
  await page.waitForFunction(() => location.hash.includes("searchFilter"));
  await rowCount(2);
  assert.equal(
    new URLSearchParams(new URL(page.url()).hash.split("?")[1]).get("searchFilter"),
    "metrics.`metrics.accuracy` > 0.5 and params.target = 'species'",
  );
  // Tags include MLflow's system tags.
  await input.fill("");
  await input.pressSequentially("tags.mlflow.us");
  assert.deepEqual(await suggestions.allTextContents(), ["tags.`mlflow.user`"]);
  await input.press("Escape");
}

/** Step: a RUNNING run refreshes itself on its page and in the table until it ends. */
export async function autoRefresh(ui: UiSession) {
  const { page, base, f, expHash, runHash, rowCount, pollers, api, texts } = ui;
  const live = (await api("runs/create", {
    experiment_id: f.experimentId,
    run_name: "live",
    start_time: Date.now(),
  })).body.run!.info.run_id;
  const titleStatus = page.locator(".title-row [data-testid=run-status]");
  await page.goto(`${base}/${runHash(live)}`);
  await page.getByTestId("run-overview").waitFor();
  assert.equal(await titleStatus.textContent(), "RUNNING");
  assert.equal(await pollers(), 1);
  await api("runs/log-metric", {
    run_id: live,
    key: "progress",
    value: 0.5,
    timestamp: Date.now(),
    step: 1,
  });
  await api("runs/update", { run_id: live, status: "FINISHED", end_time: Date.now() });
  await page.waitForFunction(
    () => document.querySelector(".title-row [data-testid=run-status]")?.textContent === "FINISHED",
    undefined,
    { timeout: 15_000 },
  );
  assert.equal(
    await page.locator("[data-testid=run-overview] [data-testid=run-status]").textContent(),
    "FINISHED",
  );
  assert.deepEqual(await texts("[data-testid=metric-link]"), ["progress"]);
  assert.equal(await pollers(), 0, "nothing RUNNING: no timer");

  // In the runs table.
  const live2 = (await api("runs/create", { experiment_id: f.experimentId, run_name: "live-2" }))
    .body.run!.info.run_id;
  await page.goto(
    `${base}/${expHash}?searchFilter=${encodeURIComponent("attributes.run_name LIKE 'live%'")}`,
  );
  await rowCount(2);
  const status = page.locator(`[data-testid=run-row][data-run-id='${live2}'] [data-testid=run-status]`);
  assert.equal(await status.textContent(), "RUNNING");
  await api("runs/update", { run_id: live2, status: "FAILED", end_time: Date.now() });
  await page.waitForFunction(
    (id) =>
      document.querySelector(`[data-testid=run-row][data-run-id='${id}'] [data-testid=run-status]`)
        ?.textContent === "FAILED",
    live2,
    { timeout: 15_000 },
  );
  assert.equal(await pollers(), 0);

  // Leaving a page with a RUNNING run leaves no timer behind.
  const live3 = (await api("runs/create", { experiment_id: f.experimentId, run_name: "live-3" }))
    .body.run!.info.run_id;
  await page.goto(`${base}/${runHash(live3)}`);
  await page.getByTestId("run-overview").waitFor();
  assert.equal(await pollers(), 1);
  await page.getByTestId("nav-experiments").click();
  await page.getByTestId("experiments-table").waitFor();
  assert.equal(await pollers(), 0);
  await api("runs/update", { run_id: live3, status: "FINISHED", end_time: Date.now() });

  // A refresh while a description and a tag are being typed keeps them; the overview is redrawn after.
  const live4 = (await api("runs/create", { experiment_id: f.experimentId, run_name: "live-4" }))
    .body.run!.info.run_id;
  await page.goto(`${base}/${runHash(live4)}`);
  await page.getByTestId("run-overview").waitFor();
  await page.getByTestId("run-description-edit").click();
  await page.getByTestId("run-description-input").fill("draft being typed");
  await page.getByTestId("tag-key").fill("half-typed");
  await api("runs/log-metric", { run_id: live4, key: "progress", value: 1, timestamp: Date.now(), step: 1 });
  await api("runs/update", { run_id: live4, status: "FINISHED", end_time: Date.now() });
  await page.waitForFunction(
    () => document.querySelector(".title-row [data-testid=run-status]")?.textContent === "FINISHED",
    undefined,
    { timeout: 15_000 },
  );
  assert.equal(await page.getByTestId("run-description-input").inputValue(), "draft being typed");
  assert.equal(await page.getByTestId("tag-key").inputValue(), "half-typed");
  await page.getByTestId("tag-key").fill("");
  await page.getByTestId("run-description-save").click();
  await page.getByTestId("metric-link").waitFor({ timeout: 15_000 });
  assert.equal(await page.getByTestId("run-description-text").textContent(), "draft being typed");
  assert.equal(await pollers(), 0);
}

/** Step: experiments can be created, renamed, deleted and restored. */
export async function experimentLifecycle(ui: UiSession) {
  const { page, base, f, api, shot } = ui;
  await page.goto(`${base}/#/experiments`);
  const row = (name: string) => page.locator(`[data-testid=experiment-row][data-name='${name}']`);
  await page.getByTestId("new-experiment-name").fill("ui-created");
  await page.getByTestId("create-experiment").click();
  await row("ui-created").waitFor();
  const id = (await row("ui-created").getAttribute("data-experiment-id"))!;
  assert.equal((await f.store.getExperiment(id)).name, "ui-created");

  // A duplicate name: the server's own message.
  await page.getByTestId("new-experiment-name").fill("iris");
  await page.getByTestId("create-experiment").click();
  const error = page.getByTestId("experiment-error");
  await error.waitFor();
  const duplicate = await api("experiments/create", { name: "iris" });
  assert.equal(duplicate.status, 400);
  assert.equal(await error.textContent(), duplicate.body.message);
  await shot("10-experiment-duplicate");

  await row("ui-created").getByTestId("rename-experiment").click();
  await error.evaluate((el) => (el as HTMLElement).dataset.old = "1");
  await page.getByTestId("rename-input").fill("iris");
  await page.getByTestId("rename-save").click();
  const renameError = page.locator("[data-testid=experiment-error]:not([data-old])");
  await renameError.waitFor();
  assert.match((await renameError.textContent()) ?? "", /Experiment\(name=iris\) already exists/);
  assert.equal((await f.store.getExperiment(id)).name, "ui-created");
  await page.getByTestId("rename-input").fill("ui-renamed");
  await page.getByTestId("rename-input").press("Enter");
  await row("ui-renamed").waitFor();
  assert.equal(await page.getByTestId("experiment-error").count(), 0);
  assert.equal((await f.store.getExperiment(id)).name, "ui-renamed");

  await row("ui-renamed").getByTestId("delete-experiment").click();
  await row("ui-renamed").waitFor({ state: "detached" });
  assert.equal((await f.store.getExperiment(id)).lifecycleStage, "deleted");
  // Its page, opened from an old link, says it is deleted.
  await ui.open(`#/experiments/${id}`);
  await page.getByTestId("experiment-deleted").waitFor();
  await ui.open("#/experiments");
  await row("iris").waitFor();

  // Active → Deleted → Active with the Deleted list answering last: the Active list stays, with its
  // buttons.
  const EXPERIMENTS_SEARCH = "**/ajax-api/2.0/mlflow/experiments/search";
  await page.route(EXPERIMENTS_SEARCH, async (route) => {
    if (route.request().postDataJSON().view_type === "DELETED_ONLY") {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await route.continue();
  });
  try {
    const slow = page.waitForResponse((r) =>
      r.url().endsWith("experiments/search") && r.request().postDataJSON().view_type === "DELETED_ONLY"
    );
    await page.getByTestId("experiment-view").selectOption("DELETED_ONLY");
    await page.getByTestId("experiment-view").selectOption("ACTIVE_ONLY");
    await slow;
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
    assert.equal(
      await row("ui-renamed").count(),
      0,
      "the deleted experiment is not drawn in the Active view",
    );
    assert.equal(await row("iris").getByTestId("delete-experiment").count(), 1);
    assert.equal(await page.getByTestId("restore-experiment").count(), 0);
  } finally {
    await page.unroute(EXPERIMENTS_SEARCH);
  }
  await page.getByTestId("experiment-view").selectOption("DELETED_ONLY");
  await row("ui-renamed").getByTestId("restore-experiment").click();
  await row("ui-renamed").waitFor({ state: "detached" });
  assert.equal((await f.store.getExperiment(id)).lifecycleStage, "active");
  await page.getByTestId("experiment-view").selectOption("ACTIVE_ONLY");
  await row("ui-renamed").waitFor();
}
